/**
 * Group commit for rows a request must have written before it answers (SCIM Import's provisioning
 * events): concurrent requests share one write instead of one each. A statement's fixed cost (a
 * round trip, a wake-up of the backend and of this process) is most of what a small insert costs,
 * so the fewer writes, the cheaper each row.
 *
 * Requests announce themselves when they start (`expect`), and a batch is written as soon as every
 * announced request has submitted its row or given up, when `maxBatch` rows wait, or when the
 * oldest waiting row has waited `maxWaitMs`, whichever comes first, and never while the previous
 * batch is still being written. Under load this gathers the rows of every request in flight
 * (bench:scim-import, 8 clients: 4.3 events per insert against 2.1 when a batch left as soon as
 * the previous one was written); a lone request is written at once.
 */
export type GroupCommit<T> = {
  /** Announces a request that will submit one row or release its ticket. */
  expect(): GroupCommitTicket<T>;
};

type GroupCommitTicket<T> = {
  /** Queues the row; settles as the write of the batch holding it does. */
  submit(row: T): Promise<void>;
  /** The request will submit nothing (or has submitted): batches stop waiting for it. Idempotent. */
  release(): void;
};

export type GroupCommitOptions<T> = {
  write(batch: T[]): Promise<void>;
  maxWaitMs?: number;
  maxBatch?: number;
};

type Waiting<T> = { row: T; queuedAt: number; resolve: () => void; reject: (error: unknown) => void };

export function createGroupCommit<T>({ write, maxWaitMs = 1, maxBatch = 100 }: GroupCommitOptions<T>): GroupCommit<T> {
  const queue: Waiting<T>[] = [];
  let expected = 0;
  let writing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function consider() {
    if (writing || queue.length === 0) return;
    const waited = performance.now() - queue[0]!.queuedAt;
    if (expected > 0 && queue.length < maxBatch && waited < maxWaitMs) {
      timer ??= setTimeout(() => {
        timer = undefined;
        consider();
      }, maxWaitMs - waited);
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    void writeBatch(queue.splice(0, maxBatch));
  }

  async function writeBatch(batch: Waiting<T>[]) {
    writing = true;
    try {
      await write(batch.map((waiting) => waiting.row));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      writing = false;
      consider();
    }
  }

  return {
    expect() {
      expected++;
      let outstanding = true;
      const release = () => {
        if (!outstanding) return;
        outstanding = false;
        expected--;
        consider();
      };
      return {
        submit(row) {
          const written = new Promise<void>((resolve, reject) => queue.push({ row, queuedAt: performance.now(), resolve, reject }));
          if (outstanding) release();
          else consider();
          return written;
        },
        release,
      };
    },
  };
}
