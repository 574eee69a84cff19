import type { Table } from "apache-arrow";
import type { RuntimeConfig } from "../common/config.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
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
  /** The sink's own numbers for progress (`sink.metrics`), e.g. retries of transient errors. */
  metrics?(): Record<string, string>;
  stop?(): Promise<void>;
}

/**
 * A sink inside the engine that keeps columns (the memory sink): it takes each batch as the
 * query's columns instead of addBatch's Arrow table, so that they need not go through Arrow.
 * It must not keep arrays it is handed unless they were handed over (columnar/handed-over.ts):
 * the operators may reuse theirs. Internal: not part of the public Sink.
 */
export interface ColumnarSink extends Sink {
  addColumnBatches(batchId: number, data: readonly ColumnBatch[], outputMode: OutputMode): Promise<void>;
}

export function takesColumns(sink: Sink): sink is ColumnarSink {
  return typeof (sink as Partial<ColumnarSink>).addColumnBatches === "function";
}

/**
 * A sink riding out an outage: the transient error it got (secrets masked), which retry
 * comes next (1-based) and in how long. The executor shows it as the query's status.
 */
export interface SinkWaiting {
  readonly sink: string;
  readonly error: string;
  readonly retry: number;
  readonly nextInMs: number;
}

/**
 * How a sink tells the query it is waiting (`waiting`) and when a write got through
 * again (`recovered`). Connectors only see this interface; the executor implements it.
 */
export interface SinkStatusListener {
  waiting(event: SinkWaiting): void;
  recovered(sink: string): void;
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
  /** What identifies a result row in update and complete mode, traced through the plan (src/plan/result-keys.ts). */
  readonly resultKey?: ResultKey;
  /** Where the sink reports waits on a database that went away (absent: nobody listens). */
  readonly status?: SinkStatusListener;
  /**
   * Aborted when the query is stopped: a sink waiting on its system stops waiting and
   * throws the signal's reason (an AbortError); the batch re-runs on the next start.
   */
  readonly stopping?: AbortSignal;
  /** The processing-time trigger's interval in ms, 0 for other triggers (bus sinks check their de-duplication windows against it). */
  readonly triggerIntervalMs?: number;
}

/**
 * The key of a query's result rows: the result columns that are, through projections,
 * aliases and renames, exactly a key of the query's keyed streaming operator (the grouping
 * keys of an aggregation, the columns of dropDuplicates).
 */
export interface ResultKey {
  /** The keyed operator whose rows the result carries; null when there is none (a stateless query). */
  readonly operator: "aggregation" | "deduplication" | "groupsWithState" | null;
  /** Indices of the result columns that carry a key, in result order. */
  readonly columns: readonly number[];
  /** The operator's keys that no result column carries, as written (`window(time, 1 hour)`); empty when the key is whole. */
  readonly missing: readonly string[];
}

export type SinkFactory = (context: SinkContext) => Sink | Promise<Sink>;
