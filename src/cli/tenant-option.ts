import { db } from "@/server/db";
import { UsageError } from "./command";

/** The tenant named by `--tenant <slug>`, or a usage error that says where to look. */
export async function tenantFromOption(slug: string): Promise<{ id: string; slug: string }> {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
  if (!tenant) throw new UsageError(`No tenant with the URL name "${slug}" (see tenant:list).`);
  return tenant;
}
