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
    NODE_ENV: z.string().optional(),
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_SIGNING_KEY: z.string().min(1).optional(),
    INNGEST_DEV: z.string().optional(),
    INNGEST_BASE_URL: z.url({ message: "INNGEST_BASE_URL must be a URL, e.g. http://localhost:8288" }).optional(),
    INNGEST_DEV_INSECURE: z
      .enum(["true", "false"], { message: "INNGEST_DEV_INSECURE must be true or false" })
      .default("false")
      .transform((v) => v === "true"),
  })
  .refine((v) => Boolean(v.INNGEST_EVENT_KEY) === Boolean(v.INNGEST_SIGNING_KEY), {
    message: "Set both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or neither, to run jobs in-process)",
    path: ["INNGEST_SIGNING_KEY"],
  })
  // Dev mode serves /api/inngest without checking signatures: anyone who reaches it runs jobs.
  .refine((v) => v.NODE_ENV !== "production" || !inngestDevModeOn(v.INNGEST_DEV) || v.INNGEST_DEV_INSECURE, {
    message:
      "Inngest's dev mode runs jobs for anyone who reaches /api/inngest, without checking signatures. In production use " +
      "INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (Inngest Cloud), unset INNGEST_DEV to run jobs in-process, or set " +
      "INNGEST_DEV_INSECURE=true if only the Inngest dev server can reach this server",
    path: ["INNGEST_DEV"],
  });

export type InngestEnv = z.infer<typeof inngestSchema>;

/** INNGEST_DEV turns dev mode on with any value but 0 or false (1, or the dev server's URL). */
export function inngestDevModeOn(value: string | undefined): boolean {
  return Boolean(value) && value !== "0" && value !== "false";
}

export function inngestEnv(): InngestEnv {
  const blankToUndefined = (v: string | undefined) => (v ? v : undefined);
  const parsed = inngestSchema.safeParse({
    NODE_ENV: process.env.NODE_ENV,
    INNGEST_EVENT_KEY: blankToUndefined(process.env.INNGEST_EVENT_KEY),
    INNGEST_SIGNING_KEY: blankToUndefined(process.env.INNGEST_SIGNING_KEY),
    INNGEST_DEV: blankToUndefined(process.env.INNGEST_DEV),
    INNGEST_BASE_URL: blankToUndefined(process.env.INNGEST_BASE_URL),
    INNGEST_DEV_INSECURE: blankToUndefined(process.env.INNGEST_DEV_INSECURE),
  });
  if (!parsed.success) throw invalidEnv(parsed.error);
  return parsed.data;
}

const allowPrivateTargetsSchema = z
  .enum(["true", "false"], { message: "ALLOW_PRIVATE_TARGETS must be true or false" })
  .default("false")
  .transform((v) => v === "true");

/**
 * ALLOW_PRIVATE_TARGETS: whether the URL guard lets private and loopback addresses and plain http
 * through. Parsed on its own as well, because the guard also runs where the other settings are not
 * there (unit tests, the emulators, the CLI).
 */
export function allowPrivateTargets(): boolean {
  const parsed = z.object({ ALLOW_PRIVATE_TARGETS: allowPrivateTargetsSchema }).safeParse({
    ALLOW_PRIVATE_TARGETS: process.env.ALLOW_PRIVATE_TARGETS || undefined,
  });
  if (!parsed.success) throw invalidEnv(parsed.error);
  return parsed.data.ALLOW_PRIVATE_TARGETS;
}

const listenSchema = z.object({
  PORT: z.coerce.number({ message: "PORT must be a port number (1-65535)" }).int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
});

/** Where the server listens: PORT (default 3000) and HOSTNAME (default 0.0.0.0, every interface). */
export function listenAddress(): { port: number; hostname: string } {
  const parsed = listenSchema.safeParse({ PORT: process.env.PORT || undefined, HOSTNAME: process.env.HOSTNAME || undefined });
  if (!parsed.success) throw invalidEnv(parsed.error);
  return { port: parsed.data.PORT, hostname: parsed.data.HOSTNAME };
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const logLevelSchema = z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` }).default("info");

/**
 * LOG_LEVEL (default info; the CLI passes warn, so its own output is not buried in job lines). On
 * its own: the CLI, tests and the server all log, with or without the other settings.
 */
export function logLevel(fallback: LogLevel = "info"): LogLevel {
  const parsed = z.object({ LOG_LEVEL: logLevelSchema }).safeParse({ LOG_LEVEL: process.env.LOG_LEVEL?.trim().toLowerCase() || undefined });
  if (!parsed.success) throw invalidEnv(parsed.error);
  return process.env.LOG_LEVEL?.trim() ? parsed.data.LOG_LEVEL : fallback;
}

const metricsTokenSchema = z.string().min(16, "METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`)").optional();

/** METRICS_TOKEN: the bearer token GET /metrics wants; unset, the endpoint does not exist (404). */
export function metricsToken(): string | null {
  const parsed = z.object({ METRICS_TOKEN: metricsTokenSchema }).safeParse({ METRICS_TOKEN: process.env.METRICS_TOKEN || undefined });
  if (!parsed.success) throw invalidEnv(parsed.error);
  return parsed.data.METRICS_TOKEN ?? null;
}

const SCIM_RATE_LIMIT_FORMAT = /^\s*(\d+(?:\.\d+)?)\s*\/\s*s\s*,\s*burst\s*=\s*(\d+)\s*$/i;
const SCIM_RATE_LIMIT_MESSAGE =
  "SCIM_RATE_LIMIT must look like 100/s,burst=200: requests per second per tenant (over 0), then the burst (at least 1)";

const schema = z.object({
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)"),
  ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, "base64").length === 32,
      "ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)",
    ),
  APP_URL: z.url({ message: "APP_URL must be the public URL of the console, e.g. https://console.example.com" }),
  ALLOW_PRIVATE_TARGETS: allowPrivateTargetsSchema,
  /**
   * How many reverse proxies stand in front of the server and append to X-Forwarded-For. 0 (the
   * default): the client is the socket's peer and any X-Forwarded-For it sends is ignored.
   */
  TRUST_PROXY: z
    .string()
    .default("0")
    .transform((v) => (v === "false" ? 0 : v === "true" ? 1 : Number(v)))
    .pipe(z.number().int("TRUST_PROXY must be false, true or the number of proxies in front of the server (0-10)").min(0).max(10)),
  /** SCIM Import's limit per tenant and instance, "<requests>/s,burst=<n>" (default 100/s,burst=200: scim-import/config.ts). */
  SCIM_RATE_LIMIT: z
    .string()
    .regex(SCIM_RATE_LIMIT_FORMAT, SCIM_RATE_LIMIT_MESSAGE)
    .transform((v) => {
      const [, perSecond, burst] = SCIM_RATE_LIMIT_FORMAT.exec(v)!;
      return { perSecond: Number(perSecond), burst: Number(burst) };
    })
    .refine((limit) => limit.perSecond > 0 && limit.burst >= 1, SCIM_RATE_LIMIT_MESSAGE)
    .optional(),
  LOG_LEVEL: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v), logLevelSchema),
  METRICS_TOKEN: z.preprocess((v) => v || undefined, metricsTokenSchema),
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
  if (!parsed.success) throw invalidEnv(parsed.error);
  cached = parsed.data;
  return cached;
}

function invalidEnv(error: z.ZodError): InvalidEnvError {
  const lines = error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
  return new InvalidEnvError(`The server's settings are not valid:\n${lines.join("\n")}`);
}
