/**
 * ALLOW_PRIVATE_TARGETS has one reader, env.ts: the URL guard asks it even where the other
 * settings are missing (unit tests, the emulators), and a value that is neither true nor false is
 * refused with the setting's name instead of being read as false.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkTargetUrl } from "./url-guard";

afterEach(() => vi.unstubAllEnvs());

describe("the URL guard's ALLOW_PRIVATE_TARGETS", () => {
  it("lets a loopback target through when true, without any other setting", async () => {
    vi.stubEnv("DATABASE_URL", undefined);
    vi.stubEnv("ALLOW_PRIVATE_TARGETS", "true");
    expect((await checkTargetUrl("http://127.0.0.1:8080/scim")).ok).toBe(true);
  });

  it("refuses a loopback target when false or unset", async () => {
    vi.stubEnv("ALLOW_PRIVATE_TARGETS", "false");
    expect((await checkTargetUrl("https://127.0.0.1/scim")).ok).toBe(false);
    vi.stubEnv("ALLOW_PRIVATE_TARGETS", undefined);
    expect((await checkTargetUrl("https://127.0.0.1/scim")).ok).toBe(false);
  });

  it("refuses a value that is neither true nor false, naming the setting", async () => {
    vi.stubEnv("ALLOW_PRIVATE_TARGETS", "yes");
    await expect(checkTargetUrl("https://127.0.0.1/scim")).rejects.toThrow(/ALLOW_PRIVATE_TARGETS must be true or false/);
  });
});
