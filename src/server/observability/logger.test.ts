import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";

function capture(level: "info" | "warn" = "info") {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level, destination }) };
}

describe("logger", () => {
  it("writes one JSON object per line with level, time and the fields", () => {
    const { lines, logger } = capture();
    logger.info({ route: "/api/scim/v2/:tenant/Users", status: 201, durationMs: 3.2, tenant: "acme", requestId: "r1" }, "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", msg: "request", route: "/api/scim/v2/:tenant/Users", status: 201, tenant: "acme" });
    expect(typeof lines[0]!.time).toBe("string");
  });

  it("never writes secrets, at the top level, one object down, or in headers", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: "scim-token-123",
        password: "hunter2-hunter2",
        profile: { token: "dapi-secret", tokenCiphertext: "abc", name: "kept" },
        headers: { authorization: "Bearer scim-token-123", cookie: "next-auth.session-token=xyz", "set-cookie": "s=1" },
        request: { headers: { authorization: "Bearer dapi-secret" } },
      },
      "with secrets",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["scim-token-123", "hunter2", "dapi-secret", "session-token=xyz", "s=1", '"abc"'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ token: "[redacted]", profile: { name: "kept", token: "[redacted]" } });
  });

  it("honours the level", () => {
    const { lines, logger } = capture("warn");
    logger.info("not written");
    logger.warn("written");
    expect(lines.map((l) => l.msg)).toEqual(["written"]);
  });
});
