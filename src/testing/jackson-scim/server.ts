/**
 * A second independent SCIM 2.0 target for tests: BoxyHQ Jackson's directory-sync SCIM endpoints
 * (@boxyhq/saml-jackson, which we did not write), served over HTTP exactly as Jackson's own
 * `/api/scim/v2.0/{directoryId}/{Users|Groups}/{id}` route does (saas-starter-kit), on an in-memory
 * Jackson store. Jackson is a lenient, IdP-facing server: it finds users by email for any `eq`
 * filter, accepts `members[value eq "…"]` removes, and keeps the raw payload it was sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { DirectorySyncRequest, IDirectorySyncController } from "@boxyhq/saml-jackson";

export type JacksonScimServer = {
  baseUrl: string;
  token: string;
  directoryId: string;
  directorySync: IDirectorySyncController;
  /** Users as Jackson stores them (raw SCIM payload + its parsed fields). */
  users(): Promise<{ id: string; email: string; firstName: string; lastName: string; active: boolean; raw: Record<string, unknown> }[]>;
  groups(): Promise<{ id: string; name: string }[]>;
  isMember(groupId: string, userId: string): Promise<boolean>;
  requests: { method: string; path: string; status: number; body?: unknown }[];
  /** What someone else does in Jackson, through its own controller (bypassing the SCIM API). */
  admin: {
    deleteUser(id: string): Promise<void>;
    /** Changes the stored SCIM payload, which is what Jackson answers to GET. */
    editUser(id: string, change: (raw: Record<string, unknown>) => void): Promise<void>;
    deleteGroup(id: string): Promise<void>;
    addMember(groupId: string, userId: string): Promise<void>;
    removeMember(groupId: string, userId: string): Promise<void>;
    /** Every user and group deleted (Jackson's ids are UUIDs: none is ever handed out again). */
    deleteEverything(): Promise<void>;
  };
  stop(): Promise<void>;
};

const TENANT = "export-tests";
const PRODUCT = "lifecycle-console";

export async function startJacksonScimServer(): Promise<JacksonScimServer> {
  const { default: init } = await import("@boxyhq/saml-jackson");
  const jackson = await init({
    externalUrl: "http://127.0.0.1",
    samlPath: "/api/oauth/saml",
    samlAudience: "https://saml.boxyhq.com",
    db: { engine: "mem" },
    noAnalytics: true,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  } as never);
  const directorySync = jackson.directorySyncController;
  const { data: directory, error } = await directorySync.directories.create({
    name: "Export tests",
    tenant: TENANT,
    product: PRODUCT,
    type: "generic-scim-v2",
  });
  if (error || !directory) throw new Error(`Jackson: cannot create the directory: ${error?.message}`);
  const requests: JacksonScimServer["requests"] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      const m = /^\/api\/scim\/v2\.0\/([^/]+)\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(url.pathname);
      const reply = (status: number, body: unknown) => {
        requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, status, body: raw ? JSON.parse(raw) : undefined });
        res.writeHead(status, { "Content-Type": "application/scim+json" });
        res.end(JSON.stringify(body ?? {}));
      };
      if (!m) return reply(404, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404", detail: "Not found" });
      const auth = req.headers.authorization ?? "";
      const request: DirectorySyncRequest = {
        method: req.method ?? "GET",
        body: raw ? JSON.parse(raw) : undefined,
        directoryId: m[1]!,
        resourceType: m[2] === "Users" ? "users" : "groups",
        resourceId: m[3] ? decodeURIComponent(m[3]) : undefined,
        apiSecret: auth.startsWith("Bearer ") ? auth.slice(7) : null,
        query: {
          count: url.searchParams.has("count") ? Number(url.searchParams.get("count")) : undefined,
          startIndex: url.searchParams.has("startIndex") ? Number(url.searchParams.get("startIndex")) : undefined,
          filter: url.searchParams.get("filter") ?? undefined,
        },
      };
      const { status, data } = await directorySync.requests.handle(request);
      reply(status, data);
    })().catch((err: unknown) => {
      res.writeHead(500, { "Content-Type": "application/scim+json" });
      res.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "500", detail: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const users = directorySync.users.setTenantAndProduct(TENANT, PRODUCT);
  const groups = directorySync.groups.setTenantAndProduct(TENANT, PRODUCT);
  return {
    baseUrl: `http://127.0.0.1:${port}/api/scim/v2.0/${directory.id}`,
    token: directory.scim.secret,
    directoryId: directory.id,
    directorySync,
    async users() {
      const { data } = await users.getAll({ directoryId: directory.id });
      return (data ?? []).map((u) => ({
        id: u.id,
        email: u.email,
        firstName: u.first_name,
        lastName: u.last_name,
        active: u.active,
        raw: u.raw as Record<string, unknown>,
      }));
    },
    async groups() {
      const { data } = await groups.getAll({ directoryId: directory.id });
      return (data ?? []).map((g) => ({ id: g.id, name: g.name }));
    },
    isMember: (groupId, userId) => groups.isUserInGroup(groupId, userId),
    requests,
    admin: {
      async deleteUser(id) {
        const { error } = await users.delete(id);
        if (error) throw new Error(`Jackson: cannot delete user ${id}: ${error.message}`);
      },
      async editUser(id, change) {
        const { data: user, error } = await users.get(id);
        if (error || !user) throw new Error(`Jackson: no user ${id}`);
        const raw = { ...(user.raw as Record<string, unknown>) };
        change(raw);
        await users.update(id, { ...user, raw });
      },
      async deleteGroup(id) {
        const { error } = await groups.delete(id);
        if (error) throw new Error(`Jackson: cannot delete group ${id}: ${error.message}`);
      },
      addMember: (groupId, userId) => groups.addUserToGroup(groupId, userId),
      removeMember: (groupId, userId) => groups.removeUserFromGroup(groupId, userId),
      async deleteEverything() {
        for (const g of (await groups.getAll({ directoryId: directory.id })).data ?? []) await groups.delete(g.id);
        for (const u of (await users.getAll({ directoryId: directory.id })).data ?? []) await users.delete(u.id);
      },
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jackson.close().catch(() => undefined);
    },
  };
}
