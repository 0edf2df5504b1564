/** Factories for the directory's integration tests: every call makes unique rows, no shared fixtures. */
import { db } from "../../server/db";
import { createUser } from "../../server/directory/create-user";
import type { NewUserFields } from "../../server/directory/user-fields";

let n = 0;
export function unique(prefix: string): string {
  n += 1;
  return `${prefix}-${n}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function newTenant(): Promise<{ id: string; slug: string }> {
  const slug = unique("t");
  return db().tenant.create({ data: { slug, name: `Tenant ${slug}` }, select: { id: true, slug: true } });
}

export function newUser(tenantId: string, fields: Partial<NewUserFields> = {}) {
  const userName = fields.userName ?? `${unique("user")}@example.com`;
  return createUser({
    tenantId,
    source: "CONSOLE",
    fields: { ...fields, userName, emails: fields.emails ?? [{ value: userName, primary: true }] },
  });
}

export async function changesOf(tenantId: string) {
  return db().directoryChange.findMany({
    where: { tenantId },
    orderBy: { id: "asc" },
    select: { entity: true, entityId: true, action: true, source: true },
  });
}
