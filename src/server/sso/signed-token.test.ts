import { describe, expect, it } from "vitest";
import { signToken, verifyToken } from "./signed-token";

const secret = "s".repeat(40);
const opts = { secret, purpose: "portal", now: 1000 };

describe("signed tokens", () => {
  const token = signToken({ exp: 2000, userId: "u1" }, opts);

  it("verifies its own token", () => {
    expect(verifyToken(token, opts)).toEqual({ exp: 2000, userId: "u1" });
  });

  it.each([
    ["expired", token, { ...opts, now: 2000 }],
    ["another purpose", token, { ...opts, purpose: "state" }],
    ["another secret", token, { ...opts, secret: "t".repeat(40) }],
    ["tampered payload", `${Buffer.from(JSON.stringify({ exp: 2000, userId: "u2" })).toString("base64url")}.${token.split(".")[1]}`, opts],
    ["tampered MAC", `${token.split(".")[0]}.${"A".repeat(43)}`, opts],
    ["no MAC", token.split(".")[0], opts],
    ["empty", "", opts],
    ["undefined", undefined, opts],
    ["three parts", `${token}.x`, opts],
  ])("refuses %s", (_name, value, options) => {
    expect(verifyToken(value, options)).toBeNull();
  });

  it("refuses a payload without exp", () => {
    const noExp = signToken({ exp: undefined as unknown as number }, opts);
    expect(verifyToken(noExp, opts)).toBeNull();
  });
});
