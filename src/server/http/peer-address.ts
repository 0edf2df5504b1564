import type { IncomingMessage } from "node:http";

/**
 * The socket's peer appended to X-Forwarded-For, so that its last entry is always the address
 * that connected to us and `clientAddress()` (./client-address.ts) believes earlier entries only
 * as far as TRUST_PROXY says. IPv4 peers of a dual-stack socket (`::ffff:203.0.113.9`) are
 * written as plain IPv4, the form a proxy writes them in.
 */
export function forwardedForWithPeer(existing: string | string[] | undefined, peer: string): string {
  const before = (Array.isArray(existing) ? existing.join(", ") : (existing ?? "")).trim();
  const address = peer.startsWith("::ffff:") && peer.includes(".") ? peer.slice("::ffff:".length) : peer;
  return before ? `${before}, ${address}` : address;
}

/**
 * Headers through which a client could claim another address, host or scheme: X-Real-IP is never
 * read (nothing in front of us is known to set it); the X-Forwarded-Host/-Proto/-Port family and
 * Forwarded only come from a proxy, so they are dropped unless one is trusted.
 */
const ALWAYS_DROPPED = ["x-real-ip"];
const DROPPED_WITHOUT_PROXY = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

/** Rewrites the request's address headers in place; false when the socket is already gone (nothing to answer). */
export function recordPeerAddress(request: IncomingMessage, trustedProxies: number): boolean {
  const peer = request.socket.remoteAddress;
  if (!peer) return false;
  request.headers["x-forwarded-for"] = forwardedForWithPeer(request.headers["x-forwarded-for"], peer);
  for (const name of ALWAYS_DROPPED) delete request.headers[name];
  if (trustedProxies === 0) for (const name of DROPPED_WITHOUT_PROXY) delete request.headers[name];
  return true;
}
