import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { BatchContext } from "../exec-operator.ts";
import type { KeyColumnData } from "../group-table/key-column.ts";

/**
 * Partial groups, columnar so that they cross threads cheaply (typed arrays, not an object
 * per group): per grouping key its encoded words (group-table/key-column.ts), per aggregate
 * its accumulator's exported states — or, for an accumulator that cannot export, one
 * getState value per group.
 */
export interface PartialGroups {
  readonly count: number;
  readonly keys: readonly KeyColumnData[];
  readonly states: readonly ({ readonly columnar: unknown } | { readonly each: unknown[] })[];
}

/** The map side's output (a worker thread's share of a batch). */
export interface PartialAggregation {
  readonly kind: "groups";
  readonly groups: PartialGroups;
  /** Input rows dropped because their group was behind the watermark. */
  readonly dropped: number;
  /** Rows folded into the groups: with `groups.count`, how much partial aggregation reduced. */
  readonly inputRows: number;
}

/**
 * The map side's output when partial aggregation was skipped (it did not reduce): the
 * rows the aggregation's input gives, unaggregated, in the aggregation's input schema.
 */
export interface UnaggregatedRows {
  readonly kind: "rows";
  readonly batches: readonly ColumnBatch[];
}

export type MapSideOutput = PartialAggregation | UnaggregatedRows;

/**
 * Runs the map side of an aggregation elsewhere (worker threads, see
 * parallel-aggregation.ts), handing each share's output (partial groups, or rows once
 * partial aggregation is skipped) to `merge` as soon as it and all before it are done: in
 * a fixed order, so that a re-run folds the same rows in the same order.
 */
export interface PartialAggregationRunner {
  run(ctx: BatchContext, merge: (output: MapSideOutput) => void): Promise<void>;
  /** What explain() says of the map side; null when it runs on this thread because one thread was asked for (nothing to explain). */
  describe(): string | null;
}
