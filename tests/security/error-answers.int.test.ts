/**
 * Issue 13, item 1: error answers carried stack traces and database messages. Every surface is
 * made to fail on a real database error (a table renamed away in this file's own database) and
 * must answer in its protocol's format with a generic message, while the log gets the real error
 * with where it happened. Callers' mistakes keep their precise messages.
 */
import { captureLogs } from "@/testing/log-capture";
import { NextRequest } from "next/server";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { INTERNAL_ERROR_MESSAGE } from "@/server/http/internal-error";
import { handleSyncFailed } from "@/server/scim-export/jobs";
import { createExportProfile } from "@/server/scim-export/profiles";
import { newTenant } from "@/testing/factories/scim-export";
import { newScimTenant, scimClient, type ScimRoute } from "@/testing/factories/scim-import";
import { closeJackson, jackson } from "@/server/sso/jackson";
import { oauthError } from "@/server/sso/jackson-http";
import { createSamlProfile } from "@/server/sso/profiles";
import { AppError } from "@/server/errors";
import { TestSamlIdp } from "../../src/testing/idp/saml-idp";

// Outside a Next.js request there are no cookies to read a console session from: nobody is signed in.
vi.mock("@/server/auth/options", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/server/auth/options")>()),
  getConsoleSession: async () => null,
}));

const { GET: trpcGet } = await import("@/app/api/trpc/[trpc]/route");
const scimRoute = (await import("@/app/api/scim/v2/[tenant]/[[...path]]/route")) as unknown as ScimRoute;
const { POST: tokenPost } = await import("@/app/api/oauth/token/route");

const base = process.env.APP_URL!;

afterAll(() => closeJackson());

let logged: ReturnType<typeof captureLogs> | undefined;
function captureLog() {
  logged = captureLogs("error");
}
afterEach(() => logged?.restore());

/** Runs `fn` while `table` is missing: every statement on it fails in PostgreSQL. */
async function withoutTable<T>(table: string, fn: () => Promise<T>): Promise<T> {
  const [schema, name] = table.includes(".") ? table.split(".") : ["public", table];
  await db().$executeRawUnsafe(`ALTER TABLE "${schema}"."${name}" RENAME TO "${name}_moved_by_test"`);
  try {
    return await fn();
  } finally {
    await db().$executeRawUnsafe(`ALTER TABLE "${schema}"."${name}_moved_by_test" RENAME TO "${name}"`);
  }
}

/** Nothing of the failure leaks: no stack frame, no SQL or Prisma wording, no table name as SQL or Prisma quote it. */
function expectNothingInternal(text: string, table: string) {
  expect(text).not.toMatch(/\n\s+at |"stack"|prisma|postgres|does not exist|relation|SQLSTATE/i);
  expect(text).not.toMatch(new RegExp(`[.\`"\\\\]${table}\\b`));
}

function loggedText(): string {
  return logged!.text();
}

