import pg from "pg";

/** A connection that listens on one channel; `stop` closes it. */
export type ChannelListener = { stop(): Promise<void> };

export type ChannelHandlers = {
  /** LISTEN is in place: from now on every notification on the channel arrives. */
  onListening(): void;
  onNotification(): void;
  /** The connection failed or ended after listening began (not after `stop`). */
  onLost(): void;
  /** The connection or LISTEN failed before listening began (once; then nothing more is heard). */
  onFailed(error: Error): void;
};

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * LISTEN on a connection of its own (PostgreSQL delivers NOTIFY to the session that listens, so
 * no pooled or pipelined connection will do). The connection never keeps a process (a test, the
 * CLI) alive by itself.
 */
export function listenOnChannel(databaseUrl: string, channel: string, handlers: ChannelHandlers): ChannelListener {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  let state: "connecting" | "listening" | "stopped" = "connecting";
  const lost = (error?: Error) => {
    if (state === "stopped") return;
    const wasListening = state === "listening";
    state = "stopped";
    client.end().catch(() => undefined);
    if (wasListening) handlers.onLost();
    else handlers.onFailed(error ?? new Error("the connection ended before LISTEN"));
  };
  client.on("notification", () => handlers.onNotification());
  client.on("error", lost);
  client.on("end", () => lost());
  client
    .connect()
    .then(() => client.query(`LISTEN ${channel}`))
    .then(() => {
      if (state !== "connecting") return;
      state = "listening";
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      handlers.onListening();
    })
    .catch((error: unknown) => lost(error as Error));
  return {
    async stop() {
      state = "stopped";
      await client.end().catch(() => undefined);
    },
  };
}
