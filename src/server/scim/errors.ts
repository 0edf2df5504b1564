import { SCHEMA } from "./schema-urns";

/**
 * The `scimType` values of RFC 7644 §3.12 (Table 9). 413 answers carry no scimType: the RFC's own
 * example (§3.7.4) has none, and clients key on the HTTP status.
 */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export interface ScimErrorBody {
  readonly schemas: readonly [typeof SCHEMA.error];
  /** A string, not a number (RFC 7644 §3.12); Okta and Entra both parse it as such. */
  readonly status: string;
  readonly scimType?: ScimType;
  readonly detail: string;
}

/**
 * A protocol error meant to be shown to the SCIM client. Throw it from pure code; the route layer
 * turns it into a response with `toScimErrorResponse`. `detail` must tell the caller what to change.
 */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;

  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.name = "ScimError";
    this.status = status;
    this.scimType = scimType;
  }

  get detail(): string {
    return this.message;
  }

  static invalidFilter(detail: string): ScimError {
    return new ScimError(400, detail, "invalidFilter");
  }
  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, detail, "invalidSyntax");
  }
  static invalidPath(detail: string): ScimError {
    return new ScimError(400, detail, "invalidPath");
  }
  static invalidValue(detail: string): ScimError {
    return new ScimError(400, detail, "invalidValue");
  }
  static noTarget(detail: string): ScimError {
    return new ScimError(400, detail, "noTarget");
  }
  static mutability(detail: string): ScimError {
    return new ScimError(400, detail, "mutability");
  }
  static invalidVers(detail: string): ScimError {
    return new ScimError(400, detail, "invalidVers");
  }
  static tooMany(detail: string): ScimError {
    return new ScimError(400, detail, "tooMany");
  }
  static sensitive(detail: string): ScimError {
    return new ScimError(403, detail, "sensitive");
  }
  /** 409 always carries `uniqueness`: a bare 409 is one of the bugs clients trip over (INTEROP.md). */
  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, "uniqueness");
  }
  /** Any string is a possible id (Okta probes with random ones): unknown means 404, never 400/500. */
  static notFound(resourceType: string, id: string): ScimError {
    return new ScimError(404, `${resourceType} ${JSON.stringify(id)} not found`);
  }
  static unauthorized(detail = 'Missing or invalid bearer token; send "Authorization: Bearer <SCIM token>".'): ScimError {
    return new ScimError(401, detail);
  }
  static forbidden(detail: string): ScimError {
    return new ScimError(403, detail);
  }
  static methodNotAllowed(method: string, endpoint: string): ScimError {
    return new ScimError(405, `${method} is not supported on ${endpoint}`);
  }
  /** RFC 7644 §3.7.1: an unresolvable (circular) bulkId reference may be answered with 409. */
  static conflict(detail: string): ScimError {
    return new ScimError(409, detail);
  }
  /** RFC 7644 §3.14: If-Match did not match the current version. */
  static preconditionFailed(detail: string): ScimError {
    return new ScimError(412, detail);
  }
  /** RFC 7644 §3.7.4: bulk request over maxOperations or maxPayloadSize. */
  static tooLarge(detail: string): ScimError {
    return new ScimError(413, detail);
  }
  static notImplemented(detail: string): ScimError {
    return new ScimError(501, detail);
  }
  static internal(detail = "Internal server error; retry later."): ScimError {
    return new ScimError(500, detail);
  }
}

export function toScimErrorBody(error: ScimError): ScimErrorBody {
  return {
    schemas: [SCHEMA.error],
    status: String(error.status),
    ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
    detail: error.detail,
  };
}

/**
 * Maps anything thrown to a SCIM answer. Unknown errors (a database outage…) become 500 with a
 * generic detail, never 404: "database errors reported as 404" made clients delete users (INTEROP.md).
 * The caller logs the original error; it is not echoed, so internals do not leak.
 */
export function toScimErrorResponse(error: unknown): { status: number; body: ScimErrorBody } {
  const scimError = error instanceof ScimError ? error : ScimError.internal();
  return { status: scimError.status, body: toScimErrorBody(scimError) };
}
