import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { isUuid } from "@/server/directory/ids";
import {
  createExportProfile,
  getExportRun,
  listExportProfiles,
  listExportRuns,
  previewExportSync,
  requestExportSync,
  type SyncPreview,
  setExportAssignedGroups,
  updateExportConfiguration,
} from "@/server/scim-export";
import { inngestSettings } from "@/server/scim-export/settings";
import { str, UsageError, type Command } from "../command";
import { tenantFromOption } from "../tenant-option";

async function profileByNameOrId(tenantId: string, value: string) {
  const profile = await db().exportProfile.findFirst({
    where: { tenantId, ...(isUuid(value) ? { OR: [{ id: value }, { nameKey: value.toLowerCase() }] } : { nameKey: value.toLowerCase() }) },
    select: { id: true, name: true },
  });
  if (!profile) throw new UsageError(`No export profile "${value}" in this tenant (see export:list).`);
  return profile;
}

function countsLine(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(" ") : "no operations";
}

/** What `export:sync --dry-run` prints: the preview's outcome, then its counts, one `name=value` each (the console's numbers). */
export function previewLines(preview: SyncPreview): string[] {
  const t = preview.totals;
  const over = preview.pendingDeletions > preview.deletionThreshold;
  return [
    `DRY RUN (nothing was written; ${preview.readRequests} reads sent to the target, ${preview.writesNotSent} writes not sent): the sync would end ${preview.status}.`,
    ...(preview.message ? [preview.message] : []),
    ...(over
      ? [
          `Sync would stop for confirmation: ${preview.pendingDeletions} users to deactivate or delete, over the threshold (${preview.deletionThreshold}).`,
        ]
      : []),
    `users: created=${t.usersCreated} updated=${t.usersUpdated} deactivated=${t.usersDeactivated} reactivated=${t.usersReactivated} deleted=${t.usersDeleted} matched=${t.usersMatched}`,
    `groups: created=${t.groupsCreated} updated=${t.groupsUpdated} deleted=${t.groupsDeleted}`,
    `memberships: added=${t.membersAdded} removed=${t.membersRemoved}`,
    `skipped=${t.skipped} errors=${t.errors}`,
  ];
}

export const exportCreate: Command = {
  name: "export:create",
  summary: "Create a SCIM Export profile (Databricks or SCIM 2.0), configured and with its groups; prints the profile id last.",
  usage: 'npm run cli -- export:create --tenant S --name N --url U --token T [--type databricks|scim] [--groups "A,B"] [--description D]',
  options: {
    tenant: { type: "string" },
    name: { type: "string" },
    url: { type: "string" },
    token: { type: "string" },
    type: { type: "string" },
    groups: { type: "string" },
    description: { type: "string" },
  },
  required: ["tenant", "name", "url", "token"],
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    const typeText = (str(values, "type") || "databricks").toLowerCase();
    if (typeText !== "databricks" && typeText !== "scim") throw new UsageError("--type must be databricks or scim.");
    const groupNames = str(values, "groups")
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean);
    const groups = await db().directoryGroup.findMany({
      where: { tenantId: tenant.id, displayNameKey: { in: groupNames.map((g) => g.toLowerCase()) } },
      select: { id: true, displayNameKey: true },
    });
    const missing = groupNames.filter((g) => !groups.some((x) => x.displayNameKey === g.toLowerCase()));
    if (missing.length) throw new UsageError(`No group named ${missing.map((m) => `"${m}"`).join(", ")} in this tenant.`);
    const { id } = await createExportProfile({
      tenantId: tenant.id,
      input: { name: str(values, "name"), description: str(values, "description"), type: typeText === "scim" ? "SCIM" : "DATABRICKS" },
    });
    try {
      await updateExportConfiguration({
        tenantId: tenant.id,
        profileId: id,
        input: {
          baseUrl: str(values, "url"),
          token: str(values, "token"),
          scheduleMinutes: 40,
          leaveAction: "DEACTIVATE",
          deletionThreshold: 50,
          enabled: true,
          matchOrder: ["userName", "externalId"],
          requestsPerSecond: null,
          concurrency: 4,
        },
      });
      if (groups.length) await setExportAssignedGroups({ tenantId: tenant.id, profileId: id, groupIds: groups.map((g) => g.id) });
    } catch (error) {
      await db().exportProfile.delete({ where: { id } });
      if (error instanceof AppError && error.field)
        throw new UsageError(`--${error.field === "baseUrl" ? "url" : error.field}: ${error.message}`);
      throw error;
    }
    console.log(`Created export profile "${str(values, "name")}" with ${groups.length} assigned group(s).`);
    console.log(id);
  },
};

