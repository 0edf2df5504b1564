/**
 * Issue 13, item 9: the Sign-ins log records the client's real address. The product's server
 * appends the socket's peer to X-Forwarded-For (and drops X-Real-IP), so with TRUST_PROXY=0 (the
 * tests' setting) the last hop is the client; whatever the client wrote in those headers itself is
 * not what the log records.
 */
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import * as acsRoute from "@/app/api/sso/[slug]/acs/route";
import * as startRoute from "@/app/api/sso/[slug]/start/route";
import { db } from "@/server/db";
import { newTenant } from "@/testing/factories/directory";

const lastEvent = (tenantId: string) => db().signInEvent.findFirst({ where: { tenantId }, orderBy: { id: "desc" } });

describe("the address the Sign-ins log records", () => {
  it("portal start: a forged X-Forwarded-For entry and X-Real-IP are ignored, the peer is recorded", async () => {
    const tenant = await newTenant();
    const request = new NextRequest(`http://localhost:3000/api/sso/${tenant.slug}/start?email=nobody@example.com`, {
      headers: { "x-forwarded-for": "203.0.113.66, 198.51.100.9", "x-real-ip": "203.0.113.77" },
    });
    await startRoute.GET(request, { params: Promise.resolve({ slug: tenant.slug }) });
    expect(await lastEvent(tenant.id)).toMatchObject({ reason: "unknown_user", ipAddress: "198.51.100.9" });
  });

  it("ACS: a forged X-Forwarded-For entry is ignored, the peer is recorded", async () => {
    const tenant = await newTenant();
    const request = new NextRequest(`http://localhost:3000/api/sso/${tenant.slug}/acs`, {
      method: "POST",
      body: new URLSearchParams({ SAMLResponse: Buffer.from("<not-saml/>").toString("base64") }),
      headers: { "x-forwarded-for": "203.0.113.66, 198.51.100.10" },
    });
    await acsRoute.POST(request, { params: Promise.resolve({ slug: tenant.slug }) });
    expect(await lastEvent(tenant.id)).toMatchObject({ reason: "invalid_response", ipAddress: "198.51.100.10" });
  });

  it("X-Real-IP alone is not an address: nothing the client wrote is recorded", async () => {
    const tenant = await newTenant();
    const request = new NextRequest(`http://localhost:3000/api/sso/${tenant.slug}/start?email=nobody@example.com`, {
      headers: { "x-real-ip": "203.0.113.77" },
    });
    await startRoute.GET(request, { params: Promise.resolve({ slug: tenant.slug }) });
    expect(await lastEvent(tenant.id)).toMatchObject({ reason: "unknown_user", ipAddress: null });
  });
});
