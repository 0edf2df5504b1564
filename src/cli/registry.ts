import type { Command } from "./command";
import { auditList } from "./commands/audit";
import { exportCsvCommand } from "./commands/csv";
import { scimTokenCreate } from "./commands/scim";
import { exportCreate, exportList, exportRuns, exportSync } from "./commands/scim-export";
import { ssoCreate, ssoSpMetadata } from "./commands/sso";
import { tenantCreate, tenantList } from "./commands/tenant";

/** Every CLI command, in the order `--help` lists them. */
export const commands: Command[] = [
  tenantCreate,
  tenantList,
  scimTokenCreate,
  exportCreate,
  exportList,
  exportSync,
  exportRuns,
  ssoCreate,
  ssoSpMetadata,
  auditList,
  exportCsvCommand,
];
