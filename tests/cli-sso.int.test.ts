/**
 * The SSO commands of the operator CLI, as an operator runs them: `tsx src/cli/main.ts` in a
 * child process on this file's database (DATABASE_URL and APP_URL from the test setup).
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createGroup } from "@/server/directory";
import { newTenant, unique } from "@/testing/factories/directory";
import { TestSamlIdp } from "../src/testing/idp/saml-idp";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return run(tsx, ["src/cli/main.ts", ...args], { env, timeout: 90_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code ?? 1, stdout: error.stdout, stderr: error.stderr }),
  );
}
const lastLine = (s: string) => s.trim().split("\n").at(-1);

let tenant: { id: string; slug: string };
let dir: string;

beforeAll(async () => {
  tenant = await newTenant();
  await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Data" } });
  await createGroup({ tenantId: tenant.id, source: "CONSOLE", fields: { displayName: "Finance Team" } });
  dir = await mkdtemp(path.join(os.tmpdir(), "lc-cli-sso-"));
});

describe("sso CLI", () => {
  it("sso:create makes a SAML profile from a metadata file, assigns the groups and prints the id last", async () => {
    const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml` });
    const file = path.join(dir, "idp-metadata.xml");
    await writeFile(file, idp.metadata());
    const created = await cli([
      "sso:create",
      "--tenant",
      tenant.slug,
      "--name",
      "Okta",
      "--metadata-file",
      file,
      "--groups",
      "Data, finance team",
    ]);
    expect(created.stderr).not.toMatch(/error/i);
    expect(created.code).toBe(0);
    const id = lastLine(created.stdout)!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const profile = await db().authenticationProfile.findUniqueOrThrow({
      where: { id },
      select: {
        tenantId: true,
        name: true,
        protocol: true,
        idpEntityId: true,
        groups: { select: { group: { select: { displayName: true } } } },
      },
    });
    expect(profile).toMatchObject({ tenantId: tenant.id, name: "Okta", protocol: "SAML", idpEntityId: idp.entityId });
    expect(profile.groups.map((g) => g.group.displayName).sort()).toEqual(["Data", "Finance Team"]);
  }, 120_000);

  it("sso:create refuses a file that is not XML, and unknown groups, with a message and a non-zero exit", async () => {
    const file = path.join(dir, "not-metadata.json");
    await writeFile(file, '{"entityId": "nope"}');
    const notXml = await cli(["sso:create", "--tenant", tenant.slug, "--name", "Bad", "--metadata-file", file]);
    expect(notXml.code).not.toBe(0);
    expect(notXml.stderr).toContain("This is not XML");
    expect(notXml.stdout).not.toMatch(/^[0-9a-f-]{36}$/m);

    const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml` });
    const good = path.join(dir, "other.xml");
    await writeFile(good, idp.metadata());
    const noGroup = await cli(["sso:create", "--tenant", tenant.slug, "--name", "Other", "--metadata-file", good, "--groups", "Nobody"]);
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain('No group named "Nobody"');
    expect(await db().authenticationProfile.count({ where: { tenantId: tenant.id, name: { in: ["Bad", "Other"] } } })).toBe(0);
  }, 120_000);

  it("sso:create and sso:sp-metadata refuse to run against DATABASE_URL without APP_URL, and create nothing", async () => {
    const idp = new TestSamlIdp({ entityId: `https://${unique("idp")}.example.com/saml` });
    const file = path.join(dir, "no-app-url.xml");
    await writeFile(file, idp.metadata());
    const env = { ...process.env };
    delete env.APP_URL;
    delete env.NEXTAUTH_URL;
    const created = await cli(["sso:create", "--tenant", tenant.slug, "--name", "NoUrl", "--metadata-file", file], env);
    expect(created.code).toBe(2);
    expect(created.stderr).toMatch(/sso:create against DATABASE_URL needs APP_URL/);
    const printed = await cli(["sso:sp-metadata", "--tenant", tenant.slug], env);
    expect(printed.code).toBe(2);
    expect(printed.stderr).toMatch(/needs APP_URL/);
    expect(await db().authenticationProfile.count({ where: { tenantId: tenant.id, name: "NoUrl" } })).toBe(0);
  }, 120_000);

  it("sso:sp-metadata prints the tenant's SP metadata XML with its entity ID and ACS URL", async () => {
    const printed = await cli(["sso:sp-metadata", "--tenant", tenant.slug]);
    expect(printed.code).toBe(0);
    const base = `${process.env.APP_URL}/api/sso/${tenant.slug}`;
    expect(printed.stdout).toMatch(/^<\?xml|^<(md:)?EntityDescriptor/);
    expect(printed.stdout).toContain(`entityID="${base}/metadata"`);
    expect(printed.stdout).toMatch(
      new RegExp(`AssertionConsumerService[^>]*Location="${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/acs"`),
    );
    expect(printed.stdout).toContain("X509Certificate");

    const unknown = await cli(["sso:sp-metadata", "--tenant", "no-such-tenant"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No tenant with the URL name "no-such-tenant"');
  }, 120_000);
});
