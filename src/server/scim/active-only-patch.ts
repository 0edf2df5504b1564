import type { PatchOperation } from "./apply-patch";
import { scimBoolean } from "./coerce-value";
import { isJsonObject } from "./json-object";
import type { PatchPath } from "./parse-path";
import { SCHEMA, sameUrn } from "./schema-urns";

/**
 * The value of `active` a user PATCH leaves, when every operation only sets `active` to a boolean;
 * undefined for any other PATCH. This is how IdPs deactivate and reactivate, the most frequent
 * write after create: Okta sends `{"op": "replace", "value": {"active": false}}`, Entra
 * `{"op": "Replace", "path": "active", "value": "False"}` (INTEROP.md). Such a PATCH can be written
 * without reading the user first; anything else (and anything invalid, which the general path
 * rejects with the right error) goes through applyPatchOperations.
 */
export function activeOnlyPatch(operations: readonly PatchOperation[]): boolean | undefined {
  let active: boolean | undefined;
  for (const operation of operations) {
    if (operation.op === "remove") return undefined;
    const value = operation.path ? (isActivePath(operation.path) ? operation.value : undefined) : activeOfValueObject(operation.value);
    const parsed = scimBoolean(value);
    if (parsed === undefined) return undefined;
    active = parsed;
  }
  return active;
}

function isActivePath(path: PatchPath): boolean {
  return (
    path.filter === undefined &&
    path.subAttribute === undefined &&
    path.attribute.toLowerCase() === "active" &&
    (path.schema === undefined || sameUrn(path.schema, SCHEMA.user))
  );
}

/** `{"active": false}`, also nested under the core schema URN (Entra's aadOptscim062020 dialect). */
function activeOfValueObject(value: unknown): unknown {
  if (!isJsonObject(value)) return undefined;
  const entries = Object.entries(value).filter(([key]) => key.toLowerCase() !== "schemas");
  if (entries.length !== 1) return undefined;
  const [key, item] = entries[0]!;
  if (key.toLowerCase() === "active") return item;
  if (sameUrn(key, SCHEMA.user)) return activeOfValueObject(item);
  return undefined;
}
