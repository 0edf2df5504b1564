/**
 * The mapping expression language: a small, safe subset in the style of Entra's provisioning
 * expressions. Text is tokenised and parsed into a tree, type-checked, then evaluated by walking
 * the tree: nothing is ever `eval`ed, there are no loops, and every function is pure.
 *
 *   Join(" ", [givenName], [familyName])      ToLower(Coalesce([email], [userName]))
 *   IIF([active], "yes", "no")                Switch([department], "Other", "ENG", "Engineering")
 *
 * Attribute references are `[name]` or a bare name; strings are double-quoted with `\"` and `\\`.
 *
 * Pure and in src/lib because both sides use it: the console's mapping form checks an expression
 * as it is typed, SCIM Export's renderer evaluates it.
 */

export type ValueType = "string" | "boolean" | "number" | "list" | "any";
export type ExpressionValue = string | boolean | number | string[] | null;

export type ExpressionNode =
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "boolean"; value: boolean; pos: number }
  | { kind: "null"; pos: number }
  | { kind: "attribute"; name: string; pos: number }
  | { kind: "call"; name: FunctionName; args: ExpressionNode[]; pos: number };

/** An error a person can fix: the message and the 0-based character position it refers to. */
export class ExpressionError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = "ExpressionError";
    this.position = position;
  }
}

type FunctionSpec = {
  /** Minimum and maximum argument counts (max Infinity: variadic). */
  min: number;
  max: number;
  /** Argument types, the last repeating for variadic functions. */
  args: ValueType[];
  returns: ValueType | ((argTypes: ValueType[]) => ValueType);
  help: string;
};

export const FUNCTIONS = {
  Join: {
    min: 2,
    max: Infinity,
    args: ["string", "any"],
    returns: "string",
    help: "Join(separator, value1, value2, …): the non-empty values joined, lists flattened.",
  },
  ToLower: { min: 1, max: 1, args: ["string"], returns: "string", help: "ToLower(value)" },
  ToUpper: { min: 1, max: 1, args: ["string"], returns: "string", help: "ToUpper(value)" },
  Trim: { min: 1, max: 1, args: ["string"], returns: "string", help: "Trim(value): without surrounding spaces." },
  Coalesce: {
    min: 1,
    max: Infinity,
    args: ["any"],
    returns: (types) => commonType(types),
    help: "Coalesce(value1, value2, …): the first non-empty value.",
  },
  IIF: {
    min: 3,
    max: 3,
    args: ["boolean", "any", "any"],
    returns: (types) => commonType(types.slice(1)),
    help: "IIF(condition, valueIfTrue, valueIfFalse)",
  },
  Switch: {
    min: 2,
    max: Infinity,
    args: ["string", "any", "string", "any"],
    returns: "any",
    help: "Switch(source, default, key1, value1, key2, value2, …)",
  },
  Left: { min: 2, max: 2, args: ["string", "number"], returns: "string", help: "Left(value, count): the first count characters." },
  Replace: {
    min: 3,
    max: 3,
    args: ["string", "string", "string"],
    returns: "string",
    help: "Replace(value, find, replacement): every occurrence.",
  },
  Split: {
    min: 2,
    max: 2,
    args: ["string", "string"],
    returns: "list",
    help: "Split(value, separator): a list (for multi-valued attributes such as entitlements).",
  },
  Append: { min: 2, max: 2, args: ["string", "string"], returns: "string", help: "Append(value, suffix)" },
  Equals: { min: 2, max: 2, args: ["any", "any"], returns: "boolean", help: "Equals(a, b): true when both are equal (case-sensitive)." },
  Not: { min: 1, max: 1, args: ["boolean"], returns: "boolean", help: "Not(condition)" },
  IsPresent: { min: 1, max: 1, args: ["any"], returns: "boolean", help: "IsPresent(value): true when the value is not empty." },
} satisfies Record<string, FunctionSpec>;

type FunctionName = keyof typeof FUNCTIONS;
const functionNames = Object.keys(FUNCTIONS) as FunctionName[];

function commonType(types: ValueType[]): ValueType {
  const distinct = [...new Set(types)];
  return distinct.length === 1 ? distinct[0]! : "any";
}

/**
 * `urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter`: a user's custom extension
 * attribute (Okta's, Entra's custom attributes as SCIM Import keeps them), written in brackets.
 */
export function isExtensionAttribute(name: string): boolean {
  return /^urn:[A-Za-z0-9][A-Za-z0-9-]*(:[^\s:\]\[]+)+:[A-Za-z][A-Za-z0-9_-]*$/i.test(name);
}

/** The input key of an extension attribute: URN and name are case-insensitive (RFC 7643 §2.1). */
export function extensionAttributeKey(name: string): string {
  return name.toLowerCase();
}

