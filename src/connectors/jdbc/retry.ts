/**
 * Capped exponential backoff within a time budget: a failed attempt is retried after
 * backoff·2^n (capped at maxBackoffMs, with jitter) for as long as `maxDurationMs` since
 * the first failure allows. 0 gives up at once; Infinity never does.
 */
export interface RetryPolicy {
  readonly maxDurationMs: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxDurationMs: 10 * 60_000, backoffMs: 200, maxBackoffMs: 30_000 });

/** The wait before retry number `attempt` (0-based), with up to 20% jitter so that writers do not retry in lockstep. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 + 0.2 * random()));
}

/** One retry about to happen: what failed, which retry it is (1-based), how long until it runs. */
export interface RetryEvent {
  readonly error: unknown;
  readonly retry: number;
  readonly delayMs: number;
  /** Time since the first failure. */
  readonly elapsedMs: number;
}

/** The attempt failed for good: its last error, how many attempts ran and for how long. */
export class RetriesExhausted extends Error {
  constructor(readonly lastError: unknown, readonly attempts: number, readonly elapsedMs: number, readonly budgetSpent: boolean) {
    super((lastError as Error | undefined)?.message ?? String(lastError), { cause: lastError });
    this.name = "RetriesExhausted";
  }
}

/**
 * Runs `attempt` until it succeeds, the error is not transient (rethrown as it is), or the
 * time budget is spent (a RetriesExhausted carrying the last error). The last wait is cut
 * to what the budget has left. `onRetry` runs before each wait (to log, to drop a broken
 * pool, to report the wait). When `signal` aborts (the query is stopping), the wait ends
 * and its reason (an AbortError) is thrown.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  isTransient: (error: unknown) => boolean,
  attempt: (tryNumber: number) => Promise<T>,
  onRetry: (event: RetryEvent) => Promise<void> | void = () => {},
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<T> {
  let firstFailure: number | null = null;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isTransient(error)) throw error;
      firstFailure ??= now();
      const elapsedMs = now() - firstFailure;
      const left = policy.maxDurationMs - elapsedMs;
      if (left <= 0) throw new RetriesExhausted(error, n + 1, elapsedMs, policy.maxDurationMs > 0);
      const delayMs = Math.min(left, backoffDelay(policy, n));
      await onRetry({ error, retry: n + 1, delayMs, elapsedMs });
      await sleep(delayMs, signal);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts: then throws its reason. */
async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  await new Promise<void>((resolve) => {
    const done = (): void => { clearTimeout(timer); signal?.removeEventListener("abort", done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
  signal?.throwIfAborted();
}

/** The error a stopping query's abort signal throws (a DOMException named AbortError). */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
