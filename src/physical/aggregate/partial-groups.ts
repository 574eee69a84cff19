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
  readonly groups: PartialGroups;
  /** Input rows dropped because their group was behind the watermark. */
  readonly dropped: number;
}

/**
 * Runs the map side of an aggregation elsewhere (worker threads, see
 * parallel-aggregation.ts), handing each partial aggregation to `merge` as soon as it and
 * all before it are done: in a fixed order, so that a re-run merges the same way.
 */
export interface PartialAggregationRunner {
  run(ctx: BatchContext, merge: (partial: PartialAggregation) => void): Promise<void>;
  describe(): string;
}
