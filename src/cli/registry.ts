import type { Command } from "./command";
import { tenantCreate, tenantList } from "./commands/tenant";
import { exportCreate, exportList, exportRuns, exportSync } from "./commands/scim-export";
import { scimTokenCreate } from "./commands/scim";

/** Every CLI command. Add new ones here. */
export const commands: Command[] = [tenantCreate, tenantList];
commands.push(exportCreate, exportList, exportSync, exportRuns);
commands.push(scimTokenCreate);
import { ssoCreate, ssoSpMetadata } from "./commands/sso";
commands.push(ssoCreate, ssoSpMetadata);
