/**
 * Per-target pacing: a request budget per method class (Databricks' account SCIM API allows
 * about 2 PATCH/s and 5 POST/s), shared by every run in the process that calls the same target.
 * Requests are spaced evenly (no bursts), so a target counting requests per second sees at most
 * the budget; a 429 pauses the whole class for the backoff the client computed.
 */
export type MethodClass = "read" | "create" | "update" | "delete";

export type Budget = Partial<Record<MethodClass, number>> & { default: number | null };

function methodClass(method: string): MethodClass {
  switch (method.toUpperCase()) {
    case "POST":
      return "create";
    case "PATCH":
    case "PUT":
      return "update";
    case "DELETE":
      return "delete";
    default:
      return "read";
  }
}

/** The default budget for a target: Databricks account-level SCIM has documented low write rates. */
export function defaultBudget(baseUrl: string, type: "DATABRICKS" | "SCIM", requestsPerSecond: number | null): Budget {
  if (requestsPerSecond !== null) return { default: requestsPerSecond };
  if (type === "DATABRICKS" && /\/accounts\//i.test(baseUrl)) return { default: 20, create: 5, update: 2, delete: 2 };
  return { default: null };
}

// Slightly under the budget, so that clock jitter never makes a window hold one request too many.
const SAFETY = 1.06;

export class Pacer {
  private next = new Map<MethodClass, number>();
  private pausedUntil = 0;
  constructor(private readonly budget: Budget) {}

  private rate(cls: MethodClass): number | null {
    return this.budget[cls] ?? this.budget.default;
  }

  /** Resolves when a request of this class may go. */
  async acquire(method: string): Promise<void> {
    const cls = methodClass(method);
    const rate = this.rate(cls);
    const now = Date.now();
    let at = Math.max(now, this.pausedUntil);
    if (rate !== null && rate > 0) {
      const interval = (1000 / rate) * SAFETY;
      at = Math.max(at, this.next.get(cls) ?? 0);
      this.next.set(cls, at + interval);
    }
    const wait = at - now;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** After a 429: nobody calls the target before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

const pacers = new Map<string, { pacer: Pacer; key: string }>();

/** The process-wide pacer of a target (keyed by URL and budget). */
export function pacerFor(baseUrl: string, budget: Budget): Pacer {
  const key = JSON.stringify(budget);
  const existing = pacers.get(baseUrl);
  if (existing && existing.key === key) return existing.pacer;
  const pacer = new Pacer(budget);
  pacers.set(baseUrl, { pacer, key });
  return pacer;
}
