/** Where jobs run, from the validated env: Inngest (Cloud or a dev server) or the in-process runner. */
import { inngestDevModeOn, inngestEnv } from "../env";

export type InngestSettings =
  /** Inngest Cloud: every request to /api/inngest must be signed with the signing key. */
  | { mode: "inngest"; dev: false; eventKey: string; signingKey: string; baseUrl?: string }
  /** An Inngest dev server: no signatures (refused in production without INNGEST_DEV_INSECURE, see env.ts). */
  | { mode: "inngest"; dev: true; eventKey?: string; signingKey?: string; baseUrl?: string }
  | { mode: "embedded" };

/** Inngest is used when keys are set (cloud) or INNGEST_DEV points at a dev server; else the in-process runner. */
export function inngestSettings(): InngestSettings {
  const env = inngestEnv();
  const eventKey = env.INNGEST_EVENT_KEY;
  const signingKey = env.INNGEST_SIGNING_KEY;
  const devValue = env.INNGEST_DEV;
  if (devValue && inngestDevModeOn(devValue)) {
    return {
      mode: "inngest",
      dev: true,
      eventKey,
      signingKey,
      baseUrl: env.INNGEST_BASE_URL ?? (devValue.startsWith("http") ? devValue : undefined),
    };
  }
  if (eventKey && signingKey) return { mode: "inngest", dev: false, eventKey, signingKey, baseUrl: env.INNGEST_BASE_URL };
  return { mode: "embedded" };
}
