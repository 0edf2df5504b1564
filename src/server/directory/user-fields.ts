/**
 * The writable attributes of a directory user, mirroring the DirectoryUser columns. Both writers
 * (console and SCIM Import) speak this shape; the derived columns are computed here, once.
 */

/** One element of a SCIM multi-valued attribute such as `emails` (RFC 7643 §2.4). */
export type MultiValue = { value: string; type?: string | null; primary?: boolean | null; display?: string | null };

export type UserFields = {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  formattedName: string | null;
  honorificPrefix: string | null;
  honorificSuffix: string | null;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  active: boolean;
  emails: MultiValue[];
  phoneNumbers: MultiValue[];
  addresses: Record<string, unknown>[];
  // Enterprise extension (RFC 7643 §4.3)
  employeeNumber: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  department: string | null;
  managerId: string | null;
  managerName: string | null;
  /** Other attributes and extension schemas, as the client sent them. */
  extra: Record<string, unknown>;
};

/** What creating a user needs: a userName; every other attribute is optional. */
export type NewUserFields = Pick<UserFields, "userName"> & Partial<Omit<UserFields, "userName">>;

export type DerivedUserColumns = { userNameKey: string; email: string | null; searchText: string };

/** The primary email, else the first, lower-cased; null when there is none. */
export function primaryEmail(emails: readonly MultiValue[] | null | undefined): string | null {
  const list = (emails ?? []).filter((e) => typeof e?.value === "string" && e.value.trim() !== "");
  const chosen = list.find((e) => e.primary === true) ?? list[0];
  return chosen ? chosen.value.trim().toLowerCase() : null;
}

/**
 * `searchText` sits in a b-tree index beside `userNameKey` (short searches read the index alone),
 * and an index entry holds ~2.7 KB: names past this many characters are not searched in full.
 */
const MAX_SEARCH_TEXT = 300;

/**
 * The canonical key of a userName, which uniqueness and `userName eq` compare: surrounding
 * whitespace trimmed, Unicode NFKC (fullwidth and other compatibility forms become their plain
 * letters), then lower case. "ａｌｉｃｅ@x", "Alice@X " and "alice@x" are one user, as Okta and
 * Entra (case-insensitive userNames, Okta trims) expect; the userName itself is stored as sent.
 */
export function userNameKey(userName: string): string {
  return userName.trim().normalize("NFKC").toLowerCase();
}

/**
 * The columns the database keeps for matching, sorting and search: `userNameKey` carries the
 * case-insensitive uniqueness of userName (RFC 7643 §4.1.1: userName is caseExact false).
 */
export function deriveUserColumns(
  fields: Pick<UserFields, "userName"> & Partial<Pick<UserFields, "displayName" | "givenName" | "familyName" | "emails">>,
): DerivedUserColumns {
  const email = primaryEmail(fields.emails);
  const searchText = [fields.userName, fields.displayName, fields.givenName, fields.familyName, email]
    .filter((part): part is string => typeof part === "string" && part.trim() !== "")
    .map((part) => part.trim().toLowerCase())
    .join(" ")
    .slice(0, MAX_SEARCH_TEXT);
  return { userNameKey: userNameKey(fields.userName), email, searchText };
}

/**
 * The emails after a person sets "the" email in the console: it becomes the primary, the old
 * primary is dropped, any other addresses a SCIM client sent stay. An empty value removes the primary.
 */
export function withPrimaryEmail(emails: readonly MultiValue[], email: string | null): MultiValue[] {
  const current = primaryEmail(emails);
  const others = emails
    .filter((e) => e.value.trim().toLowerCase() !== current && e.value.trim().toLowerCase() !== email?.toLowerCase())
    .map((e) => ({ ...e, primary: false }));
  if (!email) return others;
  const previous = emails.find((e) => e.value.trim().toLowerCase() === current);
  return [{ value: email, type: previous?.type ?? "work", primary: true }, ...others];
}
