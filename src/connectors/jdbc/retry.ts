/** Bounded exponential backoff: `retries` more tries after the first, waiting backoff·2^n (capped) between them. */
export interface RetryPolicy {
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ retries: 5, backoffMs: 200, maxBackoffMs: 10_000 });

/** The wait before retry number `attempt` (0-based), with up to 20% jitter so that writers do not retry in lockstep. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** attempt);
  return Math.round(base * (1 + 0.2 * random()));
}

/**
 * Runs `attempt` until it succeeds, the error is not transient, or the retries are used
 * up; `onRetry` runs before each wait (to log, to drop a broken pool).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  isTransient: (error: unknown) => boolean,
  attempt: (tryNumber: number) => Promise<T>,
  onRetry: (error: unknown, tryNumber: number, delayMs: number) => Promise<void> | void = () => {},
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.retries || !isTransient(error)) throw error;
      const delay = backoffDelay(policy, n);
      await onRetry(error, n, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
