/**
 * Whether two URLs name the same origin (scheme, host and port) once the URL parser has
 * normalised them: case, default ports, IDN and IPv6 spellings do not matter, paths do not count.
 * Pure: the console's forms use it to say up front what the server will refuse. A text that is
 * not a URL has no origin and matches nothing.
 */
export function sameOrigin(a: string, b: string): boolean {
  const origin = (text: string) => {
    try {
      const url = new URL(text);
      // Opaque origins ("null": file:, data: …) are never the same as anything.
      return url.origin === "null" ? null : url.origin;
    } catch {
      return null;
    }
  };
  const first = origin(a);
  return first !== null && first === origin(b);
}
