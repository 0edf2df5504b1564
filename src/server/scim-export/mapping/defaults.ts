import type { ExportTargetTypeValue, MappingRow } from "@/lib/validation/scim-export";

const row = (
  target: string,
  kind: MappingRow["kind"],
  value: string,
  apply: MappingRow["apply"] = "always",
  defaultValue = "",
): MappingRow => ({
  target,
  kind,
  value,
  apply,
  defaultValue,
});

/**
 * Databricks: userName is the email and must equal the primary work email
 * (docs.databricks.com, SCIM API "Users"); the local id as externalId keeps matching stable.
 */
const databricksUser: MappingRow[] = [
  row("userName", "expression", "ToLower(Coalesce([email], [userName]))"),
  row("emails", "expression", "ToLower(Coalesce([email], [userName]))"),
  row("displayName", "expression", 'Coalesce([displayName], Join(" ", [givenName], [familyName]), [userName])'),
  row("name.givenName", "attribute", "givenName"),
  row("name.familyName", "attribute", "familyName"),
  row("active", "attribute", "active"),
  row("externalId", "attribute", "id"),
];

const scimUser: MappingRow[] = [
  row("userName", "attribute", "userName"),
  row("emails", "attribute", "email"),
  row("displayName", "attribute", "displayName"),
  row("name.givenName", "attribute", "givenName"),
  row("name.familyName", "attribute", "familyName"),
  row("active", "attribute", "active"),
  row("externalId", "attribute", "id"),
];

export function defaultUserMapping(type: ExportTargetTypeValue): MappingRow[] {
  return (type === "DATABRICKS" ? databricksUser : scimUser).map((r) => ({ ...r }));
}

export function defaultGroupMapping(type: ExportTargetTypeValue): MappingRow[] {
  return type === "DATABRICKS"
    ? [row("displayName", "attribute", "displayName")]
    : [row("displayName", "attribute", "displayName"), row("externalId", "attribute", "id")];
}
