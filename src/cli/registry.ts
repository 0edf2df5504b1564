import type { Command } from "./command";
import { tenantCreate, tenantList } from "./commands/tenant";
import { scimTokenCreate } from "./commands/scim";

/** Every CLI command. Add new ones here. */
export const commands: Command[] = [tenantCreate, tenantList];
commands.push(scimTokenCreate);
import { ssoCreate, ssoSpMetadata } from "./commands/sso";
commands.push(ssoCreate, ssoSpMetadata);
