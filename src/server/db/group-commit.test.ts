import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createGroupCommit } from "./group-commit";

/** A group commit over a write that records its batches and completes when the test says so. */
function recorder(options: { maxWaitMs?: number; maxBatch?: number } = {}) {
  const batches: string[][] = [];
  const inFlight: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const commit = createGroupCommit<string>({
    ...options,
    write: (batch) =>
      new Promise<void>((resolve, reject) => {
        batches.push(batch);
        inFlight.push({ resolve, reject });
      }),
  });
  return { commit, batches, finishWrite: () => inFlight.shift()!.resolve(), failWrite: (error: Error) => inFlight.shift()!.reject(error) };
}

const settled = async <T>(promise: Promise<T>) => {
  let state = "pending";
  promise.then(
    () => (state = "written"),
    () => (state = "failed"),
  );
  await vi.advanceTimersByTimeAsync(0);
  return state;
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("group commit", () => {
  it("writes a lone request's row at once", async () => {
    const { commit, batches, finishWrite } = recorder();
    const written = commit.expect().submit("a");
    expect(batches).toEqual([["a"]]);
    finishWrite();
    expect(await settled(written)).toBe("written");
  });

  it("waits for every announced request, then writes their rows together", async () => {
    const { commit, batches, finishWrite } = recorder();
    const [first, second, third] = [commit.expect(), commit.expect(), commit.expect()];
    const written = [first.submit("a"), second.submit("b")];
    expect(batches).toEqual([]);
    written.push(third.submit("c"));
    expect(batches).toEqual([["a", "b", "c"]]);
    finishWrite();
    for (const promise of written) expect(await settled(promise)).toBe("written");
  });

  it("stops waiting for a request that releases its ticket without a row", async () => {
    const { commit, batches } = recorder();
    const [first, second] = [commit.expect(), commit.expect()];
    void first.submit("a");
    second.release();
    second.release(); // idempotent: the count of announced requests stays right
    expect(batches).toEqual([["a"]]);
    void commit.expect().submit("b");
    expect(batches).toEqual([["a"]]); // the first write is still in flight
  });

  it("waits no longer than maxWaitMs for requests still running", async () => {
    const { commit, batches } = recorder({ maxWaitMs: 1 });
    const slow = commit.expect();
    void commit.expect().submit("a");
    await vi.advanceTimersByTimeAsync(0.5);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(0.6);
    expect(batches).toEqual([["a"]]);
    slow.release();
  });

  it("writes at once when maxBatch rows wait", () => {
    const { commit, batches } = recorder({ maxBatch: 2 });
    const tickets = [commit.expect(), commit.expect(), commit.expect()];
    void tickets[0]!.submit("a");
    void tickets[1]!.submit("b");
    expect(batches).toEqual([["a", "b"]]);
  });

  it("never writes two batches at once: rows arriving meanwhile go in the next one", async () => {
    const { commit, batches, finishWrite } = recorder();
    void commit.expect().submit("a");
    const [second, third] = [commit.expect(), commit.expect()];
    const written = [second.submit("b"), third.submit("c")];
    expect(batches).toEqual([["a"]]);
    finishWrite();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([["a"], ["b", "c"]]);
    finishWrite();
    for (const promise of written) expect(await settled(promise)).toBe("written");
  });

  it("a row that waited through a long write goes out as soon as the write ends", async () => {
    const { commit, batches, finishWrite } = recorder({ maxWaitMs: 1 });
    void commit.expect().submit("a");
    const running = commit.expect();
    void commit.expect().submit("b");
    await vi.advanceTimersByTimeAsync(5);
    expect(batches).toEqual([["a"]]);
    finishWrite();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([["a"], ["b"]]);
    running.release();
  });

  it("a failed write fails the rows of its batch only", async () => {
    const { commit, failWrite, finishWrite } = recorder();
    const failed = commit.expect().submit("a");
    const later = commit.expect().submit("b");
    failWrite(new Error("disk full"));
    expect(await settled(failed)).toBe("failed");
    finishWrite();
    expect(await settled(later)).toBe("written");
  });
});
