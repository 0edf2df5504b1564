/** Removes secrets from anything that goes into a log row: bearer tokens, passwords, the token itself. */
const SECRET_KEYS = /^(authorization|password|token|secret|access_token|client_secret|bearer)$/i;

export function redact(value: unknown, secrets: readonly string[] = []): unknown {
  const scrub = (text: string) => {
    let out = text.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]");
    for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
    return out;
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 8) return "[…]";
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.slice(0, 200).map((x) => walk(x, depth + 1));
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : walk(x, depth + 1)]));
    }
    return v;
  };
  return walk(value, 0);
}
