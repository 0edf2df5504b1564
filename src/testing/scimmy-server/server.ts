/**
 * An independent SCIM 2.0 service provider for tests, built on SCIMMY (a SCIM library we did not
 * write): SCIMMY parses filters, applies PATCH operations, validates schemas and shapes every
 * message; this file only stores resources in memory and speaks HTTP. The export engine must
 * provision into it as it does into Databricks.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import SCIMMY from "scimmy";

type Stored = Record<string, unknown> & { id: string };

export async function startScimmyServer(token = "scimmy-token") {
  const users = new Map<string, Stored>();
  const groups = new Map<string, Stored>();
  let next = 1;
  const now = () => new Date().toISOString();

  const declare = (Resource: typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group, store: Map<string, Stored>, type: string) => {
    SCIMMY.Resources.declare(
      (Resource as typeof SCIMMY.Resources.User)
        .ingress((async (resource: { id?: string }, instance: Record<string, unknown>) => {
          const unique = type === "User" ? "userName" : "displayName";
          const clash = [...store.values()].find(
            (s) => String(s[unique]).toLowerCase() === String(instance[unique]).toLowerCase() && s.id !== resource.id,
          );
          if (clash) throw new SCIMMY.Types.Error(409, "uniqueness", `${unique} is already taken`);
          const id = resource.id ?? String(next++);
          if (resource.id && !store.has(id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${id} not found`);
          const stored = {
            ...JSON.parse(JSON.stringify(instance)),
            id,
            meta: {
              resourceType: type,
              created: (store.get(id)?.meta as { created?: string } | undefined)?.created ?? now(),
              lastModified: now(),
            },
          };
          store.set(id, stored);
          return stored;
        }) as never)
        .egress((async (resource: { id?: string; filter?: { match: (values: unknown[]) => Stored[] } }) => {
          if (resource.id) {
            const found = store.get(resource.id);
            if (!found) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
            return found;
          }
          return resource.filter ? resource.filter.match([...store.values()]) : [...store.values()];
        }) as never)
        .degress(async (resource: { id?: string }) => {
          if (!resource.id || !store.delete(resource.id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        }) as never,
    );
  };
  // Users carry the enterprise extension (RFC 7643 §4.3), manager included, as most SCIM apps do.
  // SCIMMY's declarations are global; extending again with the same schema is a no-op.
  SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser as never, false);
  declare(SCIMMY.Resources.User, users, "User");
  declare(SCIMMY.Resources.Group, groups, "Group");

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, { "Content-Type": "application/scim+json" });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, new SCIMMY.Messages.Error({ status: 401, detail: "Unauthorized" }));
    const m = /^\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return send(404, new SCIMMY.Messages.Error({ status: 404, detail: "Not found" }));
    type Handle = {
      read(): Promise<unknown>;
      write(body: unknown): Promise<unknown>;
      patch(body: unknown): Promise<unknown>;
      dispose(): Promise<void>;
    };
    const Resource = (m[1] === "Users" ? SCIMMY.Resources.User : SCIMMY.Resources.Group) as unknown as new (...args: unknown[]) => Handle;
    const id = m[2];
    const query: Record<string, unknown> = {};
    for (const key of ["filter", "attributes", "excludedAttributes", "sortBy", "sortOrder"])
      if (url.searchParams.get(key)) query[key] = url.searchParams.get(key);
    for (const key of ["startIndex", "count"]) if (url.searchParams.get(key)) query[key] = Number(url.searchParams.get(key));
    try {
      switch (req.method) {
        case "GET":
          return send(200, await (id ? new Resource(id, query) : new Resource(query)).read());
        case "POST":
          return send(201, await new Resource(query).write(body));
        case "PUT":
          return send(200, await new Resource(id!, query).write(body));
        case "PATCH": {
          const result = await new Resource(id!, query).patch(body);
          return result ? send(200, result) : send(204);
        }
        case "DELETE":
          await new Resource(id!).dispose();
          return send(204);
        default:
          return send(405, new SCIMMY.Messages.Error({ status: 405, detail: "Method not allowed" } as never));
      }
    } catch (error) {
      const e = error as { status?: number; scimType?: string; message?: string };
      return send(
        e.status ?? 500,
        new SCIMMY.Messages.Error({ status: e.status ?? 500, scimType: e.scimType, detail: e.message ?? "error" } as never),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    token,
    users: () => [...users.values()],
    groups: () => [...groups.values()],
    /** As after a restart with no data: nothing stored, ids numbered from 1 again (an old id may name a new user). */
    reset() {
      users.clear();
      groups.clear();
      next = 1;
    },
    /** What someone else does on the target, bypassing the API: edits the stored resource in place. */
    edit(kind: "User" | "Group", id: string, change: (resource: Stored) => void) {
      const resource = (kind === "User" ? users : groups).get(id);
      if (!resource) throw new Error(`No ${kind} ${id} on the SCIMMY server.`);
      change(resource);
    },
    /** Someone deletes a resource on the target (a user also leaves every group, as a real server would). */
    remove(kind: "User" | "Group", id: string) {
      if (!(kind === "User" ? users : groups).delete(id)) throw new Error(`No ${kind} ${id} on the SCIMMY server.`);
      if (kind === "User")
        for (const g of groups.values()) g.members = ((g.members as { value: string }[] | undefined) ?? []).filter((m) => m.value !== id);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
