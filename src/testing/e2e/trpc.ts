import type { APIRequestContext } from "@playwright/test";

/**
 * Calls a tRPC procedure over HTTP with the page's cookies, as a hand-crafted request would:
 * proves that the server, not the UI, enforces roles and tenant boundaries.
 */
export async function callTrpc(request: APIRequestContext, path: string, input: unknown, kind: "query" | "mutation") {
  const response =
    kind === "query"
      ? await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/api/trpc/${path}`, { data: { json: input } });
  return { status: response.status(), body: await response.json() };
}
