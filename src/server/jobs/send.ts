/** Placeholder dispatch, replaced by the jobs module (Inngest or the in-process runner). */
export type SyncRequestedData = { tenantId: string; profileId: string; runId: string };

export async function sendSyncRequested(_data: SyncRequestedData): Promise<void> {}
