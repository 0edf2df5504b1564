import type { ConnectionResult } from "./types";
import type { ProfileScoped } from "./profiles";
import { AppError } from "../errors";

/** Implemented in the next commit (SCIM client). */
export async function testExportConnection(_options: ProfileScoped & { input?: { baseUrl?: string; token?: string } }): Promise<ConnectionResult> {
  throw new AppError("BAD_REQUEST", "Test Connection is not available yet.");
}
