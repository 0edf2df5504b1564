/**
 * Buffers what a stage did (operation rows, link changes, counts) and writes it in batches:
 * one INSERT per few hundred operations, never one query per user. Links are flushed often, so
 * a crash loses little; a lost link only means the next run matches the object again. In an
 * in-process job, a batch is written under the job's fence (jobs/job-store.ts writeUnderLease):
 * an execution another instance took over writes no link and no operation row more.
 */
import { Prisma } from "@/generated/prisma/client";
import type { ExportObjectType, ExportOperationResult } from "@/generated/prisma/enums";
import { db, type DbTx } from "../../db";
import { sqlExecute } from "../../db/sql";
import { writeUnderLease } from "../../jobs/job-store";
import { redact } from "../client/redact";
import type { ClientStats } from "../client/scim-client";
import type { SyncContext } from "./context";

const { sql } = Prisma;

export type OperationInput = {
  objectType: ExportObjectType;
  localId: string | null;
  remoteId: string | null;
  name: string;
  action: string;
  result: ExportOperationResult;
  changes?: unknown;
  reason?: string | null;
  httpStatus?: number | null;
  request?: unknown;
  response?: unknown;
};

export type LinkUpsert = {
  objectType: ExportObjectType;
  localId: string;
  remoteId: string;
  remoteName: string;
  hash: string;
  payload: unknown;
  active: boolean;
};

const FLUSH_AT = 400;

export class Recorder {
  private ops: OperationInput[] = [];
  private upserts = new Map<string, LinkUpsert>();
  private deletes: { objectType: ExportObjectType; localId: string }[] = [];
  private counts: Record<string, number> = {};
  private done = 0;
  /** Writes (non-GET requests) that succeeded, for tests and the benchmark. */
  writes = 0;
  errors = 0;
  /** Objects rendered through the mapping (run stats `usersMapped` / `groupsMapped`). */
  mapped = { users: 0, groups: 0 };
  private flushing: Promise<void> = Promise.resolve();
  /** Consecutive transport failures: many in a row means the target is down; the stage stops. */
  consecutiveTransportErrors = 0;

  constructor(private readonly ctx: SyncContext) {}

