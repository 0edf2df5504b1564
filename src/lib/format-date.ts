/**
 * The console's one way of writing a moment: absolute, in English month names (so "03/04" is never
 * read both ways), in the reader's own time zone. Every table, detail and log uses these three.
 *
 * - formatDate       "Dec 7, 2026"                 when the day is all that matters (created, expires)
 * - formatDateTime   "Dec 7, 2026, 6:48 PM"        when something happened or will happen
 * - formatTimestamp  "Dec 7, 2026, 6:48:04 PM"     log rows (events, sign-ins, operations), where
 *                                                  requests a second apart must read apart
 *
 * A missing value reads "—", so callers can pass optional fields as they are.
 */

type DateInput = Date | string | number | null | undefined;

const MISSING = "—";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const timestampFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

function format(formatter: Intl.DateTimeFormat, value: DateInput): string {
  if (value === null || value === undefined || value === "") return MISSING;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? MISSING : formatter.format(date);
}

export function formatDate(value: DateInput): string {
  return format(dateFormat, value);
}

export function formatDateTime(value: DateInput): string {
  return format(dateTimeFormat, value);
}

export function formatTimestamp(value: DateInput): string {
  return format(timestampFormat, value);
}
