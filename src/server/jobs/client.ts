import { Inngest } from "inngest";
import { inngestSettings } from "../scim-export/settings";

const settings = inngestSettings();

/** The app's Inngest client. Events are sent only where Inngest is configured (see `send.ts`). */
export const inngest = new Inngest({
  id: "lifecycle-console",
  ...(settings.mode === "inngest" ? { isDev: settings.dev, eventKey: settings.eventKey, baseUrl: settings.baseUrl } : { isDev: true }),
});
