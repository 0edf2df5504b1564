/**
 * Fixed time windows per key (a client, a tenant and kind…), kept in memory with a bounded number
 * of keys, for the per-client limits and log throttles that anyone on the internet can feed: past
 * `maxKeys`, the key whose window started first is forgotten, so an address flood costs at most
 * `maxKeys` entries. A key's map entry moves to the end whenever a new window opens for it.
 */
export type Window<T> = { readonly startedAt: number; readonly state: T };

export class BoundedWindows<T> {
  private readonly windows = new Map<string, Window<T>>();

  constructor(private readonly limits: { windowSeconds: number; maxKeys: number }) {}

  get size(): number {
    return this.windows.size;
  }

  /** The key's last window, open or not (a throttle reports what its closed window counted). */
  latest(key: string): Window<T> | undefined {
    return this.windows.get(key);
  }

  /** The key's window if it is still open at `now`. */
  current(key: string, now: number): Window<T> | undefined {
    const window = this.windows.get(key);
    return window && this.isOpen(window, now) ? window : undefined;
  }

  isOpen(window: Window<T>, now: number): boolean {
    return now - window.startedAt < this.limits.windowSeconds * 1000;
  }

  /** Seconds until `window` closes, at least 1 (a Retry-After). */
  secondsLeft(window: Window<T>, now: number): number {
    return Math.max(1, Math.ceil((window.startedAt + this.limits.windowSeconds * 1000 - now) / 1000));
  }

  /** Starts a new window for `key`, replacing its last one. */
  open(key: string, state: T, now: number): Window<T> {
    this.windows.delete(key);
    while (this.windows.size >= this.limits.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    const window = { startedAt: now, state };
    this.windows.set(key, window);
    return window;
  }
}
