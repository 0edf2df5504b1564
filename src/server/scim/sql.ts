/**
 * A parameterized SQL fragment: `strings` interleave with `values` exactly like a tagged template
 * (strings.length === values.length + 1), so a caller hands it to Prisma as
 * `Prisma.sql(fragment.strings, ...fragment.values)` or to pg through `toPostgres`. User input only
 * ever travels in `values`.
 */
export class Sql {
  readonly strings: readonly string[];
  readonly values: readonly unknown[];

  constructor(strings: readonly string[], values: readonly unknown[]) {
    if (strings.length !== values.length + 1) {
      throw new Error(`Sql needs one more string than values (got ${strings.length} strings, ${values.length} values)`);
    }
    this.strings = strings;
    this.values = values;
  }
}

/** Tagged template: interpolated `Sql` fragments are inlined, anything else becomes a parameter. */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: readonly unknown[]): Sql {
  const outStrings: string[] = [strings[0] ?? ""];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    const following = strings[i + 1] ?? "";
    if (value instanceof Sql) {
      outStrings[outStrings.length - 1] += value.strings[0] ?? "";
      outStrings.push(...value.strings.slice(1));
      outValues.push(...value.values);
      outStrings[outStrings.length - 1] += following;
    } else {
      outValues.push(value);
      outStrings.push(following);
    }
  });
  return new Sql(outStrings, outValues);
}

/** Trusted SQL text (identifiers from code, never from a request). */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

const empty = raw("");

export function join(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 0) return empty;
  const strings = ["", ...parts.slice(1).map(() => separator), ""];
  return sql(strings, ...parts);
}

/** `$1, $2…` placeholders for node-postgres, and for readable test assertions. */
export function toPostgres(fragment: Sql): { text: string; values: unknown[] } {
  const text = fragment.strings.reduce((acc, part, i) => `${acc}$${i}${part}`);
  return { text, values: [...fragment.values] };
}
