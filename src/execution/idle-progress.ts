import { AnalysisError } from "../common/errors.ts";
import { batchProgress, type FinishedBatch } from "./batch-progress.ts";
import { StreamingQueryProgress } from "./progress.ts";

export const NO_DATA_PROGRESS_EVENT_INTERVAL = "spark.sql.streaming.noDataProgressEventInterval";
const DEFAULT_INTERVAL = "10000ms";

/**
 * Spark 3.5's ProgressReporter on a trigger that ran no batch (finishNoExecutionTrigger):
 * at most once per spark.sql.streaming.noDataProgressEventInterval since the last batch or
 * the last idle report, the query records a progress with no input rows (recentProgress,
 * lastProgress) and posts onQueryIdle instead of onQueryProgress (SPARK-43183, with
 * SPARK-45045 keeping the progress in the StreamingQuery API). The first trigger of a run
 * that finds nothing reports at once, as Spark's Long.MinValue start.
 */
export class IdleReporter {
  readonly intervalMs: number;
  #lastReportMs = -Infinity;

  constructor(conf: { get(key: string, defaultValue?: string): string | undefined }) {
    this.intervalMs = timeStringMs(conf.get(NO_DATA_PROGRESS_EVENT_INTERVAL, DEFAULT_INTERVAL) ?? DEFAULT_INTERVAL);
  }

  /** A batch ran (finishTrigger): the interval counts from now. */
  executed(nowMs: number): void {
    this.#lastReportMs = nowMs;
  }

  /** A trigger found nothing to run: whether its idle progress and event are due now. */
  due(nowMs: number): boolean {
    if (nowMs - this.intervalMs < this.#lastReportMs) return false;
    this.#lastReportMs = nowMs;
    return true;
  }
}

/**
 * The progress of a trigger that ran no batch: the last batch's id, offsets where they
 * stand, no input or output rows, state operators without this trigger's updates, and of
 * the event-time stats only the watermark (Spark's resetExecStatsForNoExecution).
 */
export function noExecutionProgress(trigger: FinishedBatch): StreamingQueryProgress {
  const p = batchProgress({ ...trigger, rowsPerSource: trigger.sources.map(() => 0), outputRows: 0 });
  return new StreamingQueryProgress(
    p.id, p.runId, p.name, p.timestamp, p.batchId, p.batchDuration, p.durationMs,
    p.eventTime.watermark === undefined ? {} : { watermark: p.eventTime.watermark },
    p.stateOperators.map((o) => ({ ...o, numRowsUpdated: 0, numRowsDroppedByWatermark: 0 })),
    p.sources,
    { ...p.sink, numOutputRows: 0 },
  );
}

const TIME_UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Spark's timeConf in milliseconds (JavaUtils.timeStringAs): `10000`, `10000ms`, `10s`, `1min`. */
function timeStringMs(text: string): number {
  const match = /^\s*(-?\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match?.[2]?.toLowerCase() || "ms";
  const scale = TIME_UNIT_MS[unit];
  if (match === null || scale === undefined) {
    throw new AnalysisError(`[INVALID_CONF_VALUE] The value '${text}' in the config "${NO_DATA_PROGRESS_EVENT_INTERVAL}" is invalid. Expected a time such as 10000ms, 10s or 1min.`);
  }
  return Number(match[1]) * scale;
}
