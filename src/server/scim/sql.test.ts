import { describe, expect, it } from "vitest";
import { Sql, join, raw, sql, toPostgres } from "./sql";

describe("sql fragments", () => {
  it.each([
    ["plain value", sql`a = ${1}`, "a = $1", [1]],
    ["nested fragment is inlined", sql`(${sql`b = ${"x"}`}) AND c = ${true}`, "(b = $1) AND c = $2", ["x", true]],
    ["raw is text, not a parameter", sql`${raw('"userName"')} = ${"x"}`, '"userName" = $1', ["x"]],
    ["join", join([sql`a = ${1}`, sql`b = ${2}`], " OR "), "a = $1 OR b = $2", [1, 2]],
    ["join of none", join([], " OR "), "", []],
    ["values that look like SQL stay parameters", sql`x = ${"'; DROP TABLE users; --"}`, "x = $1", ["'; DROP TABLE users; --"]],
  ])("%s", (_name, fragment, text, values) => {
    expect(toPostgres(fragment)).toEqual({ text, values });
  });

  it("keeps the Prisma.sql(strings, ...values) shape: one more string than values", () => {
    const fragment = sql`a = ${1} AND ${sql`b = ${2}`}`;
    expect(fragment.strings.length).toBe(fragment.values.length + 1);
    expect(() => new Sql(["a", "b"], [])).toThrow(/one more string/);
  });
});
