import { z } from "zod";

/**
 * The only reader of process.env for server code. Validated once, on first use; the start
 * script calls `serverEnv()` before serving so that a bad setting fails at start, with one
 * line per problem, instead of at the first request.
 */
/**
 * Inngest: keys for Inngest Cloud, or INNGEST_DEV (1, or a dev server URL). Neither: jobs run
 * in-process. Parsed on its own as well, because the job client is built at import time.
 */
const inngestSchema = z
  .object({
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_SIGNING_KEY: z.string().min(1).optional(),
    INNGEST_DEV: z.string().optional(),
    INNGEST_BASE_URL: z.url({ message: "INNGEST_BASE_URL must be a URL, e.g. http://localhost:8288" }).optional(),
  })
  .refine((v) => Boolean(v.INNGEST_EVENT_KEY) === Boolean(v.INNGEST_SIGNING_KEY), {
    message: "Set both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or neither, to run jobs in-process)",
    path: ["INNGEST_SIGNING_KEY"],
  });

export type InngestEnv = z.infer<typeof inngestSchema>;

export function inngestEnv(): InngestEnv {
  const blankToUndefined = (v: string | undefined) => (v ? v : undefined);
  return inngestSchema.parse({
    INNGEST_EVENT_KEY: blankToUndefined(process.env.INNGEST_EVENT_KEY),
    INNGEST_SIGNING_KEY: blankToUndefined(process.env.INNGEST_SIGNING_KEY),
    INNGEST_DEV: blankToUndefined(process.env.INNGEST_DEV),
    INNGEST_BASE_URL: blankToUndefined(process.env.INNGEST_BASE_URL),
  });
}

const schema = z.object({
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)"),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)"),
  APP_URL: z.url({ message: "APP_URL must be the public URL of the console, e.g. https://console.example.com" }),
  ALLOW_PRIVATE_TARGETS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /**
   * How many reverse proxies stand in front of the server and append to X-Forwarded-For. 0 (the
   * default): the client is the socket's peer and any X-Forwarded-For it sends is ignored.
   */
  TRUST_PROXY: z
    .string()
    .default("0")
    .transform((v) => (v === "false" ? 0 : v === "true" ? 1 : Number(v)))
    .pipe(z.number().int("TRUST_PROXY must be false, true or the number of proxies in front of the server (0-10)").min(0).max(10)),
});

export type ServerEnv = z.infer<typeof schema> & InngestEnv;

let cached: ServerEnv | undefined;

export class InvalidEnvError extends Error {}

export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const parsed = schema.and(inngestSchema).safeParse({
    ...process.env,
    AUTH_SECRET: process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET,
    APP_URL: process.env.APP_URL ?? process.env.NEXTAUTH_URL,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new InvalidEnvError(`The server's settings are not valid:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}
