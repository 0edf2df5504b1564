import { describe, expect, it } from "vitest";
import { evaluateExpression, ExpressionError, parseExpression, type ValueType } from "./mapping-expression";

const types: Record<string, ValueType> = {
  givenName: "string",
  familyName: "string",
  email: "string",
  userName: "string",
  active: "boolean",
  department: "string",
};
const input = { givenName: "Ada", familyName: "Lovelace", email: "ADA@Example.com", userName: "ada", active: true, department: "ENG" };
const run = (text: string, values: Record<string, unknown> = input) => evaluateExpression(parseExpression(text, types), values as never);

describe("expressions", () => {
  it.each([
    ['Join(" ", [givenName], [familyName])', "Ada Lovelace"],
    ['Join(".", givenName, familyName)', "Ada.Lovelace"],
    ["ToLower([email])", "ada@example.com"],
    ["ToUpper(givenName)", "ADA"],
    ['Coalesce([title_missing_default], "x")', null],
    ['IIF([active], "yes", "no")', "yes"],
    ['Switch([department], "Other", "ENG", "Engineering", "OPS", "Operations")', "Engineering"],
    ['Switch("HR", "Other", "ENG", "Engineering")', "Other"],
    ["Left([familyName], 4)", "Love"],
    ['Replace([email], "Example", "corp")', "ADA@corp.com"],
    ['Split("a, b,,c", ",")', ["a", "b", "c"]],
    ['Append([userName], "@corp")', "ada@corp"],
    ['Not(Equals([department], "ENG"))', false],
    ["IsPresent([givenName])", true],
    ['"with \\"quotes\\""', 'with "quotes"'],
  ])("%s → %j", (text, expected) => {
    if (text.includes("title_missing_default")) {
      expect(() => run(text)).toThrow(ExpressionError);
      return;
    }
    expect(run(text)).toEqual(expected);
  });

  it("passes empty values through as null", () => {
    expect(run("ToLower([givenName])", { givenName: null })).toBeNull();
    expect(run('Coalesce([givenName], [familyName], "none")', { givenName: "", familyName: null })).toBe("none");
    expect(run('Join(" ", [givenName], [familyName])', { givenName: "Ada", familyName: null })).toBe("Ada");
  });

  it.each([
    ["ToLower(", 8, /ends too early/],
    ['ToLower("a"', 11, /Expected "," or "\)"/],
    ["Frobnicate([email])", 0, /Unknown function "Frobnicate"/],
    ["ToLower([nope])", 8, /Unknown attribute "nope"/],
    ['IIF("x", "a", "b")', 4, /Argument 1 of IIF must be a true\/false value/],
    ["ToLower([email], [email])", 0, /ToLower takes 1 argument/],
    ['Switch([department], "x", "ENG")', 0, /key\/value pairs/],
    ['"open', 0, /not closed/],
    ["[email] extra", 8, /after the end/],
    ["ToLower([email]) )", 17, /after the end/],
    ["", 0, /Enter an expression/],
    ['Left([email], "3")', 14, /Argument 2 of Left must be a number/],
  ])("%s fails at %i", (text, position, message) => {
    try {
      parseExpression(text, types);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).position).toBe(position);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("never evaluates code", () => {
    expect(() => parseExpression("process.exit(1)", types)).toThrow(ExpressionError);
    expect(() => parseExpression('constructor("return 1")', types)).toThrow(/Unknown function/);
  });
});
