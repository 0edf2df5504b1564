import type { ProvisionOnDemandResult } from "./types";
import type { ProfileScoped } from "./profiles";
import { AppError } from "../errors";

/** Implemented with the engine. */
export async function provisionUserOnDemand(_options: ProfileScoped & { userId: string; requestedBy?: string }): Promise<ProvisionOnDemandResult> {
  throw new AppError("BAD_REQUEST", "Provision on demand is not available yet.");
}