export const exportList: Command = {
  name: "export:list",
  summary: "List a tenant's export profiles: id, name, type, status, last sync, target.",
  usage: "npm run cli -- export:list --tenant S",
  options: { tenant: { type: "string" } },
  required: ["tenant"],
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    for (const p of await listExportProfiles({ tenantId: tenant.id })) {
      console.log(
        [p.id, p.name, p.type, p.status, p.lastSyncAt?.toISOString() ?? "never", `${p.syncedUsers} user(s)`, p.baseUrl ?? "-"].join("\t"),
      );
    }
  },
};

export const exportSync: Command = {
  name: "export:sync",
  summary:
    "Queue a sync of a profile (--full: compare every in-scope user, not only what changed); with --wait, run it to the end, print its counts, exit 0 only if it succeeded. --dry-run: read the target and print what a full sync would change, writing nothing (exit 0).",
  usage: "npm run cli -- export:sync --tenant S --profile <name|id> [--full] [--wait] [--dry-run]",
  options: {
    tenant: { type: "string" },
    profile: { type: "string" },
    wait: { type: "boolean" },
    full: { type: "boolean" },
    "dry-run": { type: "boolean" },
  },
  required: ["tenant", "profile"],
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    const profile = await profileByNameOrId(tenant.id, str(values, "profile"));
    if (values["dry-run"]) {
      const preview = await previewExportSync({ tenantId: tenant.id, profileId: profile.id });
      for (const line of previewLines(preview)) console.log(line);
      return;
    }
    const { runId, alreadyQueued } = await requestExportSync({
      tenantId: tenant.id,
      profileId: profile.id,
      trigger: "MANUAL",
      requestedBy: "cli",
      full: values.full === true,
    });
    console.log(`${alreadyQueued ? "A sync was already queued" : "User and group sync queued"}: run ${runId}.`);
    if (!values.wait) return;
    // On the embedded default, this process runs the job itself (the server's runner may be down);
    // runs of one profile never overlap either way.
    const runner =
      inngestSettings().mode === "embedded"
        ? (await import("@/server/jobs/runner")).startRunner({
            registry: (await import("@/server/scim-export/jobs")).exportJobs,
            periodic: false,
          })
        : null;
    try {
      let run = await getExportRun({ tenantId: tenant.id, runId });
      let lastPhase = "";
      while (["QUEUED", "RUNNING"].includes(run.status)) {
        if (run.phase !== lastPhase) console.log(`… ${run.phase} (${run.done}/${run.total})`);
        lastPhase = run.phase;
        await new Promise((r) => setTimeout(r, 500));
        run = await getExportRun({ tenantId: tenant.id, runId });
      }
      console.log(`${run.status}: ${run.message ?? ""}`);
      console.log(countsLine(run.counts));
      if (run.status !== "SUCCEEDED") throw new AppError("BAD_REQUEST", `The sync ended ${run.status.toLowerCase()}.`);
    } finally {
      await runner?.stop();
    }
  },
};

export const exportRuns: Command = {
  name: "export:runs",
  summary: "List the latest runs of a profile: id, trigger, status, start, duration, counts.",
  usage: "npm run cli -- export:runs --tenant S --profile <name|id>",
  options: { tenant: { type: "string" }, profile: { type: "string" } },
  required: ["tenant", "profile"],
  async run(values) {
    const tenant = await tenantFromOption(str(values, "tenant"));
    const profile = await profileByNameOrId(tenant.id, str(values, "profile"));
    const page = await listExportRuns({ tenantId: tenant.id, profileId: profile.id, limit: 20 });
    for (const r of page.items) {
      console.log(
        [
          r.id,
          r.trigger,
          r.status,
          r.startedAt?.toISOString() ?? "-",
          r.durationMs === null ? "-" : `${r.durationMs} ms`,
          countsLine(r.counts),
        ].join("\t"),
      );
    }
  },
};
