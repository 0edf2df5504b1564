import {
  formatFilter,
  isNeverReturned,
  mayNameNeverReturned,
  parseFilter,
  parsePatchPath,
  redactFilter,
  type AttributePathLike,
} from "../scim";

/**
 * What a provisioning event must not show, decided by attribute path rather than by spelling:
 * the schema's never-returned attributes (the User's password, in any letter case, with or
 * without its URN) and names that look like credentials whatever the schema says (an
 * `access_token` parameter, an `apiSecret` key in an odd body).
 */
export const REDACTED = "[redacted]";

const CREDENTIAL_NAME = /pass(word)?|secret|token|authori[sz]ation|credential|api[-_]?key|signature/i;

/** A text in which neither a never-returned attribute nor a credential-looking word occurs names no secret. */
const maySpellSecret = (text: string) => CREDENTIAL_NAME.test(text) || mayNameNeverReturned(text);

const isSecretAttribute = (path: AttributePathLike) =>
  isNeverReturned(path) ||
  CREDENTIAL_NAME.test(path.attribute) ||
  (path.subAttribute !== undefined && CREDENTIAL_NAME.test(path.subAttribute));

/** Keys and PATCH paths repeat (a few names per client): verdicts are remembered, up to a bound. */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 2_000;

/**
 * Whether an attribute path, a PATCH path (`password`, `urn:…:User:password`,
 * `emails[value eq "x"]`) or a body key names a secret. A path that does not parse but spells a
 * secret-looking word counts as one: when in doubt, redact.
 */
export function isSecretPath(text: string): boolean {
  if (!maySpellSecret(text)) return false;
  const known = verdicts.get(text);
  if (known !== undefined) return known;
  let verdict: boolean;
  try {
    const path = parsePatchPath(text);
    verdict = isSecretAttribute(path) || (path.filter !== undefined && redactFilter(path.filter, isSecretAttribute) !== undefined);
  } catch {
    verdict = true;
  }
  if (verdicts.size < MAX_VERDICTS) verdicts.set(text, verdict);
  return verdict;
}

/**
 * A filter as it may be stored: comparisons on secrets keep their attribute and operator, their
 * value becomes "[redacted]"; a filter that does not parse and spells a secret-looking word is
 * redacted whole.
 */
export function redactFilterText(text: string): string {
  if (!maySpellSecret(text)) return text;
  try {
    const redacted = redactFilter(parseFilter(text), isSecretAttribute, REDACTED);
    return redacted ? formatFilter(redacted) : text;
  } catch {
    return REDACTED;
  }
}

const ENCODED_LETTER = /%(?:[46][1-9a-f]|[57][0-9a])/i;

/**
 * The query string as it may be stored: credential-looking parameters (`access_token=…`) and
 * secrets in `filter` redacted. Unchanged queries are kept exactly as sent.
 */
export function redactQueryString(search: string): string {
  if (search === "" || search === "?") return search;
  // Without percent-encoded letters, a query that spells no secret word needs no decoding (every lookup).
  if (!ENCODED_LETTER.test(search) && !maySpellSecret(search)) return search;
  const params = new URLSearchParams(search);
  let changed = false;
  const kept: [string, string][] = [];
  for (const [name, value] of params) {
    const stored = CREDENTIAL_NAME.test(name) ? REDACTED : name.toLowerCase() === "filter" ? redactFilterText(value) : value;
    if (stored !== value) changed = true;
    kept.push([name, stored]);
  }
  return changed ? `?${new URLSearchParams(kept).toString()}` : search;
}
