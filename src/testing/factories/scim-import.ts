/** Helpers for SCIM Import's integration tests: a tenant with a token and a client over the real route. */
import { db } from "../../server/db";
import { unique } from "./directory";
import { forgetScimTenants, generateScimToken } from "../../server/scim-import/tokens";
import { writeScimUserExtensions } from "../../server/tenancy/scim-user-extensions";
import type { UserExtensionSettings } from "../../lib/validation/scim-extensions";

export async function newScimTenant(): Promise<{ id: string; slug: string; token: string }> {
  const slug = unique("scim");
  const tenant = await db().tenant.create({ data: { slug, name: `Tenant ${slug}` }, select: { id: true, slug: true } });
  const { token } = await generateScimToken({ tenantId: tenant.id });
  return { ...tenant, token };
}

/** Sets the tenant's User extension settings as the console does (this process forgets its token answers at once). */
export async function setUserExtensions(tenantId: string, settings: UserExtensionSettings): Promise<void> {
  await writeScimUserExtensions({ tenantId, settings });
  forgetScimTenants();
}

export type ScimRoute = {
  [method in "GET" | "POST" | "PUT" | "PATCH" | "DELETE"]: (
    request: Request,
    context: { params: Promise<{ tenant: string; path?: string[] }> },
  ) => Promise<Response>;
};

export type ScimReply = { status: number; body: any; headers: Headers };

/**
 * Calls the exported route functions with a real Request, as Next.js does: `path` is the URL
 * after the tenant, query string included.
 */
export function scimClient(
  route: ScimRoute,
  tenant: { slug: string; token: string | null },
  defaults: { userAgent?: string; contentType?: string } = {},
) {
  return async function call(
    method: keyof ScimRoute,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ScimReply> {
    const url = new URL(`http://localhost:3000/api/scim/v2/${tenant.slug}${path}`);
    const segments = url.pathname.split("/").slice(5).filter(Boolean).map(decodeURIComponent);
    const request = new Request(url, {
      method,
      headers: {
        ...(tenant.token ? { Authorization: `Bearer ${tenant.token}` } : {}),
        ...(body !== undefined ? { "Content-Type": defaults.contentType ?? "application/scim+json" } : {}),
        ...(defaults.userAgent ? { "User-Agent": defaults.userAgent } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const response = await route[method](request, {
      params: Promise.resolve({ tenant: tenant.slug, path: segments.length ? segments : undefined }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}
