import type { ResourceDef } from "../scim";
import { listenOnChannel, type ChannelListener } from "../db/notifications";
import { errorFields, log } from "../observability/logger";

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
const TOKEN_CHANGE_CHANNEL = "scim_token_changed";
const ENTRY_TTL_MS = 60_000;
const RECONNECT_DELAY_MS = 1_000;

export type CachedToken = {
  tenantId: string;
  slug: string;
  tokenId: string;
  lastUsedAt: number;
  /** The tenant's User resource with its extension schemas (scim/user-extensions.ts). */
  userResource: ResourceDef;
};

type Listener = { state: "stopped" | "connecting" | "listening"; connection?: ChannelListener };

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
    const connection = this.listener.connection;
    this.listener.state = "stopped";
    this.listener.connection = undefined;
    this.forgetAll();
    await connection?.stop();
  }

  private listen(): void {
    if (this.listener.state !== "stopped") return;
    this.listener.state = "connecting";
    const current = () => this.listener.connection === connection;
    const connection = listenOnChannel(this.databaseUrl(), TOKEN_CHANGE_CHANNEL, {
      onListening: () => {
        if (!current()) return;
        // Anything read while connecting may predate a change this connection did not hear.
        this.forgetAll();
        this.listener.state = "listening";
      },
      onNotification: () => this.forgetAll(),
      onLost: () => {
        if (!current()) return;
        this.listener.state = "stopped";
        this.listener.connection = undefined;
        this.forgetAll();
        // The next request starts listening again; until then, every request reads the database.
      },
      onFailed: (error) => {
        log().error(errorFields(error), "SCIM token cache: cannot listen for token changes, every request checks the database");
        if (!current()) return;
        this.listener.connection = undefined;
        // Retry later rather than on every request while the database is unreachable.
        setTimeout(() => {
          if (this.listener.state === "connecting" && !this.listener.connection) this.listener.state = "stopped";
        }, RECONNECT_DELAY_MS).unref();
      },
    });
    this.listener.connection = connection;
  }
}
