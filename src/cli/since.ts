import { UsageError } from "./command";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since`: an ISO date or time ("2026-12-01", "2026-12-01T08:00Z") or an age ("30m", "12h", "7d"). */
export function parseSince(text: string, now = new Date()): Date {
  const age = /^(\d{1,6})([mhd])$/.exec(text.trim());
  if (age) return new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS]);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = new Date(text);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new UsageError(`--since: "${text}" is neither a date (2026-12-01, 2026-12-01T08:00Z) nor an age (30m, 12h, 7d).`);
}
