/**
 * A Databricks SCIM API emulator for tests and the benchmark: a real HTTP server on 127.0.0.1
 * written from Databricks' documented behaviour (docs.databricks.com "SCIM API", the terraform
 * provider and the SDKs), including the parts that bite:
 * - workspace `/api/2.0/preview/scim/v2/...` and account `/api/2.0/accounts/{id}/scim/v2/...`
 *   (+ `/api/2.1/accounts/{id}/scim/v2/...`) paths, each realm with its own users and groups;
 * - numeric-string ids; `count` capped at 100; 1-based `startIndex`; `status` as a string in errors;
 * - userName and emails cannot change (a change is silently ignored);
 * - 409 "User with username X already exists." / "Group with name X already exists.";
 * - PATCH ops in either case; member add; member remove by `members[value eq "id"]`; and a
 *   value-form remove (`{"op":"remove","path":"members","value":[…]}`) WIPES the whole group, as
 *   seen in the wild, so the engine must never send it (counted in `counters.valueFormRemoves`);
 * - per-path rate limits answering 429 mostly without Retry-After;
 * - fault injection: 5xx rate, connection resets (before or after applying the change), slow
 *   answers, outage windows; fixed latency per request;
 * - what someone else does in the workspace: `restart()` (no users or groups, ids numbered from
 *   the start again, so a remembered id may name another user), and direct edits of users,
 *   groups and memberships (`adminDeleteUser`, `adminEditUser`, …) that bypass the API;
 *   `beforeApply` runs a test's change at the exact moment a request is about to be applied.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type EmulatorUser = {
  id: string;
  userName: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string };
  emails: { value: string; type?: string; primary?: boolean }[];
  active: boolean;
  externalId?: string;
  entitlements: { value: string }[];
  [key: string]: unknown;
};
export type EmulatorGroup = {
  id: string;
  displayName: string;
  externalId?: string;
  members: Set<string>;
  entitlements: { value: string }[];
};

export type Faults = {
  /** Share of requests answered 500/503 before anything is applied. */
  serverErrorRate?: number;
  /** Share of requests whose connection is reset (half before, half after applying). */
  resetRate?: number;
  /** Share of requests answered 429 regardless of the rate limits. */
  throttleRate?: number;
  /** Share of requests delayed by `slowMs`. */
  slowRate?: number;
  slowMs?: number;
  /** Every request answers 503 (or resets) while Date.now() is in [from, to). */
  outage?: { from: number; to: number; mode?: "503" | "reset" };
  /** Only requests with these methods get the faults above (default: every method). */
  methods?: string[];
};

/** Requests per second per "<METHOD> <Users|Groups>" key (or per method), per realm. */
export type RateLimits = Record<string, number>;

export type EmulatorOptions = {
  token?: string;
  accountId?: string;
  latencyMs?: number;
  faults?: Faults;
  rateLimits?: RateLimits;
  /** Share of 429s that carry Retry-After: 1 (default 0.2: Databricks often omits it). */
  retryAfterShare?: number;
  /** Workspace user limit (Databricks: 10,000). */
  maxWorkspaceUsers?: number;
  random?: () => number;
  /** Keep every request in the log (default true; the benchmark turns it off). */
  logRequests?: boolean;
  /**
   * Called after authentication, faults and rate limits, just before a SCIM request changes or
   * reads the state: a test changes the target at that exact moment (a race with another admin).
   */
  beforeApply?: (request: { method: string; path: string; realm: string }) => void;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
};

export type LoggedRequest = { at: number; method: string; path: string; realm: string; status: number; body?: unknown; fault?: string };

export type Counters = {
  requests: number;
  byMethod: Record<string, number>;
  writes: number;
  throttled: number;
  faults: number;
  resets: number;
  valueFormRemoves: number;
  created: { users: number; groups: number };
};

class Realm {
  users = new Map<string, EmulatorUser>();
  groups = new Map<string, EmulatorGroup>();
  /** lower(userName) → id and lower(displayName) → id: uniqueness checks and eq filters stay O(1) at 100k users. */
  userNames = new Map<string, string>();
  groupNames = new Map<string, string>();
  windows = new Map<string, number[]>();
  constructor(readonly name: string) {}
}

