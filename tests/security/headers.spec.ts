import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../../src/testing/e2e/accounts";
import { callTrpc } from "../../src/testing/e2e/trpc";
import { TestSamlIdp } from "../../src/testing/idp/saml-idp";

/**
 * Issue 13, item 8: every answer carries the security headers; pages run under a nonce-based
 * Content-Security-Policy with no console error and no violation; another site cannot frame the
 * console; the SSO auto-post page still submits itself to the IdP.
 */

/** Everything a page reports as wrong: console errors, uncaught errors, CSP violations. */
async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  await page.exposeFunction("__reportCspViolation", (line: string) => problems.push(line));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation(line: string): void }).__reportCspViolation(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return problems;
}

/** A server on another origin (another port of 127.0.0.1) that answers every path with `html`. */
async function serveElsewhere(respond: (request: http.IncomingMessage, body: string) => string) {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(respond(request, body)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function cspDirectives(header: string | undefined): Map<string, string> {
  return new Map(
    (header ?? "")
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.slice(d.split(/\s+/)[0]!.length).trim()] as [string, string]),
  );
}

test("another site that frames the console shows nothing of it", async ({ page, baseURL }) => {
  const attacker = await serveElsewhere(
    () => `<!doctype html><title>attacker</title><iframe src="${baseURL}/sign-in" onload="document.title='frame loaded'"></iframe>`,
  );
  try {
    await page.goto(attacker.url);
    await expect(page).toHaveTitle("frame loaded");
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await frame.locator("input, button, form").count()).toBe(0);
    expect(
      await frame
        .locator("body")
        .textContent()
        .catch(() => ""),
    ).not.toMatch(/sign in/i);
  } finally {
    await attacker.close();
  }
});

test("pages carry a fresh nonce in their CSP, and Next's scripts carry it", async ({ request }) => {
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  const nonceOf = (header: string | undefined) => /'nonce-([A-Za-z0-9+/_=-]+)'/.exec(cspDirectives(header).get("script-src") ?? "")?.[1];
  const nonce = nonceOf(first.headers()["content-security-policy"]);
  expect(nonce).toBeTruthy();
  expect(nonceOf(second.headers()["content-security-policy"])).not.toBe(nonce);

  const csp = cspDirectives(first.headers()["content-security-policy"]);
  expect(csp.get("default-src")).toBe("'self'");
  expect(csp.get("script-src")).toContain("'strict-dynamic'");
  expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
  expect(csp.get("frame-ancestors")).toBe("'none'");
  expect(csp.get("object-src")).toBe("'none'");
  expect(csp.get("base-uri")).toBe("'none'");
  expect(csp.get("form-action")).toBe("'self'");

  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
});

test("every answer carries the security headers (page, API, static file, 404)", async ({ request }) => {
  const page = await request.get("/sign-in");
  const script = /<script\b[^>]*src="([^"]+)"/.exec(await page.text())?.[1];
  const answers = {
    page,
    trpc: await request.get("/api/trpc/account.me"),
    health: await request.get("/api/health"),
    staticFile: await request.get(script!),
    notFound: await request.get("/no-such-page"),
  };
  for (const [name, answer] of Object.entries(answers)) {
    const headers = answer.headers();
    expect(headers["x-frame-options"], name).toBe("DENY");
    expect(headers["x-content-type-options"], name).toBe("nosniff");
    expect(headers["referrer-policy"], name).toBe("strict-origin-when-cross-origin");
    expect(headers["cross-origin-opener-policy"], name).toBe("same-origin");
    expect(headers["permissions-policy"], name).toMatch(/camera=\(\)/);
    expect(cspDirectives(headers["content-security-policy"]).get("frame-ancestors"), name).toBe("'none'");
    // APP_URL is http:// in this run: HSTS would be wrong (and ignored) on plain http.
    expect(headers["strict-transport-security"], name).toBeUndefined();
  }
  expect(answers.trpc.headers()["cache-control"]).toMatch(/no-store/);
  expect(cspDirectives(answers.trpc.headers()["content-security-policy"]).get("default-src")).toBe("'none'");
});

