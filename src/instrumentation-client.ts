import { z } from "zod";

/**
 * Runs in the browser before the app's own modules. zod probes whether it may compile parsers
 * with `new Function` as each object schema is built; the pages' Content-Security-Policy forbids
 * eval (src/server/http/security-headers.ts), so the probe fails and is reported as a violation
 * on every page. Jitless, zod never probes.
 */
z.config({ jitless: true });
