import type { Sink } from "../connectors/sink.ts";
import type { Offset, Source } from "../connectors/source.ts";
import type { PhysicalQuery } from "../physical/planner.ts";
import { eventTimeString, StreamingQueryProgress, type SourceProgress } from "./progress.ts";

/** What one finished batch reports, as MicroBatchExecution measured it. */
export interface FinishedBatch {
  /** The batch's observed metrics by name (Spark's observedMetrics). */
  readonly observedMetrics?: Record<string, unknown>;
  readonly query: { readonly id: string; readonly runId: string; readonly name: string | null };
  readonly batchId: number;
  /** Milliseconds per phase; `triggerExecution` is the whole trigger. */
  readonly durations: Record<string, number>;
  readonly starts: readonly (Offset | null)[];
  readonly ends: readonly (Offset | null)[];
  readonly latest: readonly (Offset | null)[];
  readonly rowsPerSource: readonly number[];
  readonly outputRows: number;
  /** Seconds since the previous trigger started (0 for the first): the input rate's denominator. */
  readonly secondsSinceLastTrigger: number;
  readonly triggerTimestampMs: number;
  readonly watermarkMicros: number;
  readonly sources: readonly Source[];
  /** Whether source i is idle, when a watermark idle timeout is set (Spark reports `isIdle` then). */
  readonly isIdleSource: ((index: number) => boolean) | null;
  readonly physical: PhysicalQuery;
  readonly sink: Sink;
}

/** Spark's StreamingQueryProgress of a finished batch: rates, offsets, event-time stats, state and sink metrics. */
export function batchProgress(batch: FinishedBatch): StreamingQueryProgress {
  const { durations, rowsPerSource: rows, secondsSinceLastTrigger: elapsed, physical, sink } = batch;
  const processingSeconds = (durations.triggerExecution ?? 0) / 1000;
  const sources: SourceProgress[] = batch.sources.map((s, i) => ({
    description: s.description,
    startOffset: batch.starts[i] ?? null,
    endOffset: batch.ends[i] ?? null,
    latestOffset: s.reportLatestOffset?.() ?? batch.latest[i] ?? null,
    numInputRows: rows[i] ?? 0,
    inputRowsPerSecond: elapsed > 0 ? (rows[i] ?? 0) / elapsed : 0,
    processedRowsPerSecond: processingSeconds > 0 ? (rows[i] ?? 0) / processingSeconds : 0,
    metrics: { ...(s.metrics?.(batch.ends[i] ?? null) ?? {}), ...(batch.isIdleSource ? { isIdle: String(batch.isIdleSource(i)) } : {}) },
  }));
  const rounded = Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, Math.round(v)]));
  return new StreamingQueryProgress(
    batch.query.id, batch.query.runId, batch.query.name, new Date(batch.triggerTimestampMs).toISOString(), batch.batchId,
    Math.round(durations.triggerExecution ?? 0), rounded, eventTimeStats(physical, batch.watermarkMicros),
    physical.statefulOperators.map((o) => o.stateMetrics()),
    sources,
    { description: sink.description, numOutputRows: sink.lastBatchRows ?? batch.outputRows, metrics: sink.metrics?.() ?? {} },
    batch.observedMetrics ?? {},
  );
}

/** avg/max/min of the batch's event times over every watermarked input, and the watermark it ran with. */
function eventTimeStats(physical: PhysicalQuery, watermarkMicros: number): Record<string, string> {
  const eventTime: Record<string, string> = {};
  const stats = physical.watermarks.map((w) => w.stats).filter((s) => s.count > 0);
  if (stats.length > 0) {
    const count = stats.reduce((n, s) => n + s.count, 0);
    eventTime.avg = eventTimeString(stats.reduce((n, s) => n + s.sum, 0) / count);
    eventTime.max = eventTimeString(Math.max(...stats.map((s) => s.max)));
    eventTime.min = eventTimeString(Math.min(...stats.map((s) => s.min)));
  }
  if (physical.watermarks.length > 0) eventTime.watermark = eventTimeString(Number.isFinite(watermarkMicros) ? watermarkMicros : 0);
  return eventTime;
}
