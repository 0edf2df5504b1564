/**
 * Next.js calls register() once per server process. On the Node.js runtime (never at build time,
 * never on the edge) it starts the in-process job runner when Inngest is not configured.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startEmbeddedJobs } = await import("./server/jobs/start");
  const { exportJobs } = await import("./server/scim-export/jobs");
  const { ssoJobs } = await import("./server/sso/jobs");
  const { retentionJobs } = await import("./server/retention/jobs");
  const registries = [exportJobs, ssoJobs, retentionJobs];
  startEmbeddedJobs({
    definitions: registries.flatMap((r) => r.definitions),
    periodic: registries.flatMap((r) => r.periodic),
  });
}
