import type { Command } from "./command";
import { tenantCreate, tenantList } from "./commands/tenant";

/** Every CLI command. Add new ones here. */
export const commands: Command[] = [tenantCreate, tenantList];
