import { parseDuration } from "../common/duration.ts";
import { ConnectorError } from "../common/errors.ts";
import type { Logger } from "../common/log.ts";
import type { SinkContext } from "./sink.ts";
import { getOption, intOption } from "./sinks/sink-input.ts";

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

/**
 * A connector's retry policy from its options (case-insensitive): `retryMaxDuration`
 * (falling back to `defaultMaxDuration`, the session's `rivulet.sink.retry.maxDuration`
 * for a sink), `retryBackoffMs`, `retryMaxBackoffMs`. `where` starts every error.
 */
export function retryPolicyOf(options: Readonly<Record<string, string>>, defaultMaxDuration: string | undefined, where: string): RetryPolicy {
  return {
    maxDurationMs: retryMaxDurationMs(options, defaultMaxDuration, where),
    backoffMs: intOption(options, "retryBackoffMs", DEFAULT_RETRY_POLICY.backoffMs, where, 0),
    maxBackoffMs: intOption(options, "retryMaxBackoffMs", DEFAULT_RETRY_POLICY.maxBackoffMs, where, 0),
  };
}

/** A source's retry options (`retryMaxDuration`, `retryBackoffMs`, `retryMaxBackoffMs`) as retryPolicyOf takes them. */
export function retryOptionsOf(options: { get(key: string): string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ["retryMaxDuration", "retryBackoffMs", "retryMaxBackoffMs"]) {
    const value = options.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * `retryMaxDuration` (a duration such as `30 seconds`; `0` gives up at once, `-1` never
 * does) in milliseconds: how long transient errors (the database down or restarting)
 * are retried before the query fails.
 */
function retryMaxDurationMs(options: Readonly<Record<string, string>>, fallback: string | undefined, where: string): number {
  const option = getOption(options, "retryMaxDuration");
  const text = (option ?? fallback)?.trim();
  if (text === undefined || text === "") return DEFAULT_RETRY_POLICY.maxDurationMs;
  const what = option !== undefined ? `${where} option 'retryMaxDuration'` : "rivulet.sink.retry.maxDuration";
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (n < 0) return Infinity;
    if (n === 0) return 0;
    throw new ConnectorError(`${what}: '${text}' needs a unit, e.g. '${text} seconds' (or 0 to fail at once, -1 to retry forever)`);
  }
  try {
    const ms = parseDuration(text, what) / 1000;
    return ms < 0 ? Infinity : ms;
  } catch (error) {
    throw new ConnectorError(`${(error as Error).message} (or 0 to fail at once, -1 to retry forever)`, { cause: error });
  }
}

/** A sink as its retried writes see it: a name for messages and the query it reports to. */
export interface RetryingSink {
  readonly description: string;
  readonly context: SinkContext;
}

/**
 * A sink's write under `policy`: each retry is logged (WARN, `describe` keeps secrets out)
 * and reported to the query, whose status then says it waits for the sink; once the write
 * gets through after a wait, the query hears that it recovered. A stopping query ends the
 * wait (its AbortError goes through as it is); a write that fails for good becomes a
 * ConnectorError naming the sink and what failed.
 */
export async function retrySinkWrite<T>(
  sink: RetryingSink, log: Logger, what: string, policy: RetryPolicy,
  isTransient: (error: unknown) => boolean, describe: (error: unknown) => string, attempt: () => Promise<T>,
): Promise<T> {
  const { status, stopping } = sink.context;
  let waited = false;
  try {
    const result = await withRetries(policy, isTransient, attempt, ({ error, retry, delayMs }) => {
      waited = true;
      const detail = `${what} failed: ${describe(error)}`;
      log.warn(`${sink.description}: ${detail}; retry ${retry} in ${delayMs} ms`);
      status?.waiting({ sink: sink.description, error: detail, retry, nextInMs: delayMs });
    }, stopping);
    if (waited) status?.recovered(sink.description);
    return result;
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ConnectorError(`${sink.description}: ${what} failed: ${describe(error)}`, { cause: error });
  }
}
