/** The name a person recognises: the display name, else given + family name, else the userName. */
export function personName(user: {
  displayName: string | null;
  givenName?: string | null;
  familyName?: string | null;
  userName: string;
}): string {
  const full = [user.givenName, user.familyName].filter(Boolean).join(" ");
  return user.displayName || full || user.userName;
}
