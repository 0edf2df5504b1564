/** Jobs on Inngest: each request is an event; Inngest then calls /api/inngest (functions.ts). */
import { inngest } from "./client";
import { directoryChanged, syncRequested } from "./events";
import type { JobProvider } from "./provider";

export const inngestProvider: JobProvider = {
  kind: "inngest",
  async requestSync(data) {
    await inngest.send({ name: syncRequested.name, data });
  },
  async directoryChanged(data) {
    // The function debounces per tenant (functions.ts), so a burst of notices becomes one sync.
    await inngest.send({ name: directoryChanged.name, data });
  },
};
