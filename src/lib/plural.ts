/**
 * A count and its noun, as the console writes them everywhere: "1 member", "2 members",
 * "10,000 users", "0 groups". Numbers are grouped in English, like the dates (format-date.ts).
 * Irregular nouns pass their plural: plural(n, "entry", "entries").
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? singular : pluralForm}`;
}
