import { Inngest } from "inngest";
import { inngestSettings } from "./settings";

const settings = inngestSettings();

/**
 * The app's Inngest client. Events are sent only where Inngest is configured (see `send.ts`) and
 * the functions are served only there (`endpoint.ts`). The signing key is given here, from the
 * validated settings, so that the SDK verifies requests with it. Without Inngest the client is
 * in cloud mode with no key: should it ever be served, it refuses every request.
 */
export const inngest = new Inngest({
  id: "lifecycle-console",
  ...(settings.mode === "inngest"
    ? { isDev: settings.dev, eventKey: settings.eventKey, signingKey: settings.signingKey, baseUrl: settings.baseUrl }
    : { isDev: false }),
});
