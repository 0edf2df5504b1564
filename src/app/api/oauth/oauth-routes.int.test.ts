/**
 * Jackson's OAuth endpoints as the app serves them: whatever a caller sends (an unknown client, a
 * made-up code or token, a body of the wrong type), the answer is an OAuth error, never a 500.
 */
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { closeJackson } from "@/server/sso/jackson";
import { GET as authorizeGet, POST as authorizePost } from "./authorize/route";
import { GET as oidcGet } from "./oidc/route";
import { POST as tokenPost } from "./token/route";
import { GET as userinfoGet } from "./userinfo/route";

const base = process.env.APP_URL!;
afterAll(async () => {
  await closeJackson();
});

function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new NextRequest(`${base}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}

async function expectOAuthError(response: Response, status: number, error: string | RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await response.json()) as { error: string; error_description?: string };
  expect(body.error).toMatch(error);
  expect(typeof body.error_description).toBe("string");
  return body;
}

describe("/api/oauth/token", () => {
  it("refuses a made-up code with invalid_grant", async () => {
    const response = await tokenPost(
      form("/api/oauth/token", {
        grant_type: "authorization_code",
        code: "made-up",
        client_id: "dummy",
        client_secret: "dummy",
        redirect_uri: `${base}/api/sso/callback`,
        code_verifier: "x".repeat(43),
      }),
    );
    await expectOAuthError(response, 400, "invalid_grant");
  });

  it("refuses an unsupported grant type and a body that is not a form", async () => {
    await expectOAuthError(
      await tokenPost(form("/api/oauth/token", { grant_type: "password", username: "a", password: "b" })),
      400,
      /unsupported_grant_type|invalid_request|invalid_grant/,
    );
    const json = new NextRequest(`${base}/api/oauth/token`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    await expectOAuthError(await tokenPost(json), 400, "invalid_request");
  });
});

describe("/api/oauth/authorize", () => {
  it("refuses an unknown client and missing parameters without a 500", async () => {
    const unknown = await authorizeGet(
      new NextRequest(
        `${base}/api/oauth/authorize?response_type=code&client_id=no-such-client&redirect_uri=${encodeURIComponent(`${base}/api/sso/callback`)}&state=s`,
      ),
    );
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    await expectOAuthError(unknown, unknown.status, /invalid_request|unauthorized_client|access_denied|invalid_client/);
    const empty = await authorizeGet(new NextRequest(`${base}/api/oauth/authorize`));
    expect(empty.status).toBeLessThan(500);
    const notForm = await authorizePost(
      new NextRequest(`${base}/api/oauth/authorize`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
    );
    await expectOAuthError(notForm, 400, "invalid_request");
  });
});

describe("/api/oauth/userinfo", () => {
  it("refuses a missing or made-up access token with invalid_token", async () => {
    const missing = await userinfoGet(new NextRequest(`${base}/api/oauth/userinfo`));
    await expectOAuthError(missing, 401, "invalid_token");
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectOAuthError(
      await userinfoGet(new NextRequest(`${base}/api/oauth/userinfo`, { headers: { authorization: "Bearer made-up" } })),
      401,
      "invalid_token",
    );
  });
});

describe("/api/oauth/oidc", () => {
  it("sends an answer it cannot match to a sign-in to the error page, not to a 500", async () => {
    for (const query of ["", "?code=abc", "?code=abc&state=made-up"]) {
      const response = await oidcGet(new NextRequest(`${base}/api/oauth/oidc${query}`));
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`${base}/portal-error`);
    }
  });
});
