import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidEnvError, listenAddress } from "./env";

afterEach(() => vi.unstubAllEnvs());

describe("listenAddress", () => {
  it("defaults to port 3000 on every interface", () => {
    vi.stubEnv("PORT", undefined);
    vi.stubEnv("HOSTNAME", undefined);
    expect(listenAddress()).toEqual({ port: 3000, hostname: "0.0.0.0" });
  });

  it("reads PORT and HOSTNAME", () => {
    vi.stubEnv("PORT", "8080");
    vi.stubEnv("HOSTNAME", "127.0.0.1");
    expect(listenAddress()).toEqual({ port: 8080, hostname: "127.0.0.1" });
  });

  it("refuses a PORT that is not a port number, naming it", () => {
    vi.stubEnv("PORT", "http");
    expect(() => listenAddress()).toThrow(InvalidEnvError);
    expect(() => listenAddress()).toThrow(/PORT: PORT must be a port number/);
  });
});