async function trpcQuery(path: string, input: unknown) {
  const url = `${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await trpcGet(new Request(url, { headers: { origin: base, "sec-fetch-site": "same-origin" } }));
  const text = await response.text();
  return {
    status: response.status,
    text,
    error: (JSON.parse(text) as { error: { json: { message: string; code: number; data: Record<string, unknown> } } }).error.json,
  };
}

describe("tRPC (/api/trpc)", () => {
  it("a database failure answers INTERNAL_SERVER_ERROR with a generic message and no stack; the log has the error and the procedure", async () => {
    captureLog();
    const answer = await withoutTable("Invitation", () => trpcQuery("tenant.describeInvitation", { token: "a-token-nobody-has" }));
    expect(answer.status).toBe(500);
    expect(answer.error.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(answer.error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", httpStatus: 500, field: null, zodIssues: null });
    expect(answer.error.data).not.toHaveProperty("stack");
    expectNothingInternal(answer.text, "Invitation");
    expect(loggedText()).toMatch(/tRPC tenant\.describeInvitation failed[\s\S]*Invitation/);
  });

  it("an AppError keeps its message for the person, without a stack", async () => {
    const answer = await trpcQuery("tenant.describeInvitation", { token: "a-token-nobody-has" });
    expect(answer.status).toBe(404);
    expect(answer.error.message).toBe("This invitation link is not valid (it may have been used or revoked).");
    expect(answer.error.data).not.toHaveProperty("stack");
  });

  it("invalid input keeps its zod issues, without a stack", async () => {
    const answer = await trpcQuery("tenant.describeInvitation", { token: "short" });
    expect(answer.status).toBe(400);
    expect(answer.error.data).toMatchObject({ code: "BAD_REQUEST", zodIssues: [{ path: "token" }] });
    expect(answer.error.data).not.toHaveProperty("stack");
  });
});

describe("SCIM Import (/api/scim/v2/…)", () => {
  it("a database failure answers a SCIM 500 with a generic detail; the log has the error", async () => {
    const tenant = await newScimTenant();
    const scim = scimClient(scimRoute, tenant);
    captureLog();
    const answer = await withoutTable("DirectoryUser", () => scim("GET", "/Users?count=5"));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "500", detail: expect.any(String) });
    expectNothingInternal(JSON.stringify(answer.body), "DirectoryUser");
    expect(loggedText()).toMatch(/SCIM Import request failed[\s\S]*DirectoryUser/);
  });
});

describe("Jackson's OAuth endpoints (/api/oauth/…)", () => {
  it("a failure of Jackson's database answers server_error with a generic description; the log has the error and the endpoint", async () => {
    await jackson();
    captureLog();
    const request = new NextRequest(`${base}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      // "<key>.<id>": Jackson looks the id up in its store.
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: "made.up",
        client_id: "dummy",
        client_secret: "dummy",
        redirect_uri: `${base}/api/sso/callback`,
        code_verifier: "x".repeat(43),
      }),
    });
    const response = await withoutTable("jackson.jackson_store", () => tokenPost(request));
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: "server_error", error_description: INTERNAL_ERROR_MESSAGE });
    expectNothingInternal(text, "jackson_store");
    expect(loggedText()).toMatch(/OAuth token failed/);
  });

  it("only Jackson's own refusals carry their message; any other error with an HTTP status stays in the log", async () => {
    captureLog();
    const foreign = Object.assign(new Error('relation "jackson_store" does not exist'), { status: 400 });
    const response = oauthError(foreign, "token");
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: "server_error", error_description: INTERNAL_ERROR_MESSAGE });
    expect(loggedText()).toMatch(/OAuth token failed[\s\S]*jackson_store/);

    const refusal = Object.assign(new Error("Invalid code"), { name: "JacksonError", statusCode: 403 });
    expect(await oauthError(refusal, "token").json()).toEqual({ error: "invalid_grant", error_description: "Invalid code" });
  });
});

describe("SSO profiles (the console's forms)", () => {
  it("Jackson's database failing while a profile is created is no form error with its message: it is thrown on, to become a logged generic 500", async () => {
    await jackson();
    const tenant = await newTenant();
    const idp = new TestSamlIdp({ entityId: `https://idp-${tenant.slug}.example.com/saml` });
    const failure = await withoutTable("jackson.jackson_store", () =>
      createSamlProfile({ tenantId: tenant.id, name: "Okta", metadataXml: idp.metadata() }).catch((e: unknown) => e),
    );
    expect(failure).not.toBeInstanceOf(AppError);
  });
});

describe("SCIM Export's run log (the console shows it to every member)", () => {
  it("a sync that fails on an internal error records a generic reason; the log has the error and the run", async () => {
    const tenant = await newTenant();
    const { id: profileId } = await createExportProfile({
      tenantId: tenant.id,
      input: { name: "Databricks", description: "", type: "DATABRICKS" },
    });
    const run = await db().exportRun.create({ data: { tenantId: tenant.id, profileId, trigger: "MANUAL" }, select: { id: true } });
    const databaseError = await db()
      .$queryRawUnsafe(`SELECT * FROM "NoSuchTable"`)
      .catch((error: unknown) => error);
    captureLog();
    await handleSyncFailed({ tenantId: tenant.id, profileId, runId: run.id }, databaseError);
    const { status, message } = await db().exportRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, message: true } });
    expect(status).toBe("FAILED");
    expect(message).toMatch(/internal error/);
    expectNothingInternal(message ?? "", "NoSuchTable");
    expect(loggedText()).toMatch(new RegExp(`${run.id}[\\s\\S]*NoSuchTable`));
  });
});
