import type { ErrorFormat } from "./error-formats";

/**
 * How large a request body each route takes, decided from the request head alone so that an
 * oversized body is refused (413) before a byte of it is read. A body without a Content-Length
 * (chunked) is refused with 411 wherever the route's handler does not count bytes itself: the
 * framework would read it whole before the handler could look at its size.
 */
export type BodyRoute = {
  /** What the route is, in messages. */
  name: string;
  matches(pathname: string): boolean;
  maxBytes: number;
  errors: ErrorFormat;
  /** The handler reads the body through its own byte counter, so a body without a length may pass. */
  countsStreamedBodies: boolean;
};

const KiB = 1024;
const MiB = 1024 * KiB;

/** Caps the routes' own readers apply too (a body without a length, or the route called directly). */
export const CONSOLE_API_MAX_BYTES = 1 * MiB;
export const SIGN_IN_MAX_BYTES = 16 * KiB;

const under = (prefix: string) => (pathname: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

/**
 * The caps, first match wins. Each is well above what the route's legitimate callers send: the
 * console's largest tRPC input is a pasted IdP metadata XML (≤ 512 KB); a SAML response with
 * its certificates is tens of KB; OAuth and next-auth take a few form fields; Inngest sends a
 * run's step state. SCIM Import's cap is its advertised maxPayloadSize, which its handler
 * enforces on streamed bodies too.
 */
export function bodyRoutes(scimMaxPayloadBytes: number): BodyRoute[] {
  return [
    { name: "SCIM Import", matches: under("/api/scim"), maxBytes: scimMaxPayloadBytes, errors: "scim", countsStreamedBodies: true },
    {
      name: "the console's API",
      matches: under("/api/trpc"),
      maxBytes: CONSOLE_API_MAX_BYTES,
      errors: "trpc",
      countsStreamedBodies: false,
    },
    { name: "sign-in", matches: under("/api/auth"), maxBytes: SIGN_IN_MAX_BYTES, errors: "text", countsStreamedBodies: false },
    {
      name: "the SAML ACS",
      matches: (p) => /^\/api\/sso\/[^/]+\/acs\/?$/.test(p),
      maxBytes: 1 * MiB,
      errors: "text",
      countsStreamedBodies: false,
    },
    { name: "OAuth", matches: under("/api/oauth"), maxBytes: 16 * KiB, errors: "oauth", countsStreamedBodies: false },
    { name: "Inngest", matches: under("/api/inngest"), maxBytes: 4 * MiB, errors: "text", countsStreamedBodies: false },
    { name: "this route", matches: () => true, maxBytes: 64 * KiB, errors: "text", countsStreamedBodies: false },
  ];
}

export function bodyRouteFor(routes: BodyRoute[], pathname: string): BodyRoute {
  return routes.find((route) => route.matches(pathname))!;
}

export type BodyRefusal = { status: 411 | 413; message: string };

/** Why the request's body may not be read, from its head; null when it may. */
export function bodyRefusal(route: BodyRoute, headers: { "content-length"?: string; "transfer-encoding"?: string }): BodyRefusal | null {
  const declared = headers["content-length"];
  if (declared !== undefined) {
    // Node's parser has already refused a Content-Length that is not a number.
    if (Number(declared) > route.maxBytes) {
      return {
        status: 413,
        message: `The request body (${declared} bytes) is larger than ${route.name} accepts (${route.maxBytes} bytes).`,
      };
    }
    return null;
  }
  if (headers["transfer-encoding"] !== undefined && !route.countsStreamedBodies) {
    return {
      status: 411,
      message: `Send the request body with a Content-Length header (at most ${route.maxBytes} bytes): ${route.name} does not take bodies of unknown length.`,
    };
  }
  return null;
}
