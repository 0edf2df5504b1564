import pg from "pg";

/**
 * Which tenant a SCIM token opens, remembered so that a request costs one query less
 * (bench:scim-import: a lookup is then one query and a share of one event insert).
 *
 * Remembering is only safe while this process hears of every change that could make an answer
 * wrong: triggers on ScimToken and Tenant (migration scim_token_change_notify) notify
 * `scim_token_changed` whoever makes the change (console, CLI, another server), and every entry
 * is dropped when a notification arrives. Without a live listener nothing is remembered, and
 * entries also expire on their own, so a lost connection can never keep a replaced token alive.
 */
export const TOKEN_CHANGE_CHANNEL = "scim_token_changed";
const ENTRY_TTL_MS = 60_000;
const RECONNECT_DELAY_MS = 1_000;

export type CachedToken = { tenantId: string; slug: string; tokenId: string; lastUsedAt: number };

type Listener = { state: "stopped" | "connecting" | "listening"; client?: pg.Client };

export class ScimTokenCache {
  private readonly entries = new Map<string, CachedToken & { expiresAt: number }>();
  private readonly listener: Listener = { state: "stopped" };
  /** Bumped by every notification: an answer read before it must not be remembered after it. */
  private generation = 0;

  constructor(private readonly databaseUrl: () => string) {}

  /** The generation to hand back to `remember`, taken before the database is read. */
  begin(): number {
    this.listen();
    return this.generation;
  }

  get(key: string): CachedToken | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.listener.state !== "listening" || entry.expiresAt < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Remembers an answer read in `generation`, unless a change was announced since. */
  remember(key: string, value: CachedToken, generation: number): void {
    if (this.listener.state !== "listening" || generation !== this.generation) return;
    this.entries.set(key, { ...value, expiresAt: Date.now() + ENTRY_TTL_MS });
  }

  /** Drops every answer: on a notification, and at once in the process that made the change. */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Closes the listening connection (tests, shutdown). */
  async stop(): Promise<void> {
    const client = this.listener.client;
    this.listener.state = "stopped";
    this.listener.client = undefined;
    this.forgetAll();
    await client?.end().catch(() => undefined);
  }

  private listen(): void {
    if (this.listener.state !== "stopped") return;
    this.listener.state = "connecting";
    const client = new pg.Client({ connectionString: this.databaseUrl() });
    this.listener.client = client;
    const lost = () => {
      if (this.listener.client !== client) return;
      this.listener.state = "stopped";
      this.listener.client = undefined;
      this.forgetAll();
      client.end().catch(() => undefined);
      // The next request starts listening again; until then, every request reads the database.
    };
    client.on("notification", () => this.forgetAll());
    client.on("error", lost);
    client.on("end", lost);
    client
      .connect()
      .then(() => client.query(`LISTEN ${TOKEN_CHANGE_CHANNEL}`))
      .then(() => {
        if (this.listener.client !== client) return;
        // Anything read while connecting may predate a change this connection did not hear.
        this.forgetAll();
        this.listener.state = "listening";
        // A listener must not keep a process (a test, the CLI) alive on its own.
        (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      })
      .catch((error: unknown) => {
        console.error("SCIM token cache: cannot listen for token changes, every request checks the database:", (error as Error).message);
        if (this.listener.client !== client) return;
        this.listener.client = undefined;
        client.end().catch(() => undefined);
        // Retry later rather than on every request while the database is unreachable.
        setTimeout(() => {
          if (this.listener.state === "connecting" && !this.listener.client) this.listener.state = "stopped";
        }, RECONNECT_DELAY_MS).unref();
      });
  }
}
