const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids arrive from URLs and SCIM requests. A string that is not a UUID names no row; checking here
 * keeps PostgreSQL's uuid cast error (a 500) from ever reaching the caller.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
