import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { batchProgress, type FinishedBatch } from "./batch-progress.ts";
import type { Clock } from "./clock.ts";
import { IdleReporter, noExecutionProgress } from "./idle-progress.ts";
import type { StreamingQueryProgress } from "./progress.ts";
import type { ListenerBus } from "./query-listener.ts";

/** A trigger as the execution measured it; the reporter adds what it keeps across triggers. */
export type FinishedTrigger = Omit<FinishedBatch, "query" | "secondsSinceLastTrigger" | "isIdleSource">;

/**
 * Spark's ProgressReporter: what a query reports of its triggers — the progress of each
 * batch (onQueryProgress), of a trigger that ran none when one is due (onQueryIdle), the
 * recent ones kept for `recentProgress`, and which sources are idle under a watermark idle
 * timeout (a source is idle once it has brought no row for longer than the timeout).
 */
export class ProgressReporter {
  readonly #query: FinishedBatch["query"];
  readonly #conf: RuntimeConfig;
  readonly #clock: Clock;
  readonly #listeners: ListenerBus;
  readonly #recent: StreamingQueryProgress[];
  readonly #idleReporter: IdleReporter;
  readonly #idleTimeoutMs: number | null;
  #lastTriggerStart = 0;
  #sourceLastArrival: number[] = [];

  constructor(query: FinishedBatch["query"], conf: RuntimeConfig, clock: Clock, listeners: ListenerBus, recent: StreamingQueryProgress[], idleTimeoutMs: number | null) {
    this.#query = query;
    this.#conf = conf;
    this.#clock = clock;
    this.#listeners = listeners;
    this.#recent = recent;
    this.#idleReporter = new IdleReporter(conf);
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /** Sources that brought rows in the batch that ended at `nowMs` are not idle from then. */
  rowsArrived(rowsPerSource: readonly number[], nowMs: number): void {
    rowsPerSource.forEach((n, i) => { if (n > 0) this.#sourceLastArrival[i] = nowMs; });
  }

  /** A batch ran (Spark's finishTrigger): its progress, kept and posted. */
  batchFinished(trigger: FinishedTrigger, triggerStart: number): void {
    const secondsSinceLastTrigger = this.#lastTriggerStart > 0 ? (triggerStart - this.#lastTriggerStart) / 1000 : 0;
    this.#lastTriggerStart = triggerStart;
    const progress = batchProgress({ ...trigger, query: this.#query, secondsSinceLastTrigger, isIdleSource: this.#idleSources() });
    this.#idleReporter.executed(this.#clock.now());
    this.#keep(progress);
    this.#listeners.post("onQueryProgress", { progress });
  }

  /** A trigger ran no batch (finishNoExecutionTrigger): every noDataProgressEventInterval, an idle progress and onQueryIdle (Spark 3.5). */
  noBatch(trigger: FinishedTrigger, triggerStart: number): void {
    // Judged at the trigger's start, the time its progress carries: idle events' timestamps are then never closer than the interval.
    if (!this.#idleReporter.due(trigger.triggerTimestampMs)) return;
    trigger.durations.triggerExecution = performance.now() - triggerStart;
    const progress = noExecutionProgress({ ...trigger, query: this.#query, secondsSinceLastTrigger: 0, isIdleSource: this.#idleSources() });
    this.#keep(progress);
    this.#listeners.post("onQueryIdle", { id: this.#query.id, runId: this.#query.runId, timestamp: progress.timestamp });
  }

  #idleSources(): ((index: number) => boolean) | null {
    const timeout = this.#idleTimeoutMs;
    if (timeout === null) return null;
    return (index) => {
      const at = this.#sourceLastArrival[index];
      return at === undefined || this.#clock.now() - at > timeout;
    };
  }

  #keep(progress: StreamingQueryProgress): void {
    this.#recent.push(progress);
    const keep = this.#conf.getNumber(ConfKeys.numRecentProgressUpdates);
    while (this.#recent.length > keep) this.#recent.shift();
  }
}