// ─── Tokens ─────────────────────────────────────────────────────────────────

type Token =
  | { t: "ident"; v: string; pos: number }
  | { t: "attr"; v: string; pos: number }
  | { t: "string"; v: string; pos: number }
  | { t: "number"; v: number; pos: number }
  | { t: "(" | ")" | ","; pos: number }
  | { t: "end"; pos: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ t: c, pos: i });
      i++;
    } else if (c === '"') {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ExpressionError('This text is not closed: add a closing ".', start);
        const d = text[i]!;
        if (d === "\\" && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ t: "string", v: value, pos: start });
    } else if (c === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) throw new ExpressionError("This attribute reference is not closed: add a closing ].", i);
      const name = text.slice(i + 1, end).trim();
      if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(name) && !isExtensionAttribute(name))
        throw new ExpressionError(`"${name}" is not an attribute name.`, i + 1);
      tokens.push({ t: "attr", v: name, pos: i });
      i = end + 1;
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?\d+/.exec(text.slice(i));
      if (!match) throw new ExpressionError(`Unexpected "${c}".`, i);
      tokens.push({ t: "number", v: Number(match[0]), pos: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      tokens.push({ t: "ident", v: match[0], pos: i });
      i += match[0].length;
    } else {
      throw new ExpressionError(`Unexpected "${c}".`, i);
    }
  }
  tokens.push({ t: "end", pos: text.length });
  return tokens;
}

// ─── Parser ─────────────────────────────────────────────────────────────────

const MAX_DEPTH = 32;
const MAX_LENGTH = 2000;

/**
 * Parses and type-checks `text` against the attributes that exist (`attributeTypes`). Throws an
 * ExpressionError with the position of the first problem.
 */
export function parseExpression(text: string, attributeTypes: Readonly<Record<string, ValueType>>): ExpressionNode {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`An expression has at most ${MAX_LENGTH} characters.`, MAX_LENGTH);
  if (text.trim() === "") throw new ExpressionError("Enter an expression.", 0);
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;

  const parseNode = (depth: number): ExpressionNode => {
    if (depth > MAX_DEPTH) throw new ExpressionError("This expression is nested too deeply.", peek().pos);
    const token = next();
    switch (token.t) {
      case "string":
        return { kind: "string", value: token.v, pos: token.pos };
      case "number":
        return { kind: "number", value: token.v, pos: token.pos };
      case "attr":
        return attributeNode(token.v, token.pos);
      case "ident": {
        if (peek().t === "(") {
          const name = functionNames.find((f) => f.toLowerCase() === token.v.toLowerCase());
          if (!name) throw new ExpressionError(`Unknown function "${token.v}". Known: ${functionNames.join(", ")}.`, token.pos);
          next();
          const args: ExpressionNode[] = [];
          if (peek().t !== ")") {
            for (;;) {
              args.push(parseNode(depth + 1));
              const sep = next();
              if (sep.t === ")") break;
              if (sep.t !== ",") throw new ExpressionError(`Expected "," or ")" after an argument of ${name}.`, sep.pos);
            }
          } else {
            next();
          }
          return { kind: "call", name, args, pos: token.pos };
        }
        const lower = token.v.toLowerCase();
        if (lower === "true" || lower === "false") return { kind: "boolean", value: lower === "true", pos: token.pos };
        if (lower === "null") return { kind: "null", pos: token.pos };
        return attributeNode(token.v, token.pos);
      }
      case "end":
        throw new ExpressionError("The expression ends too early.", token.pos);
      default:
        throw new ExpressionError(`Unexpected "${token.t}".`, token.pos);
    }
  };

  const attributeNode = (name: string, pos: number): ExpressionNode => {
    // A custom extension attribute (`[urn:…:User:costCenter]`): any one, as SCIM Import keeps undeclared ones too.
    if (isExtensionAttribute(name)) return { kind: "attribute", name: extensionAttributeKey(name), pos };
    const known = Object.keys(attributeTypes).find((a) => a.toLowerCase() === name.toLowerCase());
    if (!known) throw new ExpressionError(`Unknown attribute "${name}".`, pos);
    return { kind: "attribute", name: known, pos };
  };

  const node = parseNode(0);
  const rest = peek();
  if (rest.t !== "end") throw new ExpressionError("Unexpected text after the end of the expression.", rest.pos);
  typeOf(node, attributeTypes);
  return node;
}

