/** Unix cron (5 fields: minute hour day-of-month month day-of-week), in UTC, as Inngest schedules. */
type Field = { min: number; max: number };
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 6 },
];

function values(spec: string, { min, max }: Field): Set<number> {
  const out = new Set<number>();
  for (const part of spec.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === "*"
        ? [min, max]
        : range!.includes("-")
          ? range!.split("-").map(Number)
          : [Number(range), stepText === undefined ? Number(range) : max];
    if (![from, to, step].every(Number.isInteger) || from! < min || to! > max || step < 1)
      throw new Error(`Unsupported cron field "${spec}"`);
    for (let v = from!; v <= to!; v += step) out.add(v);
  }
  return out;
}

/** Whether the schedule fires in the minute of `at` (UTC). Names (MON, JAN) and TZ= prefixes are not supported. */
export function cronMatches(schedule: string, at: Date): boolean {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Unsupported cron schedule "${schedule}": five fields expected`);
  const actual = [at.getUTCMinutes(), at.getUTCHours(), at.getUTCDate(), at.getUTCMonth() + 1, at.getUTCDay()];
  return fields.every((spec, i) => values(spec, FIELDS[i]!).has(actual[i]!));
}
