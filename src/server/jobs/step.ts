/** The part of Inngest's step API the job handlers use; the in-process runner provides the same. */
export type StepRunner = { run: <T>(id: string, fn: () => Promise<T>) => Promise<unknown> };
