/**
 * The enterprise manager on export: `urn:…:enterprise:2.0:User:manager` is set to the MANAGER'S ID
 * ON THE TARGET (resolved through the profile's links), once the manager is there — later in the
 * same run or in a later run — and cleared when the directory no longer names one. Against the
 * Databricks emulator and an independent SCIM server (SCIMMY, with the enterprise extension).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDatabricksEmulator, type DatabricksEmulator } from "@/testing/databricks-emulator";
import { startScimmyServer } from "@/testing/scimmy-server/server";
import { addGroupMembers, updateUser } from "../directory";
import { newConfiguredProfile, newGroupWithUsers, newTenant, newUser, syncNow } from "../../testing/factories/scim-export";
import { fullReconcile } from "../../testing/factories/scim-export-runs";
import { getExportMapping, updateExportMapping } from "./mapping-service";
import { zMappingForm } from "@/lib/validation/scim-export";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

type Target = {
  type: "DATABRICKS" | "SCIM";
  baseUrl: string;
  token: string;
  /** A user on the target by userName: its id and its manager's id (undefined: none). */
  user(userName: string): { id: string; manager: string | undefined };
};

let emulator: DatabricksEmulator;
let scimmy: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  [emulator, scimmy] = await Promise.all([startDatabricksEmulator(), startScimmyServer()]);
});
afterAll(async () => {
  await Promise.all([emulator.stop(), scimmy.stop()]);
});

const managerOf = (resource: Record<string, unknown>) =>
  ((resource[ENTERPRISE] as { manager?: { value?: string } } | undefined)?.manager?.value ?? undefined) as string | undefined;

const targets: [string, () => Target][] = [
  [
    "the Databricks emulator",
    () => ({
      type: "DATABRICKS",
      baseUrl: emulator.workspaceUrl,
      token: emulator.token,
      user: (userName) => {
        const u = emulator.users().find((x) => x.userName === userName)!;
        return { id: u.id, manager: managerOf(u) };
      },
    }),
  ],
  [
    "an independent SCIM server (SCIMMY)",
    () => ({
      type: "SCIM",
      baseUrl: scimmy.baseUrl,
      token: scimmy.token,
      user: (userName) => {
        const u = scimmy.users().find((x) => x.userName === userName)!;
        return { id: String(u.id), manager: managerOf(u) };
      },
    }),
  ],
];

describe.each(targets)("the manager on %s", (_name, targetOf) => {
  it("is the manager's id on the target, set once the manager is there, and cleared when removed", async () => {
    const target = targetOf();
    const tenant = await newTenant();
    const boss = await newUser(tenant.id, { givenName: "Grace", familyName: "Boss" });
    const { group, users } = await newGroupWithUsers(tenant.id, 1);
    const employee = users[0]!;
    // Entra sends the manager's id in our directory; Okta often another key (here: the externalId).
    await updateUser({ tenantId: tenant.id, userId: employee.id, source: "CONSOLE", fields: { managerId: boss.id } });
    const profileId = await newConfiguredProfile(tenant.id, null, {
      type: target.type,
      baseUrl: target.baseUrl,
      token: target.token,
      groupIds: [group.id],
    });
    const { user: rows } = await getExportMapping({ tenantId: tenant.id, profileId });
    await updateExportMapping({
      tenantId: tenant.id,
      profileId,
      input: {
        user: [...rows, { target: "enterprise.manager", kind: "attribute", value: "managerId", apply: "always", defaultValue: "" }],
      },
    });

    // The manager is not in scope yet: no manager on the target (never the directory's id).
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.user(employee.userName).manager).toBeUndefined();

    // The manager joins the group: created in this run, then set as the employee's manager.
    await addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [boss.id] });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.user(employee.userName).manager).toBe(target.user(boss.userName).id);

    // A new employee and a new manager named by externalId, both pushed in the same run.
    const lead = await newUser(tenant.id, { externalId: `okta-${Date.now()}` });
    const junior = await newUser(tenant.id, { managerId: lead.externalId! });
    await addGroupMembers({ tenantId: tenant.id, groupId: group.id, source: "CONSOLE", userIds: [junior.id, lead.id] });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.user(junior.userName).manager).toBe(target.user(lead.userName).id);

    // Nothing changed: no manager is written again (an incremental run and a full reconcile).
    const quiet = await syncNow(tenant.id, profileId);
    expect(quiet.counts).not.toHaveProperty(["user.updated.success"]);
    expect(target.user(employee.userName).manager).toBe(target.user(boss.userName).id);

    // The directory no longer names a manager: cleared on the target.
    await updateUser({ tenantId: tenant.id, userId: employee.id, source: "CONSOLE", fields: { managerId: null } });
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.user(employee.userName).manager).toBeUndefined();
    expect(target.user(junior.userName).manager).toBe(target.user(lead.userName).id);
    expect((await fullReconcile(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(target.user(junior.userName).manager).toBe(target.user(lead.userName).id);
  });
});

describe("the manager's mapping row", () => {
  it("must take the directory's managerId (the engine turns it into the id on the target)", () => {
    const base = [{ target: "userName", kind: "attribute" as const, value: "userName", apply: "always" as const, defaultValue: "" }];
    const wrong = zMappingForm.safeParse({
      user: [...base, { target: "enterprise.manager", kind: "attribute", value: "managerName", apply: "always", defaultValue: "" }],
    });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]).toMatchObject({ path: ["user", 1, "value"], message: expect.stringContaining("managerId") });
    const right = zMappingForm.safeParse({
      user: [...base, { target: "enterprise.manager", kind: "attribute", value: "managerId", apply: "always", defaultValue: "" }],
    });
    expect(right.success).toBe(true);
  });
});
