/**
 * Issue 13, items 4, 6 and 9 at the console's API route itself (the checks hold wherever the
 * route runs, behind the product's server or not): cross-site mutations are refused, deep JSON
 * and oversized bodies are refused right after reading, before superjson or zod see them. And
 * the SSO sign-in log takes the client's address from the server's X-Forwarded-For.
 */
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { unique } from "@/testing/factories/directory";
import { requestInfo } from "@/server/sso/http";

// Outside a Next.js request there are no cookies to read a console session from: nobody is signed in.
vi.mock("@/server/auth/options", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/auth/options")>()),
  getConsoleSession: async () => null,
}));

const { GET, POST } = await import("@/app/api/trpc/[trpc]/route");

const base = process.env.APP_URL!;
const PASSWORD = "correct horse battery staple";

function signUpInput() {
  const slug = unique("org");
  return { name: "Olivia Owner", email: `${unique("owner")}@example.com`, password: PASSWORD, tenantName: `Org ${slug}`, tenantSlug: slug };
}

async function post(path: string, body: BodyInit, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const response = await POST(
    new Request(`${base}/api/trpc/${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers }, ...init }),
  );
  return { status: response.status, body: JSON.parse(await response.text()) };
}

describe("cross-site mutations are refused (403, tRPC's format) and change nothing", () => {
  it.each([
    ["Origin of another site", { origin: "https://evil.example" }],
    ["Origin of another port", { origin: "http://localhost:1" }],
    ["Origin null", { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["Sec-Fetch-Site: none", { "sec-fetch-site": "none" }],
    ["our Origin with Sec-Fetch-Site: cross-site", { origin: base, "sec-fetch-site": "cross-site" }],
  ])("%s", async (_name, headers) => {
    const input = signUpInput();
    const answer = await post("account.signUp", JSON.stringify({ json: input }), headers);
    expect(answer.status).toBe(403);
    expect(answer.body.error.json.data.code).toBe("FORBIDDEN");
    expect(answer.body.error.json.message).toContain("another site");
    expect(await db().account.findUnique({ where: { email: input.email } })).toBeNull();
  });

  it("a batch: one refusal per call", async () => {
    const answer = await post(
      "account.signUp,account.signUp?batch=1",
      JSON.stringify({ 0: { json: signUpInput() }, 1: { json: signUpInput() } }),
      { origin: "https://evil.example" },
    );
    expect(answer.status).toBe(403);
    expect(answer.body.map((entry: { error: { json: { data: { code: string } } } }) => entry.error.json.data.code)).toEqual([
      "FORBIDDEN",
      "FORBIDDEN",
    ]);
  });

  it.each([
    ["a browser on the console's own origin", { origin: new URL(base).origin, "sec-fetch-site": "same-origin" }],
    ["a caller that is not a browser page (neither header)", {}],
  ])("%s: the mutation runs", async (_name, headers) => {
    const input = signUpInput();
    const answer = await post("account.signUp", JSON.stringify({ json: input }), headers);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await db().account.findUnique({ where: { email: input.email } })).not.toBeNull();
  });
});

describe("deep JSON is refused before it is parsed (400, tRPC's format)", () => {
  const deep = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

  it("a POST with 10,000 levels", async () => {
    const answer = await post("account.signUp", `{"json":{"name":${deep(10_000)}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.json.data.code).toBe("BAD_REQUEST");
    expect(answer.body.error.json.message).toMatch(/nests .* deeper than 32 levels/);
  });

  it("a batched POST with 10,000 levels", async () => {
    const answer = await post("account.signUp?batch=1", `{"0":{"json":${deep(10_000)}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body[0].error.json.message).toMatch(/deeper than 32 levels/);
  });

  it("a GET query's input with 10,000 levels", async () => {
    const response = await GET(new Request(`${base}/api/trpc/account.me?input=${encodeURIComponent(`{"json":${deep(10_000)}}`)}`));
    expect(response.status).toBe(400);
    expect(JSON.parse(await response.text()).error.json.message).toMatch(/deeper than 32 levels/);
  });

  it("32 levels pass on to the procedure's own input check", async () => {
    // Two objects around 30 arrays.
    const answer = await post("account.signUp", `{"json":{"name":${deep(30)}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.json.message).not.toMatch(/deeper than/);
  });
});

it("a body over 1 MB without a declared length is refused while it is read (413, tRPC's format)", async () => {
  let sent = 0;
  const chunk = new TextEncoder().encode(`${" ".repeat(64 * 1024)}`);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // Stops by itself at 4 MB; the route must not wait for the end.
      if (sent >= 4 * 1024 * 1024) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const answer = await post("account.signUp", body, {}, { duplex: "half" } as RequestInit);
  expect(answer.status).toBe(413);
  expect(answer.body.error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
  expect(sent).toBeLessThan(2 * 1024 * 1024);
});

it("the SSO sign-in log records the address the server appended, not one the client wrote", () => {
  const request = new NextRequest(`${base}/api/sso/acme/acs`, {
    headers: { "x-forwarded-for": "6.6.6.6, 127.0.0.1", "x-real-ip": "7.7.7.7" },
  });
  expect(requestInfo(request).ipAddress).toBe("127.0.0.1");
});
