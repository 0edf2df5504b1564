/**
 * Issue 13, item 1: Inngest's dev mode checks no signature, so in production it needs a setting
 * whose name says it is insecure; without it the settings are refused at start.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const valid: Record<string, string | undefined> = {
  DATABASE_URL: "postgresql://localhost:5432/app",
  AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  APP_URL: "https://console.example.com",
  INNGEST_EVENT_KEY: undefined,
  INNGEST_SIGNING_KEY: undefined,
  INNGEST_DEV: undefined,
  INNGEST_BASE_URL: undefined,
  INNGEST_DEV_INSECURE: undefined,
};

/** A fresh env module (serverEnv caches) with these settings. */
async function envWith(settings: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries({ ...valid, ...settings })) vi.stubEnv(name, value);
  vi.resetModules();
  return import("@/server/env");
}

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllEnvs());

describe("INNGEST_DEV in production", () => {
  it("is refused at start without INNGEST_DEV_INSECURE=true, with a message that says why and what to set", async () => {
    const env = await envWith({ NODE_ENV: "production", INNGEST_DEV: "1" });
    expect(() => env.serverEnv()).toThrow(env.InvalidEnvError);
    expect(() => env.serverEnv()).toThrow(
      /INNGEST_DEV: .*without checking signatures.*INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY.*INNGEST_DEV_INSECURE=true/,
    );
    // The job client reads the Inngest part alone (at import time): it refuses too, with the same message.
    expect(() => env.inngestEnv()).toThrow(/INNGEST_DEV_INSECURE=true/);
  });

  it("is refused when INNGEST_DEV is a dev server URL as well", async () => {
    const env = await envWith({ NODE_ENV: "production", INNGEST_DEV: "http://inngest-dev:8288" });
    expect(() => env.serverEnv()).toThrow(/INNGEST_DEV_INSECURE=true/);
  });

  it("is accepted with INNGEST_DEV_INSECURE=true", async () => {
    const env = await envWith({ NODE_ENV: "production", INNGEST_DEV: "1", INNGEST_DEV_INSECURE: "true" });
    expect(env.serverEnv().INNGEST_DEV).toBe("1");
    const { inngestSettings } = await import("@/server/scim-export/settings");
    expect(inngestSettings()).toMatchObject({ mode: "inngest", dev: true });
  });

  it("INNGEST_DEV_INSECURE takes only true or false", async () => {
    const env = await envWith({ NODE_ENV: "production", INNGEST_DEV: "1", INNGEST_DEV_INSECURE: "yes" });
    expect(() => env.serverEnv()).toThrow(/INNGEST_DEV_INSECURE/);
  });

  it("INNGEST_DEV=0 or false is not dev mode, so production needs nothing more", async () => {
    for (const off of ["0", "false"]) {
      const env = await envWith({ NODE_ENV: "production", INNGEST_DEV: off });
      expect(() => env.serverEnv()).not.toThrow();
    }
  });

  it("outside production (npm run dev, tests) INNGEST_DEV alone is enough", async () => {
    const env = await envWith({ NODE_ENV: "development", INNGEST_DEV: "1" });
    expect(() => env.serverEnv()).not.toThrow();
  });
});