  op(input: OperationInput) {
    const key = `${input.objectType.toLowerCase()}.${input.action}.${input.result === "SUCCESS" ? "success" : input.result === "SKIPPED" ? "skipped" : "error"}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    if (input.result === "ERROR") this.errors++;
    this.ops.push({
      ...input,
      request: input.request === undefined ? undefined : redact(input.request, [this.ctx.token]),
      response: input.response === undefined ? undefined : redact(input.response, [this.ctx.token]),
      reason: input.reason ? String(redact(input.reason, [this.ctx.token])) : input.reason,
    });
    return this.maybeFlush();
  }

  link(link: LinkUpsert) {
    this.upserts.set(`${link.objectType}:${link.localId}`, link);
    return this.maybeFlush();
  }

  unlink(objectType: ExportObjectType, localId: string) {
    this.upserts.delete(`${objectType}:${localId}`);
    this.deletes.push({ objectType, localId });
    return this.maybeFlush();
  }

  /**
   * Forgets the memberships pushed for a user or group whose remote id changed (re-created, or
   * found under another id): they were memberships of the old id. Immediate, not buffered, so a
   * membership pushed for the new id later in the same stage is never deleted by a flush.
   */
  async dropMemberLinks(objectType: ExportObjectType, localId: string): Promise<void> {
    await writeUnderLease((tx) =>
      (tx ?? db()).exportMemberLink.deleteMany({
        where:
          objectType === "USER"
            ? { profileId: this.ctx.profileId, userLocalId: localId }
            : { profileId: this.ctx.profileId, groupLocalId: localId },
      }),
    );
  }

  progress(n = 1) {
    this.done += n;
  }

  private maybeFlush(): Promise<void> {
    if (this.ops.length + this.upserts.size + this.deletes.length >= FLUSH_AT) return this.flush();
    return Promise.resolve();
  }

  /** Writes everything buffered. Safe to call concurrently (flushes are serialised). */
  flush(stats?: ClientStats): Promise<void> {
    const ops = this.ops.splice(0);
    const upserts = [...this.upserts.values()];
    this.upserts.clear();
    const deletes = this.deletes.splice(0);
    const counts = this.counts;
    this.counts = {};
    const done = this.done;
    this.done = 0;
    const statsDelta: Record<string, number> | null = stats || this.mapped.users || this.mapped.groups ? { ...(stats ?? {}) } : null;
    if (stats) for (const k of Object.keys(stats) as (keyof ClientStats)[]) stats[k] = 0;
    if (statsDelta && this.mapped.users) statsDelta.usersMapped = this.mapped.users;
    if (statsDelta && this.mapped.groups) statsDelta.groupsMapped = this.mapped.groups;
    this.mapped = { users: 0, groups: 0 };
    this.flushing = this.flushing.then(() => this.write(ops, upserts, deletes, counts, done, statsDelta));
    return this.flushing;
  }

  private async write(
    ops: OperationInput[],
    upserts: LinkUpsert[],
    deletes: { objectType: ExportObjectType; localId: string }[],
    counts: Record<string, number>,
    done: number,
    stats: Record<string, number> | null,
  ) {
    return writeUnderLease((tx) => this.writeBatch(tx, ops, upserts, deletes, counts, done, stats));
  }

  private async writeBatch(
    tx: DbTx | undefined,
    ops: OperationInput[],
    upserts: LinkUpsert[],
    deletes: { objectType: ExportObjectType; localId: string }[],
    counts: Record<string, number>,
    done: number,
    stats: Record<string, number> | null,
  ) {
    const { ctx } = this;
    const client = tx ?? db();
    if (upserts.length) {
      const rows = upserts.map((l) => ({ ...l, payload: l.payload ?? {} }));
      // A batch of up to FLUSH_AT rows: a scan, kept off the statement client's quick connections.
      await sqlExecute(
        sql`
        INSERT INTO "ExportLink" ("profileId", "objectType", "localId", "tenantId", "remoteId", "remoteName", "hash", "payload", "active", "updatedAt")
        SELECT ${ctx.profileId}::uuid, x."objectType"::"ExportObjectType", x."localId"::uuid, ${ctx.tenantId}::uuid, x."remoteId", x."remoteName", x."hash", x."payload", x."active", now()
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x("objectType" text, "localId" text, "remoteId" text, "remoteName" text, "hash" text, "payload" jsonb, "active" boolean)
        ON CONFLICT ("profileId", "objectType", "localId") DO UPDATE SET
          "remoteId" = EXCLUDED."remoteId", "remoteName" = EXCLUDED."remoteName", "hash" = EXCLUDED."hash",
          "payload" = EXCLUDED."payload", "active" = EXCLUDED."active", "updatedAt" = now()`,
        { kind: "scan", tx },
      );
    }
    for (const type of ["USER", "GROUP"] as const) {
      const ids = deletes.filter((d) => d.objectType === type).map((d) => d.localId);
      if (ids.length) {
        await client.exportLink.deleteMany({ where: { profileId: ctx.profileId, objectType: type, localId: { in: ids } } });
        await client.exportMemberLink.deleteMany({
          where:
            type === "USER"
              ? { profileId: ctx.profileId, userLocalId: { in: ids } }
              : { profileId: ctx.profileId, groupLocalId: { in: ids } },
        });
      }
    }
    if (ops.length) {
      await client.exportOperation.createMany({
        data: ops.map((o) => ({
          runId: ctx.runId,
          tenantId: ctx.tenantId,
          profileId: ctx.profileId,
          objectType: o.objectType,
          localId: o.localId,
          remoteId: o.remoteId,
          name: o.name.slice(0, 500),
          action: o.action,
          result: o.result,
          changes: o.changes === undefined || o.changes === null ? Prisma.JsonNull : (o.changes as Prisma.InputJsonValue),
          reason: o.reason ?? null,
          httpStatus: o.httpStatus ?? null,
          request: o.request === undefined ? Prisma.JsonNull : (o.request as Prisma.InputJsonValue),
          response: o.response === undefined ? Prisma.JsonNull : (o.response as Prisma.InputJsonValue),
        })),
      });
    }
    if (Object.keys(counts).length || done || stats) {
      await sqlExecute(
        sql`
        UPDATE "ExportRun" SET
          "counts" = ${mergeSql(sql`"counts"`, counts)},
          "stats" = ${mergeSql(sql`"stats"`, stats ?? {})},
          "done" = "done" + ${done}
        WHERE id = ${ctx.runId}::uuid`,
        { kind: "point", tx },
      );
    }
  }
}

/** jsonb counters + delta, key by key, in SQL (one run writes at a time, but stay atomic anyway). */
function mergeSql(column: Prisma.Sql, delta: Record<string, number>): Prisma.Sql {
  return sql`(SELECT COALESCE(jsonb_object_agg(k, COALESCE((${column}->>k)::int, 0) + COALESCE((${JSON.stringify(delta)}::jsonb->>k)::int, 0)), '{}'::jsonb)
    FROM jsonb_object_keys(${column} || ${JSON.stringify(delta)}::jsonb) AS k)`;
}
