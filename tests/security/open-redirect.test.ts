import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/safe-redirect";

/**
 * Issue 13 item 3: a callbackUrl is followed only to the console's own origin. Each refused
 * candidate below is a way a browser reads a string that starts with "/" as another host (or as
 * script); the old check ("starts with / and not //") let the first ones through.
 */
const APP_URL = "http://localhost:3000";

const refused: Array<[string, string]> = [
  ["backslash after the slash", "/\\evil.example"],
  ["two backslashes", "\\\\evil.example"],
  ["backslash then slash", "\\/evil.example"],
  ["raw tab between the slashes", "/\t/evil.example"],
  ["raw newline between the slashes", "/\n/evil.example"],
  ["raw carriage return between the slashes", "/\r/evil.example"],
  ["raw tab and backslash", "/\t\\evil.example"],
  ["leading space before a scheme-relative URL", " //evil.example"],
  ["scheme-relative URL", "//evil.example"],
  ["scheme-relative URL with a path", "//evil.example/t/acme/users"],
  ["three slashes", "///evil.example"],
  ["dot segment that leaves // as the path", "/.//evil.example"],
  ["encoded dot segment that leaves // as the path", "/%2e//evil.example"],
  ["absolute https URL", "https://evil.example/"],
  ["absolute http URL of another port", "http://localhost:3001/t/acme/users"],
  ["scheme without slashes", "https:evil.example"],
  ["javascript: URL", "javascript:alert(document.domain)"],
  ["javascript: URL in mixed case with a tab", "java\tscript:alert(1)"],
  ["data: URL", "data:text/html,<script>alert(1)</script>"],
  ["userinfo before another host", "//localhost:3000@evil.example"],
  ["userinfo on the app's own origin", "http://user:pass@localhost:3000/t/acme/users"],
  ["absolute URL with the app's host as userinfo", "https://localhost:3000@evil.example/"],
  ["empty string", ""],
  ["very long input", `/${"a".repeat(5000)}`],
];

const accepted: Array<[string, string, string]> = [
  ["a console path with query and fragment", "/t/acme/users?x=1#y", "/t/acme/users?x=1#y"],
  ["the root", "/", "/"],
  ["an invitation link", "/invite/abc_DEF-123", "/invite/abc_DEF-123"],
  ["an absolute URL on the app's origin", "http://localhost:3000/t/acme/groups", "/t/acme/groups"],
  ["an encoded tab stays an encoded path segment", "/%09/evil.example", "/%09/evil.example"],
  ["encoded slashes stay one path segment", "/%2f%2fevil.example", "/%2f%2fevil.example"],
  ["a relative path resolves under the origin", "t/acme/users", "/t/acme/users"],
  ["dot segments cannot climb above the origin", "/../../evil.example", "/evil.example"],
];

describe("safeRedirectPath", () => {
  it.each(refused)("refuses %s", (_name, candidate) => {
    expect(safeRedirectPath(candidate, APP_URL)).toBeNull();
  });

  it.each(accepted)("accepts %s", (_name, candidate, path) => {
    expect(safeRedirectPath(candidate, APP_URL)).toBe(path);
  });

  it("refuses what is not a string", () => {
    expect(safeRedirectPath(undefined, APP_URL)).toBeNull();
    expect(safeRedirectPath(["/t/acme/users"], APP_URL)).toBeNull();
  });

  it("judges against APP_URL's origin, including a path prefix and https", () => {
    expect(safeRedirectPath("https://console.example.com/t/acme/users", "https://console.example.com/base")).toBe("/t/acme/users");
    expect(safeRedirectPath("http://console.example.com/t/acme/users", "https://console.example.com")).toBeNull();
  });

  it("never returns a path that a browser would read as another host", () => {
    for (const [, candidate] of [...refused, ...accepted]) {
      const path = safeRedirectPath(candidate, APP_URL);
      if (path === null) continue;
      expect(new URL(path, "http://localhost:3000").origin).toBe("http://localhost:3000");
      expect(path.startsWith("//") || path.startsWith("/\\")).toBe(false);
    }
  });
});
