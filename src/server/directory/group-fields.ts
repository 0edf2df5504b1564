/** The writable attributes of a directory group, mirroring the DirectoryGroup columns. */
export type GroupFields = {
  displayName: string;
  externalId: string | null;
  description: string | null;
  /** Other attributes and extension schemas, as the client sent them. */
  extra: Record<string, unknown>;
};

export type NewGroupFields = Pick<GroupFields, "displayName"> & Partial<Omit<GroupFields, "displayName">>;

/** Group names are unique per tenant whatever their letter case, like userNames. */
export function displayNameKey(displayName: string): string {
  return displayName.toLowerCase();
}
