/**
 * A user's custom extension attributes (Okta's and Entra's custom attributes, kept by SCIM Import
 * in `extra` under their schema URN), flattened for people to read: one row per attribute.
 */
export type CustomAttribute = { schema: string; name: string; value: string | number | boolean };

export function customAttributesOf(extra: unknown): CustomAttribute[] {
  if (typeof extra !== "object" || extra === null || Array.isArray(extra)) return [];
  const rows: CustomAttribute[] = [];
  for (const [schema, values] of Object.entries(extra)) {
    if (!/^urn:/i.test(schema) || typeof values !== "object" || values === null || Array.isArray(values)) continue;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") rows.push({ schema, name, value });
    }
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.schema.localeCompare(b.schema));
}
