import { expect, test } from "@playwright/test";

/**
 * Issue 13, item 1, against the production build: a route handler that fails on a database error
 * (a NUL byte, which PostgreSQL refuses in text) answers without a stack trace or the database's
 * message; the server's log keeps them.
 */
test("a route that fails on a database error answers nothing of the error", async ({ request }) => {
  for (const path of ["/api/sso/a%00b/metadata", "/api/sso/a%00b/start?email=someone%40example.com"]) {
    const answer = await request.get(path, { maxRedirects: 0 });
    const text = await answer.text();
    expect(answer.status(), `${path}: ${text}`).toBeGreaterThanOrEqual(400);
    expect(text, path).not.toMatch(/\n\s+at |stack|prisma|postgres|invalid byte sequence|0x00|SQLSTATE/i);
  }
});
