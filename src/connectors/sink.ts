import type { Table } from "apache-arrow";
import type { RuntimeConfig } from "../common/config.ts";
import type { StructType } from "../types/data-types.ts";

export type OutputMode = "append" | "update" | "complete";

/**
 * A streaming sink (Spark's Sink). `addBatch` must be idempotent per batch id: after a
 * crash the executor re-runs the last uncommitted batch with the same id, and a sink that
 * already has it must not apply it again.
 */
export interface Sink {
  readonly description: string;
  addBatch(batchId: number, data: Table, outputMode: OutputMode): Promise<void>;
  /** Rows written by the last addBatch, when the sink knows it (progress `sink.numOutputRows`). */
  readonly lastBatchRows?: number;
  stop?(): Promise<void>;
}

export interface SinkContext {
  readonly schema: StructType;
  readonly outputMode: OutputMode;
  readonly options: Readonly<Record<string, string>>;
  readonly queryName: string | null;
  /** checkpoint/sinks, null without a checkpoint. */
  readonly metadataPath: string | null;
  readonly conf: RuntimeConfig;
  /** Whether the plan has a streaming aggregation (file sinks accept only append without one). */
  readonly isAggregation: boolean;
  /** The query's id, stable across restarts from the same checkpoint (sinks key their commits by it). */
  readonly queryId?: string;
  /**
   * The output columns that come from the streaming aggregation's grouping keys (with the
   * window), in output order: what identifies a result row in update and complete mode.
   */
  readonly keyColumns?: readonly string[];
  /** The processing-time trigger's interval in ms, 0 for other triggers (bus sinks check their de-duplication windows against it). */
  readonly triggerIntervalMs?: number;
}

export type SinkFactory = (context: SinkContext) => Sink | Promise<Sink>;
