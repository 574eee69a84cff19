import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { OutputMode } from "../connectors/sink.ts";
import type { Offset, ReadRequest, Source } from "../connectors/source.ts";
import type { EvalContext } from "../expr/eval-context.ts";
import type { OperatorStateSchema } from "../checkpoint/state-schema-file.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import type { StructType } from "../types/data-types.ts";

/** What every operator sees when a micro-batch (or a batch query) runs. */
export interface BatchContext {
  readonly batchId: number;
  readonly eval: EvalContext;
  /** Rows of this micro-batch per streaming scan (by scan index). */
  readonly sourceData: ReadonlyMap<number, readonly ColumnBatch[]>;
  /** Event-time watermark in µs for this batch (eviction and late-row filtering); -Infinity before any. */
  readonly watermarkMicros: number;
  /**
   * The previous batch's watermark (µs): what an operator above another stateful operator
   * drops late rows against (Spark's eventTimeWatermarkForLateEvents). Absent: watermarkMicros.
   */
  readonly lateEventsWatermarkMicros?: number;
  readonly outputMode: OutputMode;
  /** False for batch queries: operators see all input at once and keep no state. */
  readonly streaming: boolean;
  /** Where stateful operators hand the input rows they drop as late; null when nobody keeps them. */
  readonly lateRows?: LateRowSink | null;
  /** Streaming scans whose rows an operator reads itself (in worker threads), by scan index. */
  readonly deferredReads?: ReadonlyMap<number, DeferredRead>;
  /** Operators' choices for this batch as recorded with its offsets (parallel/recorded-choices.ts); absent: none recorded. */
  readonly choices?: Readonly<Record<string, string>>;
}

/**
 * A streaming scan's range for this batch, handed to the operator that reads it itself
 * rather than read by the executor; the operator reports the rows it read (progress).
 */
export interface DeferredRead {
  readonly source: Source;
  readonly start: Offset | null;
  readonly end: Offset;
  readonly request: ReadRequest;
  rowsRead: number;
}

/** Receives rows a stateful operator dropped because they were behind the watermark. */
export interface LateRowSink {
  add(operator: string, rows: ColumnBatch, watermarkMicros: number): void;
}

/** Where a stateful operator keeps its state, and which version to start from. */
export interface StateContext {
  provider(operatorId: number, partition: number): StateStoreProvider;
  /** The version to load: the id of the batch about to run (state after the previous one). */
  readonly startVersion: number;
  /**
   * Whether the stores keep what is written to them beyond the query (a checkpoint
   * location). When false (in-memory state: only the latest version, so no batch can be
   * re-run), an operator whose in-memory copy is the whole state may skip writing it.
   * Absent means true.
   */
  readonly durable?: boolean;
}

/** Spark's StateOperatorProgress. */
export interface StateOperatorMetrics {
  readonly operatorName: string;
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly numRowsDroppedByWatermark: number;
  readonly allUpdatesTimeMs: number;
  readonly allRemovalsTimeMs: number;
  readonly commitTimeMs: number;
  readonly memoryUsedBytes: number;
  readonly numShufflePartitions: number;
  readonly numStateStoreInstances: number;
  readonly customMetrics: Record<string, number>;
}

/**
 * The lifecycle every physical operator shares (Arroyo's operator interface, Spark's
 * SparkPlan for micro-batches): `execute` is the only required step; stateful operators
 * load state in `open` and report metrics.
 */
export interface ExecOperator {
  readonly name: string;
  readonly schema: StructType;
  readonly children: readonly ExecOperator[];
  /** One line for explain(): name and arguments. */
  describe(): string;
  open?(state: StateContext | null): Promise<void>;
  execute(ctx: BatchContext): Promise<ColumnBatch[]>;
  close?(): Promise<void>;
}

export interface StatefulOperator extends ExecOperator {
  readonly operatorId: number;
  stateMetrics(): StateOperatorMetrics;
  /** The key and value schemas of its state, checked against the checkpoint's at a restart (none: not checked). */
  stateSchema?(): OperatorStateSchema;
}

export function isStateful(op: ExecOperator): op is StatefulOperator {
  return typeof (op as StatefulOperator).stateMetrics === "function";
}

/** Pre-order walk of a physical plan. */
export function forEachOperator(op: ExecOperator, f: (op: ExecOperator) => void): void {
  f(op);
  for (const c of op.children) forEachOperator(c, f);
}

export function emptyStateMetrics(operatorName: string): StateOperatorMetrics {
  return {
    operatorName, numRowsTotal: 0, numRowsUpdated: 0, numRowsRemoved: 0, numRowsDroppedByWatermark: 0,
    allUpdatesTimeMs: 0, allRemovalsTimeMs: 0, commitTimeMs: 0, memoryUsedBytes: 0,
    numShufflePartitions: 1, numStateStoreInstances: 1, customMetrics: {},
  };
}
