import { db, type DbTx } from "../db";

/**
 * Every directory query starts from this fragment: a row of another tenant is never matched, so
 * it is "not found", exactly like a row that does not exist.
 */
export function inTenant(tenantId: string) {
  return { tenantId } as const;
}

/** A transaction directory calls can share (from `inTransaction`). */
export type DirectoryTx = DbTx;

/** Options every directory function takes. `tx` composes several calls into one transaction. */
export type DirectoryOptions = { tenantId: string; tx?: DbTx };

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(tx: DbTx | undefined, fn: (tx: DbTx) => Promise<T>): Promise<T> {
  return tx ? fn(tx) : db().$transaction((t) => fn(t));
}

/** The caller's transaction or the process's client, for reads. */
export function reader(tx: DbTx | undefined): DbTx {
  return tx ?? db();
}

/** Prisma's "record to update/delete not found". */
export function isRecordNotFound(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2025";
}
