import { db } from "../db";

/**
 * What happened to a profile without an admin's hand (the daily metadata refresh took in a new
 * certificate, or could not read the metadata URL), for the profile's page.
 */
export type ProfileEventKind = "certificate_changed" | "metadata_changed" | "refresh_failed";

export async function recordProfileEvent(input: { tenantId: string; profileId: string; kind: ProfileEventKind; message: string }) {
  await db().authProfileEvent.create({ data: { ...input, message: input.message.slice(0, 2000) } });
}

export async function listProfileEvents(options: { tenantId: string; profileId: string; take?: number }) {
  const rows = await db().authProfileEvent.findMany({
    where: { tenantId: options.tenantId, profileId: options.profileId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: options.take ?? 50,
    select: { id: true, at: true, kind: true, message: true },
  });
  return rows.map((r) => ({ ...r, id: r.id.toString() }));
}
