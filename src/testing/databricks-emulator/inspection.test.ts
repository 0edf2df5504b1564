import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSPECTION_PREFIX, startDatabricksEmulator, type DatabricksEmulator } from "./index";

let emulator: DatabricksEmulator;
beforeAll(async () => {
  emulator = await startDatabricksEmulator({ token: "dapi-inspect" });
});
afterAll(() => emulator.stop());

const scim = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.workspaceUrl}${path}`, {
    method,
    headers: { Authorization: "Bearer dapi-inspect", "Content-Type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const inspect = async (path: string) => {
  const res = await fetch(`${emulator.origin}${INSPECTION_PREFIX}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
};

describe("the emulator's HTTP inspection API", () => {
  it("shows what arrived (users, groups with members, counters, the request log) without a token and without counting itself", async () => {
    const created = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.com",
      displayName: "Ada",
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Data",
      members: [{ value: user.id }],
    });
    expect(group.status).toBe(201);

    const state = await inspect("state");
    expect(state.status).toBe(200);
    expect(state.body.users).toEqual([expect.objectContaining({ id: user.id, userName: "ada@example.com", active: true })]);
    expect(state.body.groups).toEqual([expect.objectContaining({ displayName: "Data", members: [user.id] })]);
    expect(state.body.counters).toMatchObject({ requests: 2, writes: 2 });

    expect((await inspect("users?userName=ADA@example.com")).body).toHaveLength(1);
    expect((await inspect("users?userName=nobody@example.com")).body).toHaveLength(0);
    expect((await inspect("groups?displayName=data")).body).toEqual([expect.objectContaining({ members: [user.id] })]);
    expect((await inspect("users?realm=account")).body).toHaveLength(0);

    const log = await inspect("requests?method=POST");
    expect(log.body.total).toBe(2);
    expect((log.body.items as { path: string; status: number }[]).map((q) => [q.path, q.status])).toEqual([
      ["/api/2.0/preview/scim/v2/Users", 201],
      ["/api/2.0/preview/scim/v2/Groups", 201],
    ]);
    // Inspection requests are not counted.
    expect((await inspect("counters")).body).toMatchObject({ requests: 2 });
  });

  it("is read-only and explains unknown paths", async () => {
    const post = await fetch(`${emulator.origin}${INSPECTION_PREFIX}state`, { method: "POST" });
    expect(post.status).toBe(405);
    expect((await inspect("nothing")).status).toBe(404);
    expect((await inspect("state?realm=moon")).status).toBe(400);
  });
});
