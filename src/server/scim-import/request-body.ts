import { ScimError, assertStorableText, mayDecodeToUnstorableText } from "../scim";
import { MAX_JSON_NESTING, jsonNestingDepth } from "../http/json-depth";
import { BodyTooLarge, type ScimHttpRequest } from "./http";
import { refusedBody } from "./refused-body";

/**
 * A request body: parsed, or refused with the SCIM error to answer and what the provisioning
 * event stores of it (a masked preview when it was refused before parsing).
 */
export type RequestBody = { ok: true; value: unknown } | { ok: false; error: ScimError; stored: unknown };

/**
 * Reads and parses a JSON body within the limits: size before reading it all (413), nesting
 * depth before parsing (400 invalidSyntax), text PostgreSQL cannot store after (400 invalidValue).
 */
export async function readRequestBody(request: ScimHttpRequest, maxBytes: number): Promise<RequestBody> {
  let text: string;
  try {
    text = await request.readBody(maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      return refused(ScimError.tooLarge(`The request body exceeds ${maxBytes} bytes (see /ServiceProviderConfig bulk.maxPayloadSize)`));
    return refused(ScimError.invalidSyntax("The request body could not be read"));
  }
  const contentType = request.header("content-type");
  // Okta sends application/json, the RFC says application/scim+json; a missing type is tolerated.
  if (contentType && !/json/i.test(contentType)) {
    return refused(new ScimError(415, `Content-Type ${contentType} is not supported; send application/scim+json or application/json`));
  }
  if (text.trim() === "") return refused(ScimError.invalidSyntax("The request body is empty; send a JSON object"));
  if (jsonNestingDepth(text, MAX_JSON_NESTING) > MAX_JSON_NESTING) {
    const reason = `nested deeper than ${MAX_JSON_NESTING} levels`;
    return refused(
      ScimError.invalidSyntax(`The request body nests objects and arrays ${reason}; a SCIM request needs at most 8`),
      refusedBody(text, reason),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refused(
      ScimError.invalidSyntax(`The request body is not valid JSON: ${parseErrorDetail((error as Error).message)}`),
      refusedBody(text, "not valid JSON"),
    );
  }
  if (mayDecodeToUnstorableText(text)) {
    try {
      assertStorableText(value);
    } catch (error) {
      return { ok: false, error: error as ScimError, stored: value };
    }
  }
  return { ok: true, value };
}

/** V8's message when it gives a position; its other messages quote the body (a password, maybe), which is not echoed. */
function parseErrorDetail(message: string): string {
  return /at position \d+$/.test(message) || message === "Unexpected end of JSON input" ? message : "unexpected token";
}

function refused(error: ScimError, stored?: unknown): RequestBody {
  return { ok: false, error, stored };
}
