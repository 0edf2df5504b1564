import { type AttributePath, isAttributeName, parseAttributePath } from "./attribute-path";
import { ScimError } from "./errors";
import { type Filter, parseFilter } from "./parse-filter";

/**
 * A PATCH path (RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`):
 * `name.givenName`, `emails[type eq "work"].value`, `members[value eq "id"]`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
 * `subAttribute` is either the plain sub-attribute or the one after the filter.
 */
export interface PatchPath extends AttributePath {
  readonly filter: Filter | undefined;
}

const invalidPath = (text: string) => (detail: string) => ScimError.invalidPath(`Invalid path ${JSON.stringify(text)}: ${detail}`);

/** Plain paths (no filter) as parsed: every body key and most PATCH paths are one of a few names. */
const plainPaths = new Map<string, PatchPath>();
const MAX_PLAIN_PATHS = 2_000;

export function parsePatchPath(text: string): PatchPath {
  const known = plainPaths.get(text);
  if (known) return known;
  const trimmed = text.trim();
  const open = trimmed.indexOf("[");
  if (open < 0) {
    const path = Object.freeze({ ...parseAttributePath(trimmed, invalidPath(text)), filter: undefined });
    if (plainPaths.size < MAX_PLAIN_PATHS) plainPaths.set(text, path);
    return path;
  }

  const close = closingBracket(trimmed, open);
  if (close < 0) throw invalidPath(text)('"[" is never closed; end the filter with "]"');
  // Parsing "attr[filter]" as a filter reuses the grammar, incl. its relative-path rule inside [].
  const node = parseFilter(trimmed.slice(0, close + 1));
  if (node.kind !== "valuePath") throw invalidPath(text)("expected attribute[filter]");
  const rest = trimmed.slice(close + 1);
  let subAttribute: string | undefined;
  if (rest !== "") {
    const name = rest.startsWith(".") ? rest.slice(1) : "";
    if (!isAttributeName(name)) throw invalidPath(text)(`after "]" only ".subAttribute" may follow, not ${JSON.stringify(rest)}`);
    subAttribute = name;
  }
  return { schema: node.path.schema, attribute: node.path.attribute, subAttribute, filter: node.filter };
}

/** Index of the "]" closing the "[" at `open`, skipping brackets inside quoted strings. */
function closingBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === "]") {
      return i;
    }
  }
  return -1;
}
