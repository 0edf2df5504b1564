/** The fields `select` names, taken from `row` (a row read with a wider select). */
export function pick<T extends Record<string, unknown>, S extends Record<string, true>>(
  row: T,
  select: S,
): Pick<T, Extract<keyof S, keyof T>> {
  return Object.fromEntries(Object.keys(select).map((key) => [key, row[key]])) as Pick<T, Extract<keyof S, keyof T>>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the fields whose values differ, before and after: what an audit entry shows of an edit. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changed = Object.keys(after).filter((key) => !same(before[key], after[key]));
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, after[key] ?? null])),
  };
}
