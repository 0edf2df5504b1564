const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatDate(value: Date | string): string {
  return dateFormat.format(new Date(value));
}

export function formatDateTime(value: Date | string): string {
  return dateTimeFormat.format(new Date(value));
}

/** The name a person recognises: the display name, else given + family name, else the userName. */
export function personName(user: { displayName: string | null; givenName?: string | null; familyName?: string | null; userName: string }): string {
  const full = [user.givenName, user.familyName].filter(Boolean).join(" ");
  return user.displayName || full || user.userName;
}
