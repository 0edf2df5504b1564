import { type AttributePath, formatAttributePath, isAttributeName, parseAttributePath } from "./attribute-path";
import { ScimError } from "./errors";
import { unstorableTextProblem } from "./storable-text";

const COMPARE_OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];
export type FilterValue = string | number | boolean | null;

/**
 * Filter AST (RFC 7644 §3.4.2.2). Inside `valuePath.filter`, paths are relative to the parent
 * (`type`, `value`). Entra's `emails[type eq "work"].value eq "x"` is parsed as
 * `valuePath(emails, type eq "work" and value eq "x")`, which means the same: one element matches both.
 */
export type Filter =
  | { readonly kind: "compare"; readonly path: AttributePath; readonly op: CompareOperator; readonly value: FilterValue }
  | { readonly kind: "present"; readonly path: AttributePath }
  | { readonly kind: "and" | "or"; readonly left: Filter; readonly right: Filter }
  | { readonly kind: "not"; readonly filter: Filter }
  | { readonly kind: "valuePath"; readonly path: AttributePath; readonly filter: Filter };

export interface FilterLimits {
  /** Longest filter accepted, in characters. */
  readonly maxLength: number;
  /** Deepest nesting of parentheses, `not` and `[...]`. */
  readonly maxDepth: number;
  /** Most comparisons / presence tests in one filter. */
  readonly maxTerms: number;
}

export const DEFAULT_FILTER_LIMITS: FilterLimits = { maxLength: 4096, maxDepth: 12, maxTerms: 100 };

type Token =
  | { readonly kind: "(" | ")" | "[" | "]" | "." | "end"; readonly pos: number }
  | { readonly kind: "word"; readonly pos: number; readonly text: string }
  | { readonly kind: "string"; readonly pos: number; readonly value: string; readonly text: string }
  | { readonly kind: "number"; readonly pos: number; readonly value: number; readonly text: string };

const WORD_CHAR = /[A-Za-z0-9:._$-]/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

function fail(pos: number, detail: string): ScimError {
  return ScimError.invalidFilter(`Invalid filter at character ${pos + 1}: ${detail}`);
}

function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the filter";
    case "word":
    case "string":
    case "number":
      return JSON.stringify(token.text);
    default:
      return JSON.stringify(token.kind);
  }
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === "[" || ch === "]") {
      tokens.push({ kind: ch, pos: i });
      i++;
      continue;
    }
    // A dot on its own only follows "]", as in emails[type eq "work"].value.
    if (ch === "." && tokens.at(-1)?.kind === "]") {
      tokens.push({ kind: ".", pos: i });
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === "\\" ? 2 : 1;
      if (j >= input.length) throw fail(i, 'string is not closed; end it with a double quote (")');
      const text = input.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw fail(i, `string ${text} has an invalid escape; use JSON escapes such as \\" and \\\\ (RFC 7159 §7)`);
      }
      // Escapes can spell text no column can store (\u0000, a lone \ud800): a bad value, not a bad filter.
      const problem = unstorableTextProblem(value as string);
      if (problem) throw ScimError.invalidValue(`Invalid filter at character ${i + 1}: ${problem}`);
      tokens.push({ kind: "string", pos: i, value: value as string, text });
      i = j + 1;
      continue;
    }
    if (ch === "'") throw fail(i, 'strings must be in double quotes ("…"), not single quotes');
    if (/[-0-9]/.test(ch)) {
      const match = NUMBER.exec(input.slice(i));
      const end = i + (match?.[0].length ?? 0);
      if (!match || (end < input.length && WORD_CHAR.test(input[end] as string))) {
        let j = i;
        while (j < input.length && WORD_CHAR.test(input[j] as string)) j++;
        throw fail(i, `${JSON.stringify(input.slice(i, j) || ch)} is not a number (JSON number syntax) nor an attribute name`);
      }
      tokens.push({ kind: "number", pos: i, value: Number(match[0]), text: match[0] });
      i = end;
      continue;
    }
    if (/[A-Za-z$]/.test(ch)) {
      let j = i;
      while (j < input.length && WORD_CHAR.test(input[j] as string)) j++;
      tokens.push({ kind: "word", pos: i, text: input.slice(i, j) });
      i = j;
      continue;
    }
    throw fail(i, `unexpected character ${JSON.stringify(ch)}`);
  }
  tokens.push({ kind: "end", pos: input.length });
  return tokens;
}

