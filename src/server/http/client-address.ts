import { serverEnv } from "../env";

/**
 * The address of the client that sent a request, for rate limits, throttling and logs.
 *
 * The product's HTTP server (./server.ts) appends the socket's peer address to X-Forwarded-For
 * before any handler runs, so the header's last entry is always the address that connected to
 * us. Entries before it were written by whoever sent the request and are only believed as far
 * as TRUST_PROXY says: with N trusted proxies in front, the client is the entry N places before
 * the last. A client cannot choose its address by sending the header itself.
 */
export function clientAddressFrom(forwardedFor: string | null | undefined, trustedProxies: number): string | null {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (hops.length === 0) return null;
  const index = Math.max(0, hops.length - 1 - trustedProxies);
  return hops[index] ?? null;
}

/** The client's address of a request that came through the product's server, per TRUST_PROXY. */
export function clientAddress(headers: { get(name: string): string | null }): string | null {
  return clientAddressFrom(headers.get("x-forwarded-for"), serverEnv().TRUST_PROXY);
}