/** The static type of a node; throws an ExpressionError on an argument of the wrong type or count. */
export function typeOf(node: ExpressionNode, attributeTypes: Readonly<Record<string, ValueType>>): ValueType {
  switch (node.kind) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "any";
    case "attribute":
      return attributeTypes[node.name] ?? "any";
    case "call": {
      const spec: FunctionSpec = FUNCTIONS[node.name];
      const n = node.args.length;
      if (n < spec.min || n > spec.max) {
        const expected =
          spec.max === Infinity ? `at least ${spec.min}` : spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
        throw new ExpressionError(
          `${node.name} takes ${expected} argument${spec.min === 1 && spec.max === 1 ? "" : "s"}: ${spec.help}`,
          node.pos,
        );
      }
      if (node.name === "Switch" && n % 2 !== 0) {
        throw new ExpressionError(`Switch takes a source, a default, then key/value pairs: ${spec.help}`, node.pos);
      }
      const types = node.args.map((arg, index) => {
        const actual = typeOf(arg, attributeTypes);
        const expected = expectedType(node.name, spec, index);
        if (!compatible(expected, actual)) {
          throw new ExpressionError(`Argument ${index + 1} of ${node.name} must be ${article(expected)}, not ${article(actual)}.`, arg.pos);
        }
        return actual;
      });
      return typeof spec.returns === "function" ? spec.returns(types) : spec.returns;
    }
  }
}

function expectedType(name: FunctionName, spec: FunctionSpec, index: number): ValueType {
  if (name === "Switch") return index < 2 ? spec.args[index]! : index % 2 === 0 ? "string" : "any";
  return spec.args[Math.min(index, spec.args.length - 1)]!;
}

function compatible(expected: ValueType, actual: ValueType): boolean {
  if (expected === "any" || actual === "any" || expected === actual) return true;
  // Numbers and booleans read fine as text; lists do not.
  return expected === "string" && (actual === "number" || actual === "boolean");
}

function article(type: ValueType): string {
  return { string: "text", boolean: "a true/false value", number: "a number", list: "a list", any: "a value" }[type];
}

// ─── Evaluation ─────────────────────────────────────────────────────────────

export type ExpressionInput = Readonly<Record<string, ExpressionValue | undefined>>;

const isEmpty = (v: ExpressionValue | undefined): boolean =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

const asText = (v: ExpressionValue | undefined): string | null => {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.join(",");
  return String(v);
};

/** Evaluates a parsed expression. Empty inputs flow through as null (ToLower(null) is null). */
export function evaluateExpression(node: ExpressionNode, input: ExpressionInput): ExpressionValue {
  switch (node.kind) {
    case "string":
    case "number":
    case "boolean":
      return node.value;
    case "null":
      return null;
    case "attribute": {
      const value = input[node.name];
      return value === undefined ? null : value;
    }
    case "call": {
      const arg = (i: number) => evaluateExpression(node.args[i]!, input);
      switch (node.name) {
        case "Join": {
          const separator = asText(arg(0)) ?? "";
          const parts = node.args.slice(1).flatMap((a) => {
            const v = evaluateExpression(a, input);
            return Array.isArray(v) ? v : isEmpty(v) ? [] : [String(v)];
          });
          return parts.length ? parts.filter((p) => p !== "").join(separator) : null;
        }
        case "ToLower":
          return asText(arg(0))?.toLowerCase() ?? null;
        case "ToUpper":
          return asText(arg(0))?.toUpperCase() ?? null;
        case "Trim":
          return asText(arg(0))?.trim() ?? null;
        case "Coalesce": {
          for (const a of node.args) {
            const v = evaluateExpression(a, input);
            if (!isEmpty(v)) return v;
          }
          return null;
        }
        case "IIF":
          return arg(0) === true ? arg(1) : arg(2);
        case "Switch": {
          const source = asText(arg(0));
          for (let i = 2; i + 1 < node.args.length; i += 2) {
            if (asText(arg(i)) === source) return arg(i + 1);
          }
          return arg(1);
        }
        case "Left": {
          const text = asText(arg(0));
          const count = Number(arg(1));
          return text === null ? null : text.slice(0, Math.max(0, count));
        }
        case "Replace": {
          const text = asText(arg(0));
          const find = asText(arg(1)) ?? "";
          return text === null ? null : find === "" ? text : text.split(find).join(asText(arg(2)) ?? "");
        }
        case "Split": {
          const text = asText(arg(0));
          if (text === null || text === "") return [];
          const separator = asText(arg(1)) ?? ",";
          return text
            .split(separator)
            .map((s) => s.trim())
            .filter((s) => s !== "");
        }
        case "Append": {
          const text = asText(arg(0));
          return text === null ? null : text + (asText(arg(1)) ?? "");
        }
        case "Equals":
          return asText(arg(0)) === asText(arg(1));
        case "Not":
          return arg(0) !== true;
        case "IsPresent":
          return !isEmpty(arg(0));
      }
    }
  }
}
