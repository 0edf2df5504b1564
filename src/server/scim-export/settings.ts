/**
 * The settings SCIM Export reads. ALLOW_PRIVATE_TARGETS comes from the validated env; the Inngest
 * variables are read here until src/server/env.ts declares them (the lead's file).
 */
import { serverEnv } from "../env";

export function allowPrivateTargets(): boolean {
  // serverEnv() fails without DATABASE_URL etc.; pure code paths (unit tests, the emulator) fall back to process.env.
  try {
    return serverEnv().ALLOW_PRIVATE_TARGETS;
  } catch {
    return process.env.ALLOW_PRIVATE_TARGETS === "true";
  }
}

export type InngestSettings = { mode: "inngest"; eventKey?: string; signingKey?: string; dev: boolean; baseUrl?: string } | { mode: "embedded" };

/** Inngest is used when keys are set (cloud) or INNGEST_DEV points at a dev server; else the in-process runner. */
export function inngestSettings(): InngestSettings {
  const eventKey = process.env.INNGEST_EVENT_KEY || undefined;
  const signingKey = process.env.INNGEST_SIGNING_KEY || undefined;
  const devValue = process.env.INNGEST_DEV;
  const dev = !!devValue && devValue !== "0" && devValue !== "false";
  if (dev) return { mode: "inngest", dev: true, eventKey, signingKey, baseUrl: process.env.INNGEST_BASE_URL || (devValue!.startsWith("http") ? devValue : undefined) };
  if (eventKey && signingKey) return { mode: "inngest", dev: false, eventKey, signingKey, baseUrl: process.env.INNGEST_BASE_URL || undefined };
  return { mode: "embedded" };
}
