import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretBoxError } from "./secret-box";

const key = Buffer.alloc(32, 1);
const otherKey = Buffer.alloc(32, 2);

describe("secret box", () => {
  it.each(["", "s3cr3t", "ünïcødé 🔑", "x".repeat(10_000)])("round-trips %#", (plaintext) => {
    const stored = encryptSecret(plaintext, { key });
    expect(stored.startsWith("v1.")).toBe(true);
    expect(stored).not.toContain(plaintext || "\u0000");
    expect(decryptSecret(stored, { key })).toBe(plaintext);
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", { key })).not.toBe(encryptSecret("same", { key }));
  });

  const stored = encryptSecret("secret", { key, aad: "row:1" });
  const [v, iv, tag, data] = stored.split(".") as [string, string, string, string];
  const flip = (s: string) => Buffer.from(Buffer.from(s, "base64url").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64url");

  it.each([
    ["wrong key", stored, { key: otherKey, aad: "row:1" }],
    ["wrong context", stored, { key, aad: "row:2" }],
    ["missing context", stored, { key }],
    ["tampered ciphertext", [v, iv, tag, flip(data)].join("."), { key, aad: "row:1" }],
    ["tampered tag", [v, iv, flip(tag), data].join("."), { key, aad: "row:1" }],
    ["tampered iv", [v, flip(iv), tag, data].join("."), { key, aad: "row:1" }],
    ["unknown version", ["v9", iv, tag, data].join("."), { key, aad: "row:1" }],
    ["not a secret", "plain text", { key }],
    ["short iv", [v, "AAAA", tag, data].join("."), { key, aad: "row:1" }],
  ])("refuses %s", (_name, value, options) => {
    expect(() => decryptSecret(value, options)).toThrow(SecretBoxError);
  });

  it("refuses a key of the wrong size", () => {
    expect(() => encryptSecret("x", { key: Buffer.alloc(16) })).toThrow(SecretBoxError);
  });
});
