import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { parseDuration } from "../common/duration.ts";
import { AnalysisError, ConcurrentQueryError, InternalError, ParseError, PermanentConnectorError, StateError } from "../common/errors.ts";

/**
 * What happens when a query that has a checkpoint fails (Flink's restart strategies):
 * restart it from the checkpoint after a delay that doubles from `delayMs` up to
 * `maxDelayMs` (exponential-delay) or stays `delayMs` (fixed-delay), at most `maxRestarts`
 * times within `windowMs`; or let it fail (none).
 */
export interface RestartStrategy {
  readonly kind: "exponential-delay" | "fixed-delay" | "none";
  readonly maxRestarts: number;
  readonly windowMs: number;
  readonly delayMs: number;
  readonly maxDelayMs: number;
}

const KINDS: readonly RestartStrategy["kind"][] = ["exponential-delay", "fixed-delay", "none"];

/**
 * The strategy of a query: the writer option `restartOnFailure` (a strategy name, or
 * true / false) over the session's `rivulet.streaming.restartStrategy` and its settings.
 */
export function restartStrategyOf(conf: RuntimeConfig, option?: string): RestartStrategy {
  const text = (option ?? conf.get(ConfKeys.restartStrategy) ?? "none").trim().toLowerCase();
  const named = text === "true" ? "exponential-delay" : text === "false" ? "none" : text;
  const kind = KINDS.find((k) => k === named);
  if (kind === undefined) {
    const what = option !== undefined ? "option restartOnFailure" : ConfKeys.restartStrategy;
    throw new AnalysisError(`${what} must be one of ${KINDS.join(", ")} (or true / false), not '${option ?? conf.get(ConfKeys.restartStrategy)}'`);
  }
  const ms = (key: string) => parseDuration(conf.get(key) ?? "", key) / 1000;
  return { kind, maxRestarts: conf.getNumber(ConfKeys.restartMaxRestarts), windowMs: ms(ConfKeys.restartWindow), delayMs: ms(ConfKeys.restartDelay), maxDelayMs: ms(ConfKeys.restartMaxDelay) };
}

/**
 * The wait before the next restart, given when the earlier restarts happened; null when
 * the strategy says to give up (none, or `maxRestarts` already within the window).
 */
export function nextRestartDelay(strategy: RestartStrategy, restartTimes: readonly number[], now: number): number | null {
  if (strategy.kind === "none") return null;
  const recent = restartTimes.filter((t) => now - t < strategy.windowMs).length;
  if (recent >= strategy.maxRestarts) return null;
  if (strategy.kind === "fixed-delay") return strategy.delayMs;
  return Math.min(strategy.maxDelayMs, strategy.delayMs * 2 ** Math.min(recent, 30));
}

/**
 * Why a failure is not worth a restart (it would fail the same way again), or null when a
 * restart may get past it: a database or a broker that went away, a user function that
 * threw once. Looks through the chain of causes.
 */
export function notRestartableBecause(error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof AnalysisError || e instanceof ParseError) return "the query itself is wrong (an analysis error)";
    if (e instanceof ConcurrentQueryError) return "the checkpoint is in use by another query";
    if (e instanceof StateError) return "the checkpoint does not fit the query or cannot be read";
    if (e instanceof InternalError) return "an internal error of rivulet";
    if (e instanceof PermanentConnectorError) return "the sink or source gave up for good (its own retries of transient errors ran out, or the error is not transient)";
    if (e.message.includes("Malformed records are detected")) return "the input has a malformed record and the mode is FAILFAST";
  }
  return null;
}