test("the console's main pages load under the CSP with no console error and no violation", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const problems = await watchProblems(page);
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  const owner = await signUp(page);

  const profile = await callTrpc(
    page.request,
    "scimExport.create",
    { tenantSlug: owner.slug, name: "Databricks", description: "", type: "DATABRICKS" },
    "mutation",
  );
  expect(profile.status, JSON.stringify(profile.body)).toBe(200);
  const idp = new TestSamlIdp({ entityId: "https://idp.example.com/saml" });
  const saml = await callTrpc(
    page.request,
    "sso.createSaml",
    { tenantSlug: owner.slug, name: "Okta SAML", source: { metadataXml: idp.metadata() } },
    "mutation",
  );
  expect(saml.status, JSON.stringify(saml.body)).toBe(200);

  const pages: [string, (p: Page) => Promise<void>][] = [
    [`/t/${owner.slug}/users`, (p) => expect(p.getByRole("heading", { name: "Users", level: 2 })).toBeVisible()],
    [
      `/t/${owner.slug}/scim-export/${profile.body.result.data.json.id}/configuration`,
      (p) => expect(p.getByRole("heading", { name: "Databricks", level: 2 })).toBeVisible(),
    ],
    [
      `/t/${owner.slug}/auth-profiles/${saml.body.result.data.json.profile.id}`,
      (p) => expect(p.getByRole("heading", { name: "Okta SAML" })).toBeVisible(),
    ],
    [`/portal/${owner.slug}/sign-in`, (p) => expect(p.getByRole("button", { name: "Continue" })).toBeVisible()],
  ];
  for (const [path, ready] of pages) {
    const response = await page.goto(path);
    expect(response?.headers()["content-security-policy"], path).toMatch(/'nonce-/);
    await ready(page);
    // Next's client runtime ran (its scripts were allowed), so the page is interactive.
    await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
  }

  // The sign-up page, for a visitor without a session.
  const visitor = await browser.newPage({ baseURL });
  const visitorProblems = await watchProblems(visitor);
  await visitor.goto("/sign-up");
  await expect(visitor.getByRole("button", { name: "Create account" })).toBeVisible();
  await visitor.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
  await visitor.close();

  expect([...problems, ...visitorProblems]).toEqual([]);
});

test("an SSO profile with HTTP-POST binding: the auto-post page submits itself to the IdP under its CSP", async ({ page }) => {
  const idpServer = await serveElsewhere(
    (request, body) =>
      `<!doctype html><title>IdP</title><p>IdP received ${request.method} with ${new URLSearchParams(body).has("SAMLRequest") ? "a SAMLRequest" : "nothing"}</p>`,
  );
  try {
    const owner = await signUp(page);
    const idp = new TestSamlIdp({ entityId: `${idpServer.url}/metadata`, ssoUrl: `${idpServer.url}/sso` });
    const metadataXml = idp
      .metadata()
      .replaceAll("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    const saml = await callTrpc(
      page.request,
      "sso.createSaml",
      { tenantSlug: owner.slug, name: "POST binding", source: { metadataXml } },
      "mutation",
    );
    expect(saml.status, JSON.stringify(saml.body)).toBe(200);

    const problems = await watchProblems(page);
    const autoPost = page.waitForResponse((r) => r.url().includes(`/api/sso/${owner.slug}/test`));
    await page.goto(`/api/sso/${owner.slug}/test?profileId=${saml.body.result.data.json.profile.id}`);
    await expect(page.getByText("IdP received POST with a SAMLRequest")).toBeVisible();

    const headers = (await autoPost).headers();
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(cspDirectives(headers["content-security-policy"]).get("default-src")).toBe("'none'");
    expect(problems).toEqual([]);
  } finally {
    await idpServer.close();
  }
});
