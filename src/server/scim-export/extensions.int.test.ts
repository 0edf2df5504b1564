/**
 * Custom extension attributes on export, into SCIMMY (a SCIM implementation we did not write)
 * whose User resource declares the extension: the directory's custom attribute (as SCIM Import
 * keeps it) is the source, an extension URN of the target the destination. SCIMMY validates the
 * body against the schema, so an attribute cut at the URN's "2.0" would be refused or lost.
 */
import SCIMMY from "scimmy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimmyServer } from "@/testing/scimmy-server/server";
import { updateUser } from "../directory";
import { newConfiguredProfile, newGroupWithUsers, newTenant, syncNow } from "../../testing/factories/scim-export";
import { defaultUserMapping } from "./mapping/defaults";
import { updateExportMapping } from "./mapping-service";

/** The target's extension (declared on SCIMMY) and the IdP's (kept by SCIM Import in extra). */
const TARGET = "urn:ietf:params:scim:schemas:extension:target:2.0:User";
const SOURCE = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";

let scimmy: Awaited<ReturnType<typeof startScimmyServer>>;
beforeAll(async () => {
  const definition = new SCIMMY.Types.SchemaDefinition("TargetUser", TARGET, "An extension of the target", [
    new SCIMMY.Types.Attribute("string", "costCenter"),
  ]);
  // SCIMMY's declarations are global: this file's server (a worker of its own) has the extension.
  SCIMMY.Resources.User.extend(definition as never, false);
  scimmy = await startScimmyServer();
});
afterAll(() => scimmy.stop());

describe("custom extension attributes on export", () => {
  it("maps the directory's custom attribute to an extension URN of the target, then updates it with a PATCH on its full path", async () => {
    const tenant = await newTenant();
    const { group, users } = await newGroupWithUsers(tenant.id, 1);
    const user = users[0]!;
    await updateUser({
      tenantId: tenant.id,
      userId: user.id,
      source: "SCIM",
      fields: { extra: { [SOURCE]: { CostCenter: "CC-1" } } },
    } as never);
    const profileId = await newConfiguredProfile(tenant.id, null, {
      type: "SCIM",
      baseUrl: scimmy.baseUrl,
      token: scimmy.token,
      groupIds: [group.id],
    });
    await updateExportMapping({
      tenantId: tenant.id,
      profileId,
      input: {
        user: [
          ...defaultUserMapping("SCIM"),
          {
            target: `${TARGET}:costCenter`,
            kind: "expression",
            value: `ToUpper([${SOURCE.toLowerCase()}:costcenter])`,
            apply: "always",
            defaultValue: "",
          },
        ],
      },
    });

    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    const remote = () => scimmy.users().find((u) => u.userName === user.userName)!;
    expect(remote()[TARGET]).toEqual({ costCenter: "CC-1" });
    expect(remote().schemas).toContain(TARGET);

    await updateUser({
      tenantId: tenant.id,
      userId: user.id,
      source: "SCIM",
      fields: { extra: { [SOURCE]: { CostCenter: "cc-2" } } },
    } as never);
    expect((await syncNow(tenant.id, profileId)).status).toBe("SUCCEEDED");
    expect(remote()[TARGET]).toEqual({ costCenter: "CC-2" });
  });
});
