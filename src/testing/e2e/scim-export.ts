import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { callTrpc } from "./trpc";

export type SeedUser = { userName: string; givenName: string; familyName: string; email: string };

/** Users and one group with them as members, created through the console's own API (fast, no UI). */
export async function seedGroupWithUsers(request: APIRequestContext, tenantSlug: string, groupName: string, users: SeedUser[]) {
  const ids: string[] = [];
  for (const u of users) {
    const created = await callTrpc(
      request,
      "users.create",
      { tenantSlug, ...u, displayName: `${u.givenName} ${u.familyName}`, title: "", department: "", active: true },
      "mutation",
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    ids.push(created.body.result.data.json.id);
  }
  const group = await callTrpc(request, "groups.create", { tenantSlug, displayName: groupName }, "mutation");
  expect(group.status, JSON.stringify(group.body)).toBe(200);
  const groupId: string = group.body.result.data.json.id;
  const added = await callTrpc(request, "groups.addMembers", { tenantSlug, groupId, userIds: ids }, "mutation");
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  return { groupId, userIds: ids };
}

/** Opens a tab of the profile page, by its accessible name. */
export async function openProfileTab(page: Page, name: "Configuration" | "Mapping" | "Groups" | "About" | "Logs") {
  await page.getByRole("tab", { name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/scim-export/[^/]+/${name.toLowerCase()}`));
}

/** The toast with this title (Mantine notifications render role="alert"). */
export function toast(page: Page, title: string | RegExp) {
  return page.locator(".mantine-Notification-root").filter({ hasText: title });
}

/** A configured export profile with assigned groups, set up through the console's API (for flows that start later). */
export async function createConfiguredProfile(
  request: APIRequestContext,
  tenantSlug: string,
  options: { name: string; baseUrl: string; token: string; groupIds: string[]; deletionThreshold?: number },
): Promise<string> {
  const created = await callTrpc(
    request,
    "scimExport.create",
    { tenantSlug, name: options.name, description: "", type: "DATABRICKS" },
    "mutation",
  );
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const profileId: string = created.body.result.data.json.id;
  const configured = await callTrpc(
    request,
    "scimExport.saveConfiguration",
    {
      tenantSlug,
      profileId,
      baseUrl: options.baseUrl,
      token: options.token,
      scheduleMinutes: 40,
      leaveAction: "DEACTIVATE",
      deletionThreshold: options.deletionThreshold ?? 50,
      enabled: true,
      matchOrder: ["userName", "externalId"],
      requestsPerSecond: null,
      concurrency: 4,
    },
    "mutation",
  );
  expect(configured.status, JSON.stringify(configured.body)).toBe(200);
  const assigned = await callTrpc(request, "scimExport.setGroups", { tenantSlug, profileId, groupIds: options.groupIds }, "mutation");
  expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  return profileId;
}
