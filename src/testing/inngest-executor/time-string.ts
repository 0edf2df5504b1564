/** Inngest time strings (SDK spec §1.3.2): "300ms", "2h45m", "3s"; d and w are 24 h and 168 h. */
const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/gy;

export function parseTimeString(text: string): number {
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    total += Number(match[1]) * UNITS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) throw new Error(`Not an Inngest time string: "${text}" (e.g. "3s", "2h45m")`);
  return total;
}

/** A Sleep op's duration: a time string or an ISO 8601 date (RFC 3339), as milliseconds from now. */
export function sleepDelayMs(duration: string, now = Date.now()): number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(duration)) return Math.max(0, Date.parse(duration) - now);
  return parseTimeString(duration);
}
