import type { DirectoryUser } from "@/generated/prisma/client";
import { createUser } from "./create-user";
import { getUser } from "./get-user";
import { inTransaction, type DirectoryOptions } from "./scope";
import { updateUser } from "./update-user";
import { primaryEmail, withPrimaryEmail, type UserFields } from "./user-fields";

/** What the console's user form edits; empty strings mean "not set". */
export type ConsoleUserForm = {
  userName: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  title: string;
  department: string;
  active: boolean;
};

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** The form as writable fields. The form has one email; other addresses a SCIM client sent are kept. */
function fieldsFromConsoleForm(
  form: ConsoleUserForm,
  currentEmails: UserFields["emails"] = [],
): Partial<UserFields> & { userName: string } {
  const email = orNull(form.email);
  // An untouched email leaves the list exactly as the IdP sent it (no spurious change).
  const emails = email?.toLowerCase() === primaryEmail(currentEmails) ? currentEmails : withPrimaryEmail(currentEmails, email);
  return {
    userName: form.userName.trim(),
    givenName: orNull(form.givenName),
    familyName: orNull(form.familyName),
    displayName: orNull(form.displayName),
    title: orNull(form.title),
    department: orNull(form.department),
    active: form.active,
    emails,
  };
}

export function createUserFromConsole(options: DirectoryOptions & { form: ConsoleUserForm }): Promise<DirectoryUser> {
  return createUser({ tenantId: options.tenantId, tx: options.tx, source: "CONSOLE", fields: fieldsFromConsoleForm(options.form) });
}

export function updateUserFromConsole(options: DirectoryOptions & { userId: string; form: ConsoleUserForm }): Promise<DirectoryUser> {
  const { tenantId, userId, form } = options;
  return inTransaction(options.tx, async (tx) => {
    const current = await getUser({ tenantId, tx, userId });
    const fields = fieldsFromConsoleForm(form, current.emails as UserFields["emails"]);
    return updateUser({ tenantId, tx, userId, source: "CONSOLE", fields });
  });
}