const isKeyword = (token: Token, keyword: string): boolean => token.kind === "word" && token.text.toLowerCase() === keyword;

class FilterParser {
  private index = 0;
  private terms = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly limits: FilterLimits,
  ) {}

  parse(): Filter {
    const filter = this.parseOr(0, false);
    const next = this.peek();
    if (next.kind !== "end") {
      throw fail(next.pos, `expected "and", "or" or the end of the filter, found ${describe(next)}`);
    }
    return filter;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private expect(kind: ")" | "]", opened: Token): void {
    const token = this.peek();
    if (token.kind !== kind) {
      throw fail(
        token.pos,
        `expected ${JSON.stringify(kind)} to close ${JSON.stringify(opened.kind)} opened at character ${opened.pos + 1}, found ${describe(token)}`,
      );
    }
    this.index++;
  }

  private enter(depth: number, token: Token): number {
    if (depth + 1 > this.limits.maxDepth) {
      throw fail(token.pos, `nesting deeper than ${this.limits.maxDepth} levels is not accepted; simplify the filter`);
    }
    return depth + 1;
  }

  // Precedence (RFC 7644 §3.4.2.2): not > and > or, hence or → and → not → atom.
  private parseOr(depth: number, inValuePath: boolean): Filter {
    let left = this.parseAnd(depth, inValuePath);
    while (isKeyword(this.peek(), "or")) {
      this.index++;
      left = { kind: "or", left, right: this.parseAnd(depth, inValuePath) };
    }
    return left;
  }

  private parseAnd(depth: number, inValuePath: boolean): Filter {
    let left = this.parseNot(depth, inValuePath);
    while (isKeyword(this.peek(), "and")) {
      this.index++;
      left = { kind: "and", left, right: this.parseNot(depth, inValuePath) };
    }
    return left;
  }

  private parseNot(depth: number, inValuePath: boolean): Filter {
    const token = this.peek();
    if (isKeyword(token, "not")) {
      const after = this.peek(1);
      if (after.kind === "(") {
        this.index++;
        return { kind: "not", filter: this.parseAtom(this.enter(depth, token), inValuePath) };
      }
      if (after.kind === "word") {
        throw fail(after.pos, '"not" must be followed by a filter in parentheses, e.g. not (userName eq "x")');
      }
    }
    return this.parseAtom(depth, inValuePath);
  }

  private parseAtom(depth: number, inValuePath: boolean): Filter {
    const token = this.next();
    if (token.kind === "(") {
      const inner = this.parseOr(this.enter(depth, token), inValuePath);
      this.expect(")", token);
      return inner;
    }
    if (token.kind !== "word") {
      throw fail(token.pos, `expected an attribute name or "(", found ${describe(token)}`);
    }
    const path = this.parsePath(token, inValuePath);
    if (this.peek().kind === "[") {
      const open = this.next();
      if (inValuePath) throw fail(open.pos, 'a value filter "[...]" cannot be nested inside another one');
      if (path.subAttribute !== undefined) {
        throw fail(open.pos, `"[...]" must follow the multi-valued attribute itself, e.g. ${path.attribute}[…].${path.subAttribute}`);
      }
      const inner = this.parseOr(this.enter(depth, open), true);
      this.expect("]", open);
      if (this.peek().kind !== ".") return { kind: "valuePath", path, filter: inner };
      // Entra: emails[type eq "work"].value eq "x" — one element must satisfy both parts.
      this.index++;
      const sub = this.next();
      if (sub.kind !== "word" || !isAttributeName(sub.text)) {
        throw fail(sub.pos, `expected a sub-attribute name after "].", found ${describe(sub)}`);
      }
      const subPath: AttributePath = { schema: undefined, attribute: sub.text, subAttribute: undefined };
      return { kind: "valuePath", path, filter: { kind: "and", left: inner, right: this.parseComparison(subPath, sub) } };
    }
    return this.parseComparison(path, token);
  }

  private parsePath(token: Token & { kind: "word" }, inValuePath: boolean): AttributePath {
    const path = parseAttributePath(token.text, (detail) => fail(token.pos, detail));
    if (inValuePath && (path.schema !== undefined || path.subAttribute !== undefined)) {
      throw fail(
        token.pos,
        `inside "[...]" name a sub-attribute of the enclosing attribute (e.g. type, value), not ${JSON.stringify(token.text)}`,
      );
    }
    return path;
  }

  private parseComparison(path: AttributePath, pathToken: Token): Filter {
    this.terms++;
    if (this.terms > this.limits.maxTerms) {
      throw fail(pathToken.pos, `more than ${this.limits.maxTerms} comparisons in one filter are not accepted`);
    }
    const opToken = this.next();
    if (opToken.kind !== "word") {
      throw fail(
        opToken.pos,
        `expected an operator after ${formatAttributePath(path)} (eq, ne, co, sw, ew, gt, lt, ge, le or pr), found ${describe(opToken)}`,
      );
    }
    const op = opToken.text.toLowerCase();
    if (op === "pr") return { kind: "present", path };
    if (!(COMPARE_OPERATORS as readonly string[]).includes(op)) {
      throw fail(
        opToken.pos,
        `the operator ${JSON.stringify(opToken.text)} is not supported; use eq, ne, co, sw, ew, gt, lt, ge, le or pr`,
      );
    }
    return { kind: "compare", path, op: op as CompareOperator, value: this.parseValue(op) };
  }

  private parseValue(op: string): FilterValue {
    const token = this.next();
    if (token.kind === "string" || token.kind === "number") return token.value;
    // RFC 5234 §2.3: ABNF literals are case-insensitive, so True and NULL are accepted too.
    if (token.kind === "word") {
      const lower = token.text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      throw fail(token.pos, `${JSON.stringify(token.text)} is not a value; quote strings: "${token.text}"`);
    }
    throw fail(token.pos, `expected a value after "${op}" (a "string", number, true, false or null), found ${describe(token)}`);
  }
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2). Operators, keywords and attribute names are
 * case-insensitive; any syntax error is a 400 invalidFilter saying where and what, because an
 * empty 200 would make clients create duplicates (INTEROP.md).
 */
export function parseFilter(input: string, limits: FilterLimits = DEFAULT_FILTER_LIMITS): Filter {
  if (input.length > limits.maxLength) {
    throw ScimError.invalidFilter(`Filter is ${input.length} characters long; at most ${limits.maxLength} are accepted`);
  }
  if (input.trim() === "") throw ScimError.invalidFilter("Filter is empty; omit the filter parameter to list everything");
  return new FilterParser(tokenize(input), limits).parse();
}

/** Renders a filter back to SCIM syntax (canonical spacing); used in logs and by the export client. */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case "compare":
      return `${formatAttributePath(filter.path)} ${filter.op} ${JSON.stringify(filter.value)}`;
    case "present":
      return `${formatAttributePath(filter.path)} pr`;
    case "and":
    case "or": {
      const wrap = (child: Filter) => (child.kind === "or" && filter.kind === "and" ? `(${formatFilter(child)})` : formatFilter(child));
      return `${wrap(filter.left)} ${filter.kind} ${wrap(filter.right)}`;
    }
    case "not":
      return `not (${formatFilter(filter.filter)})`;
    case "valuePath":
      return `${formatAttributePath(filter.path)}[${formatFilter(filter.filter)}]`;
  }
}
