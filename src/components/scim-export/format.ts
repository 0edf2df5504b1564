/** Small display helpers for the SCIM Export pages: durations, schedules and payload values (dates: @/lib/format-date). */

export function formatDuration(start: Date | string | null | undefined, end: Date | string | null | undefined): string {
  if (!start) return "—";
  const from = new Date(start).getTime();
  const to = end ? new Date(end).getTime() : Date.now();
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatInterval(minutes: number | null | undefined): string {
  if (!minutes) return "Not scheduled";
  if (minutes % 1440 === 0) return minutes === 1440 ? "Every day" : `Every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "Every hour" : `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

/**
 * Shows a value of a SCIM payload in a table cell: strings as they are, lists as "a, b, c" (long
 * ones cut: a membership batch holds up to 100 names), anything else as compact JSON.
 */
export function formatValue(value: unknown, maxItems = 8): string {
  if (value === null || value === undefined) return "(empty)";
  if (typeof value === "string") return value === "" ? "(empty)" : value;
  if (Array.isArray(value)) {
    if (value.length === 0) return "(empty)";
    const items = value.slice(0, maxItems).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
    return value.length > maxItems ? `${items.join(", ")} and ${value.length - maxItems} more` : items.join(", ");
  }
  return JSON.stringify(value);
}
