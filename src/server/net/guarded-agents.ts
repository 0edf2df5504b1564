/**
 * Node's default HTTP agents, guarded. Code we do not control calls URLs an admin typed with
 * `http(s).request` and no agent of its own: Jackson's OpenID Connect client fetches the
 * provider's discovery document, token endpoint, JWKS and userinfo at every sign-in. Checking the
 * discovery URL when the profile is saved cannot cover those later requests (a DNS answer that
 * changes, endpoints the document names), so the default agents refuse blocked addresses on every
 * connection, like the SCIM client does (url-guard.ts).
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex } from "node:stream";
import { allowPrivateTargets } from "../env";
import { BlockedAddressError, guardedLookup, isBlockedAddress } from "./url-guard";

type CreateConnection = (
  options: net.NetConnectOpts & { host?: string },
  callback: (error: Error | null, socket?: Duplex) => void,
) => Duplex | undefined;

/** An address given as an IP literal is never looked up: it is checked here instead. */
function refuseBlockedLiteral(options: { host?: string }, allowPrivate: boolean): BlockedAddressError | null {
  const host = (options.host ?? "").replace(/^\[|\]$/g, "");
  if (allowPrivate || !net.isIP(host) || !isBlockedAddress(host)) return null;
  return new BlockedAddressError(`${host} is a blocked address`);
}

function guard<A extends http.Agent>(agent: A, allowPrivate: boolean): A {
  const create = (agent as unknown as { createConnection: CreateConnection }).createConnection.bind(agent);
  (agent as unknown as { createConnection: CreateConnection }).createConnection = (options, callback) => {
    const blocked = refuseBlockedLiteral(options, allowPrivate);
    if (blocked) {
      callback(blocked);
      return undefined;
    }
    return create({ ...options, lookup: guardedLookup(allowPrivate) }, callback);
  };
  return agent;
}

export function guardedAgents(allowPrivate: boolean): { http: http.Agent; https: https.Agent } {
  return {
    http: guard(new http.Agent({ keepAlive: true }), allowPrivate),
    https: guard(new https.Agent({ keepAlive: true }), allowPrivate),
  };
}

let installed = false;

/** Makes the guarded agents the process's defaults (once; ALLOW_PRIVATE_TARGETS=true lets private addresses through). */
export function installGuardedDefaultAgents(): void {
  if (installed) return;
  installed = true;
  const agents = guardedAgents(allowPrivateTargets());
  http.globalAgent = agents.http;
  https.globalAgent = agents.https;
}
