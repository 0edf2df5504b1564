/**
 * Where the console may send the browser after sign-in, sign-up or sign-out: a `callbackUrl`
 * someone else may have written (a link in a phishing mail), so only a place on the console's own
 * origin is accepted.
 *
 * String checks ("starts with / and not //") are not enough: browsers parse `/\evil.example`
 * and `/<tab>/evil.example` as `//evil.example`, another host. So the candidate is resolved the
 * way the browser will resolve it (the WHATWG URL parser, against APP_URL) and accepted only when
 * the result has APP_URL's origin. What is returned is the path, query and fragment of that
 * result, already normalised by the parser; a result whose path itself starts with `//` (from
 * `/.//evil.example`) is refused too, since a browser would read that path as a host again.
 */
const MAX_CANDIDATE_LENGTH = 2048;

/** The same-origin path to go to, or null when `candidate` is missing or points elsewhere. */
export function safeRedirectPath(candidate: unknown, appUrl: string): string | null {
  if (typeof candidate !== "string" || candidate === "" || candidate.length > MAX_CANDIDATE_LENGTH) return null;
  const base = new URL(appUrl);
  let target: URL;
  try {
    target = new URL(candidate, base);
  } catch {
    return null;
  }
  if (target.origin !== base.origin || target.username !== "" || target.password !== "") return null;
  if (target.pathname.startsWith("//")) return null;
  return `${target.pathname}${target.search}${target.hash}`;
}