/** Read-only inspection API (GET only): state, users, groups, counters, requests. */
export const INSPECTION_PREFIX = "/__emulator/";
/** Databricks ids are long numbers; the emulator hands them out in order from here. */
const FIRST_ID = 1_000_000_000_000;
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

function scimError(status: number, detail: string, scimType?: string) {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

export class DatabricksEmulator {
  readonly token: string;
  readonly accountId: string;
  private server: http.Server | null = null;
  private port = 0;
  private nextId = FIRST_ID;
  private realms = new Map<string, Realm>();
  options: EmulatorOptions;
  requests: LoggedRequest[] = [];
  counters: Counters = this.emptyCounters();

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.token = options.token ?? "dapi-emulator-token";
    this.accountId = options.accountId ?? "0a1b2c3d-acc0-4000-8000-000000000001";
  }

  private emptyCounters(): Counters {
    return {
      requests: 0,
      byMethod: {},
      writes: 0,
      throttled: 0,
      faults: 0,
      resets: 0,
      valueFormRemoves: 0,
      created: { users: 0, groups: 0 },
    };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  get origin(): string {
    const host = this.options.host && this.options.host !== "0.0.0.0" && this.options.host !== "::" ? this.options.host : "127.0.0.1";
    return `http://${host.includes(":") ? `[${host}]` : host}:${this.port}`;
  }
  /** The workspace-level SCIM base URL. */
  get workspaceUrl(): string {
    return `${this.origin}/api/2.0/preview/scim/v2`;
  }
  /** The account-level SCIM base URL (api 2.0 or 2.1). */
  accountUrl(version: "2.0" | "2.1" = "2.0"): string {
    return `${this.origin}/api/${version}/accounts/${this.accountId}/scim/v2`;
  }

  setFaults(faults: Faults): void {
    this.options.faults = faults;
  }
  setBeforeApply(hook: EmulatorOptions["beforeApply"]): void {
    this.options.beforeApply = hook;
  }
  setRateLimits(limits: RateLimits | undefined): void {
    this.options.rateLimits = limits;
  }
  resetCounters(): void {
    this.counters = this.emptyCounters();
    this.requests = [];
  }

  private realm(name: string): Realm {
    let realm = this.realms.get(name);
    if (!realm) this.realms.set(name, (realm = new Realm(name)));
    return realm;
  }

  /** Inspection: the users and groups of a realm ("workspace" or "account"). */
  users(realm = "workspace"): EmulatorUser[] {
    return [...this.realm(realm).users.values()];
  }
  groups(realm = "workspace"): (Omit<EmulatorGroup, "members"> & { members: string[] })[] {
    return [...this.realm(realm).groups.values()].map((g) => ({ ...g, members: [...g.members] }));
  }
  userByName(userName: string, realm = "workspace"): EmulatorUser | undefined {
    return this.users(realm).find((u) => u.userName.toLowerCase() === userName.toLowerCase());
  }
  groupByName(displayName: string, realm = "workspace") {
    return this.groups(realm).find((g) => g.displayName.toLowerCase() === displayName.toLowerCase());
  }
  /** Seeds a user directly (as if created in Databricks by hand). */
  seedUser(user: Partial<EmulatorUser> & { userName: string }, realm = "workspace"): EmulatorUser {
    const id = String(this.nextId++);
    const full: EmulatorUser = {
      emails: [{ value: user.userName, type: "work", primary: true }],
      active: true,
      entitlements: [],
      ...user,
      id,
    };
    this.realm(realm).users.set(id, full);
    this.realm(realm).userNames.set(full.userName.toLowerCase(), id);
    return full;
  }

  /**
   * As after a restart with no data (or everything deleted by someone else): no users, no groups,
   * and ids handed out from the start again, so an id the engine remembers may now name a user
   * created since. Counters and the request log are kept.
   */
  restart(): void {
    this.realms.clear();
    this.nextId = FIRST_ID;
  }
  /** Someone deletes a user in the workspace: gone from its groups too, as DELETE /Users/{id} does. */
  adminDeleteUser(id: string, realm = "workspace"): void {
    const r = this.realm(realm);
    const user = r.users.get(id);
    if (!user) throw new Error(`No user ${id} in the ${realm} realm.`);
    deleteUser(r, user);
  }
  /** Someone edits a user in the workspace (any attribute, as stored; the id stays). */
  adminEditUser(id: string, fields: Partial<EmulatorUser>, realm = "workspace"): EmulatorUser {
    const r = this.realm(realm);
    const user = r.users.get(id);
    if (!user) throw new Error(`No user ${id} in the ${realm} realm.`);
    const userName = fields.userName;
    if (userName && userName !== user.userName) {
      r.userNames.delete(user.userName.toLowerCase());
      r.userNames.set(userName.toLowerCase(), id);
    }
    Object.assign(user, fields, { id });
    return user;
  }
  /** Someone deletes a group in the workspace. */
  adminDeleteGroup(id: string, realm = "workspace"): void {
    const r = this.realm(realm);
    const group = r.groups.get(id);
    if (!group) throw new Error(`No group ${id} in the ${realm} realm.`);
    r.groups.delete(id);
    r.groupNames.delete(group.displayName.toLowerCase());
    for (const g of r.groups.values()) g.members.delete(id);
  }
  /** Someone renames a group or changes its members in the workspace (member values are ids). */
  adminEditGroup(id: string, change: { displayName?: string; add?: string[]; remove?: string[] }, realm = "workspace"): void {
    const r = this.realm(realm);
    const group = r.groups.get(id);
    if (!group) throw new Error(`No group ${id} in the ${realm} realm.`);
    if (change.displayName) {
      r.groupNames.delete(group.displayName.toLowerCase());
      r.groupNames.set(change.displayName.toLowerCase(), id);
      group.displayName = change.displayName;
    }
    for (const member of change.add ?? []) group.members.add(member);
    for (const member of change.remove ?? []) group.members.delete(member);
  }
  /** Seeds a group directly (as if created in Databricks by hand). */
  seedGroup(displayName: string, members: string[] = [], realm = "workspace") {
    const r = this.realm(realm);
    const group: EmulatorGroup = { id: String(this.nextId++), displayName, members: new Set(members), entitlements: [] };
    r.groups.set(group.id, group);
    r.groupNames.set(displayName.toLowerCase(), group.id);
    return { ...group, members: [...group.members] };
  }

  /**
   * Read-only inspection over HTTP, for tests in another process (README.md): never counted,
   * logged, throttled or faulted, and no token needed (the emulator is a test double).
   */
  private inspect(method: string, url: URL, res: http.ServerResponse): void {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (method !== "GET" && method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return json(405, { error: "The inspection API is read-only (GET)." });
    }
    const realm = url.searchParams.get("realm") ?? "workspace";
    if (realm !== "workspace" && realm !== "account") return json(400, { error: 'realm must be "workspace" or "account".' });
    const route = url.pathname.slice(INSPECTION_PREFIX.length).replace(/\/+$/, "");
    const userName = url.searchParams.get("userName");
    const displayName = url.searchParams.get("displayName");
    switch (route) {
      case "state":
        return json(200, {
          realm,
          workspaceUrl: this.workspaceUrl,
          accountUrl: this.accountUrl(),
          users: this.users(realm).filter((u) => !userName || u.userName.toLowerCase() === userName.toLowerCase()),
          groups: this.groups(realm).filter((g) => !displayName || g.displayName.toLowerCase() === displayName.toLowerCase()),
          counters: this.counters,
        });
      case "users":
        return json(
          200,
          this.users(realm).filter((u) => !userName || u.userName.toLowerCase() === userName.toLowerCase()),
        );
      case "groups":
        return json(
          200,
          this.groups(realm).filter((g) => !displayName || g.displayName.toLowerCase() === displayName.toLowerCase()),
        );
      case "counters":
        return json(200, this.counters);
      case "requests": {
        const since = Number(url.searchParams.get("since") ?? 0);
        const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? 1000) || 1000, 1), 10_000);
        const filterMethod = url.searchParams.get("method")?.toUpperCase();
        const items = this.requests.filter((q) => q.at >= since && (!filterMethod || q.method === filterMethod));
        return json(200, { total: items.length, items: items.slice(-limit) });
      }
      default:
        return json(404, {
          error: `Unknown inspection path. Try ${["state", "users", "groups", "counters", "requests"].map((p) => INSPECTION_PREFIX + p).join(", ")}.`,
        });
    }
  }

  private parseRoute(pathname: string): { realm: string; resource: "Users" | "Groups"; id?: string } | null {
    const m =
      /^\/api\/2\.0\/preview\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(pathname) ??
      /^\/api\/2\.[01]\/accounts\/([^/]+)\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(pathname);
    if (!m) return null;
    if (pathname.startsWith("/api/2.0/preview")) return { realm: "workspace", resource: m[1] as "Users" | "Groups", id: m[2] };
    if (m[1] !== this.accountId) return null;
    return { realm: "account", resource: m[2] as "Users" | "Groups", id: m[3] };
  }

  private rateLimited(realm: Realm, method: string, resource: string): boolean {
    const limits = this.options.rateLimits;
    if (!limits) return false;
    const key = limits[`${method} ${resource}`] !== undefined ? `${method} ${resource}` : limits[method] !== undefined ? method : null;
    if (!key) return false;
    const limit = limits[key]!;
    const now = Date.now();
    const window = (realm.windows.get(key) ?? []).filter((t) => now - t < 1000);
    if (window.length >= limit) {
      realm.windows.set(key, window);
      return true;
    }
    window.push(now);
    realm.windows.set(key, window);
    return false;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", this.origin);
    const method = (req.method ?? "GET").toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const random = this.options.random ?? Math.random;
    if (url.pathname.startsWith(INSPECTION_PREFIX)) return this.inspect(method, url, res);
    const configured = this.options.faults ?? {};
    const faults = configured.methods && !configured.methods.includes(method) ? {} : configured;
    this.counters.requests++;
    this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1;
    const log = (status: number, realm: string, fault?: string, body?: unknown) => {
      if (this.options.logRequests !== false)
        this.requests.push({ at: Date.now(), method, path: url.pathname + url.search, realm, status, fault, body });
    };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/scim+json", ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const reset = () => {
      this.counters.resets++;
      this.counters.faults++;
      req.socket.destroy();
    };

    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    if (faults.slowRate && random() < faults.slowRate) await sleep(faults.slowMs ?? 2000);

    const route = this.parseRoute(url.pathname);
    const realmName = route?.realm ?? "?";
    if (faults.outage && Date.now() >= faults.outage.from && Date.now() < faults.outage.to) {
      this.counters.faults++;
      log(503, realmName, "outage");
      if (faults.outage.mode === "reset") return reset();
      return send(503, scimError(503, "Service temporarily unavailable."));
    }
    if ((req.headers.authorization ?? "") !== `Bearer ${this.token}`) {
      log(401, realmName);
      return send(401, scimError(401, "Invalid access token."));
    }
    if (!route) {
      log(404, realmName);
      res.writeHead(404, { "Content-Type": "text/html" });
      return res.end("<html><body>Not Found</body></html>");
    }
    const realm = this.realm(route.realm);
    if (this.rateLimited(realm, method, route.resource) || (faults.throttleRate && random() < faults.throttleRate)) {
      this.counters.throttled++;
      log(429, realmName, "throttle");
      const withRetryAfter = random() < (this.options.retryAfterShare ?? 0.2);
      return send(429, scimError(429, "Too many requests."), withRetryAfter ? { "Retry-After": "1" } : {});
    }
    if (faults.serverErrorRate && random() < faults.serverErrorRate) {
      this.counters.faults++;
      log(503, realmName, "5xx");
      return send(random() < 0.5 ? 500 : 503, scimError(500, "Internal error."));
    }
    const resetRoll = faults.resetRate ? random() : 1;
    if (resetRoll < (faults.resetRate ?? 0) / 2) {
      log(0, realmName, "reset-before");
      return reset();
    }

    this.options.beforeApply?.({ method, path: url.pathname + url.search, realm: realmName });
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        log(400, realmName);
        return send(400, scimError(400, "Malformed JSON.", "invalidSyntax"));
      }
    }
    const [status, answer] = this.apply(realm, method, route.resource, route.id, url.searchParams, body);
    if (method !== "GET" && status < 300) this.counters.writes++;
    if (resetRoll < (faults.resetRate ?? 0)) {
      // Applied, but the answer is lost: the client must not create a duplicate on retry.
      log(status, realmName, "reset-after", body);
      return reset();
    }
    log(status, realmName, undefined, body);
    if (status === 204) {
      res.writeHead(204);
      return res.end();
    }
    send(status, answer);
  }

  private userJson(u: EmulatorUser) {
    return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], ...u };
  }
  private groupJson(g: EmulatorGroup) {
    return {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      id: g.id,
      displayName: g.displayName,
      ...(g.externalId ? { externalId: g.externalId } : {}),
      members: [...g.members].map((value) => ({ value })),
      entitlements: g.entitlements,
    };
  }

  private apply(
    realm: Realm,
    method: string,
    resource: "Users" | "Groups",
    id: string | undefined,
    query: URLSearchParams,
    body: unknown,
  ): [number, unknown] {
    const b = (body ?? {}) as Record<string, unknown>;
    if (resource === "Users") {
      if (!id && method === "GET")
        return this.list(realm.users, query, realm.userNames, "username", (u) => this.userJson(u), {
          username: (u) => u.userName,
          externalid: (u) => u.externalId,
          id: (u) => u.id,
        });
      if (!id && method === "POST") {
        const userName = typeof b.userName === "string" ? b.userName : "";
        if (!userName) return [400, scimError(400, "Request is missing required field: userName.", "invalidValue")];
        if (realm.userNames.has(userName.toLowerCase())) {
          return [409, scimError(409, `User with username ${userName} already exists.`, "uniqueness")];
        }
        if (realm.name === "workspace" && realm.users.size >= (this.options.maxWorkspaceUsers ?? 10_000)) {
          return [400, scimError(400, "Workspace user limit reached: a workspace can have at most 10000 users.")];
        }
        const user: EmulatorUser = {
          ...(b as object),
          id: String(this.nextId++),
          userName,
          emails:
            Array.isArray(b.emails) && b.emails.length
              ? (b.emails as EmulatorUser["emails"])
              : [{ value: userName, type: "work", primary: true }],
          active: b.active === undefined ? true : b.active === true,
          entitlements: Array.isArray(b.entitlements) ? (b.entitlements as { value: string }[]) : [],
        };
        delete (user as Record<string, unknown>).schemas;
        realm.users.set(user.id, user);
        realm.userNames.set(userName.toLowerCase(), user.id);
        this.counters.created.users++;
        return [201, this.userJson(user)];
      }
      const user = id ? realm.users.get(id) : undefined;
      if (!user) return [404, scimError(404, `User ${id} not found.`)];
      if (method === "GET") return [200, this.userJson(user)];
      if (method === "DELETE") {
        deleteUser(realm, user);
        return [204, undefined];
      }
      if (method === "PUT") {
        const { userName: _u, emails: _e, id: _i, schemas: _s, ...rest } = b;
        Object.assign(user, rest);
        return [200, this.userJson(user)];
      }
      if (method === "PATCH") {
        const ops = (Array.isArray(b.Operations) ? b.Operations : []) as { op?: string; path?: string; value?: unknown }[];
        for (const op of ops) {
          const kind = String(op.op ?? "").toLowerCase();
          const path = op.path ?? "";
          if (path === "userName" || path.startsWith("emails")) continue; // immutable, silently ignored
          if (path === "entitlements" || path.startsWith("entitlements[")) {
            const filtered = /^entitlements\[value eq "(.+)"\]$/.exec(path);
            if (kind === "add")
              for (const e of (op.value as { value: string }[]) ?? [])
                if (!user.entitlements.some((x) => x.value === e.value)) user.entitlements.push({ value: e.value });
            if (kind === "remove")
              user.entitlements = filtered
                ? user.entitlements.filter((x) => x.value !== filtered[1])
                : user.entitlements.filter((x) => !((op.value as { value: string }[]) ?? []).some((v) => v.value === x.value));
            if (kind === "replace") user.entitlements = ((op.value as { value: string }[]) ?? []).map((e) => ({ value: e.value }));
            continue;
          }
          if (!path && kind !== "remove" && op.value && typeof op.value === "object") {
            const { userName: _u, emails: _e, ...rest } = op.value as Record<string, unknown>;
            Object.assign(user, rest);
            continue;
          }
          setPath(user, path, kind === "remove" ? undefined : op.value);
        }
        return [200, this.userJson(user)];
      }
      return [405, scimError(405, "Method not allowed.")];
    }
    // Groups
    if (!id && method === "GET")
      return this.list(realm.groups, query, realm.groupNames, "displayname", (g) => this.groupJson(g), {
        displayname: (g) => g.displayName,
        externalid: (g) => g.externalId,
        id: (g) => g.id,
      });
    if (!id && method === "POST") {
      const displayName = typeof b.displayName === "string" ? b.displayName : "";
      if (!displayName) return [400, scimError(400, "Request is missing required field: displayName.", "invalidValue")];
      if (realm.groupNames.has(displayName.toLowerCase())) {
        return [409, scimError(409, `Group with name ${displayName} already exists.`, "uniqueness")];
      }
      const group: EmulatorGroup = {
        id: String(this.nextId++),
        displayName,
        externalId: typeof b.externalId === "string" ? b.externalId : undefined,
        members: new Set(((b.members as { value: string }[]) ?? []).map((m) => m.value).filter((v) => realm.users.has(v))),
        entitlements: Array.isArray(b.entitlements) ? (b.entitlements as { value: string }[]) : [],
      };
      realm.groups.set(group.id, group);
      realm.groupNames.set(displayName.toLowerCase(), group.id);
      this.counters.created.groups++;
      return [201, this.groupJson(group)];
    }
    const group = id ? realm.groups.get(id) : undefined;
    if (!group) return [404, scimError(404, `Group ${id} not found.`)];
    if (method === "GET") return [200, this.groupJson(group)];
    if (method === "DELETE") {
      realm.groups.delete(group.id);
      realm.groupNames.delete(group.displayName.toLowerCase());
      // A deleted group leaves the groups it was nested in, as a deleted user does.
      for (const g of realm.groups.values()) g.members.delete(group.id);
      return [204, undefined];
    }
    if (method === "PATCH") {
      const ops = (Array.isArray(b.Operations) ? b.Operations : []) as { op?: string; path?: string; value?: unknown }[];
      for (const op of ops) {
        const kind = String(op.op ?? "").toLowerCase();
        const path = op.path ?? "";
        const filtered = /^members\[value eq "([^"]+)"\]$/.exec(path);
        if (filtered && kind === "remove") {
          group.members.delete(filtered[1]!);
        } else if (path === "members" && kind === "add") {
          for (const m of (op.value as { value: string }[]) ?? []) {
            if (!realm.users.has(m.value) && !realm.groups.has(m.value))
              return [400, scimError(400, `Member ${m.value} does not exist.`, "invalidValue")];
            group.members.add(m.value);
          }
        } else if (path === "members" && kind === "remove") {
          // The behaviour seen in the wild: a value-form remove clears the whole group.
          this.counters.valueFormRemoves++;
          group.members.clear();
        } else if (path === "members" && kind === "replace") {
          group.members = new Set(((op.value as { value: string }[]) ?? []).map((m) => m.value));
        } else if (path === "displayName" && kind === "replace") {
          const name = String(op.value);
          const holder = realm.groupNames.get(name.toLowerCase());
          if (holder && holder !== group.id) return [409, scimError(409, `Group with name ${name} already exists.`, "uniqueness")];
          realm.groupNames.delete(group.displayName.toLowerCase());
          realm.groupNames.set(name.toLowerCase(), group.id);
          group.displayName = name;
        } else if (path === "externalId") {
          group.externalId = kind === "remove" ? undefined : String(op.value);
        } else if (path.startsWith("entitlements")) {
          const f = /^entitlements\[value eq "(.+)"\]$/.exec(path);
          if (kind === "add")
            for (const e of (op.value as { value: string }[]) ?? [])
              if (!group.entitlements.some((x) => x.value === e.value)) group.entitlements.push({ value: e.value });
          if (kind === "remove" && f) group.entitlements = group.entitlements.filter((x) => x.value !== f[1]);
        } else if (!path && op.value && typeof op.value === "object") {
          const v = op.value as { displayName?: string };
          if (v.displayName) {
            realm.groupNames.delete(group.displayName.toLowerCase());
            realm.groupNames.set(v.displayName.toLowerCase(), group.id);
            group.displayName = v.displayName;
          }
        }
      }
      return [200, this.groupJson(group)];
    }
    return [405, scimError(405, "Method not allowed.")];
  }

  private list<T>(
    store: Map<string, T>,
    query: URLSearchParams,
    index: Map<string, string>,
    indexed: string,
    json: (item: T) => unknown,
    filterable: Record<string, (item: T) => string | undefined>,
  ): [number, unknown] {
    let items: T[];
    const filter = query.get("filter");
    const eq = filter ? /^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter) : null;
    if (eq && eq[1]!.toLowerCase() === indexed) {
      const id = index.get((JSON.parse(`"${eq[2]}"`) as string).toLowerCase());
      items = id && store.has(id) ? [store.get(id)!] : [];
    } else if (filter) {
      items = [...store.values()];
      const m = /^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
      if (!m) return [400, scimError(400, `Unsupported filter: ${filter}`, "invalidFilter")];
      const get = filterable[m[1]!.toLowerCase()];
      if (!get) return [400, scimError(400, `Unsupported filter attribute: ${m[1]}`, "invalidFilter")];
      const value = JSON.parse(`"${m[2]}"`) as string;
      items = items.filter((i) => (get(i) ?? "").toLowerCase() === value.toLowerCase());
    } else {
      items = [...store.values()];
    }
    const startIndex = Math.max(1, Number(query.get("startIndex") ?? 1) || 1);
    const count = Math.min(100, Math.max(0, Number(query.get("count") ?? 100) || 100));
    const page = items.slice(startIndex - 1, startIndex - 1 + count);
    return [200, { schemas: [LIST_SCHEMA], totalResults: items.length, startIndex, itemsPerPage: page.length, Resources: page.map(json) }];
  }
}

function deleteUser(realm: Realm, user: EmulatorUser) {
  realm.users.delete(user.id);
  realm.userNames.delete(user.userName.toLowerCase());
  for (const g of realm.groups.values()) g.members.delete(user.id);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.replace(/^urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:/, "enterprise.").split(".");
  if (parts[0] === "enterprise") {
    const key = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const ext = ((target[key] as Record<string, unknown>) ??= {});
    if (value === undefined) delete ext[parts[1]!];
    else ext[parts[1]!] = value;
    return;
  }
  if (parts.length === 2) {
    const nested = ((target[parts[0]!] as Record<string, unknown>) ??= {});
    if (value === undefined) delete nested[parts[1]!];
    else nested[parts[1]!] = value;
    return;
  }
  if (path === "active") target.active = value === true || value === "true" || value === "True";
  else if (value === undefined) delete target[path];
  else target[path] = value;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDatabricksEmulator(options: EmulatorOptions = {}): Promise<DatabricksEmulator> {
  return new DatabricksEmulator(options).start();
}
