import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { BatchContext } from "../exec-operator.ts";
import type { GroupsAccumulator } from "../../expr/aggregates/index.ts";
import type { GroupTable } from "../group-table/group-table.ts";
import type { EncodedKeys, KeyColumnData } from "../group-table/key-column.ts";

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

/** Where a map side's outputs go: the aggregation that folds them into its groups. */
export interface MapSideSink {
  /** Folds one share's output (partial groups, or rows) into the groups. */
  fold(output: MapSideOutput): void;
  /**
   * How many groups the batch's outputs folded so far touched: after the batch's first file
   * folded as rows, that file's number of distinct groups — the partial groups its partial
   * aggregation would have made, counted for free.
   */
  groupsTouched(): number;
}

/**
 * Who reads a batch's first file when the map side runs in worker threads: this thread,
 * straight into the state ("here"), or a worker, as partial groups merged here ("workers").
 * The two add a DOUBLE sum's values in different groupings, so a re-run batch must make the
 * batch's first choice: it is recorded with the batch's offsets.
 */
export type FirstFileChoice = "here" | "workers";

/**
 * Runs the map side of an aggregation elsewhere (worker threads, see
 * parallel-aggregation.ts), handing each share's output (partial groups, or rows once
 * partial aggregation is skipped) to the sink as soon as it and all before it are done: in
 * a fixed order, so that a re-run folds the same rows in the same order.
 */
export interface PartialAggregationRunner {
  /** Runs the batch's map side; `firstFile` is the batch's recorded choice (firstFileChoice), "here" when none was. */
  run(ctx: BatchContext, sink: MapSideSink, firstFile?: FirstFileChoice): Promise<void>;
  /** The choice for the next batch, recorded with it so that a re-run repeats it (null: nothing to choose). */
  firstFileChoice?(): FirstFileChoice | null;
  /** The query stops: work begun ahead of its next batch (read-ahead) is dropped. */
  close?(): void;
  /** What explain() says of the map side; null when it runs on this thread because one thread was asked for (nothing to explain). */
  describe(): string | null;
}

/** A map side's groups as partial groups (a map side never removes a group: its slots are 0…count-1). */
export function exportGroups(table: GroupTable, accumulators: readonly GroupsAccumulator[]): PartialGroups {
  const count = table.size;
  const slots = table.liveSlots();
  return {
    count,
    keys: table.columns.map((c) => c.exportData(count)),
    states: accumulators.map((a) => {
      const columnar = a.exportStates?.(slots, count);
      return columnar !== undefined ? { columnar } : { each: Array.from(slots, (s) => a.getState(s)) };
    }),
  };
}

/** Partial groups' keys as `table`'s encoded keys (their dictionary codes become the table's). */
export function importKeys(table: GroupTable, groups: PartialGroups): EncodedKeys {
  const m = groups.count;
  const keys: EncodedKeys = { tags: groups.keys.map((d) => d.tags), words: [] };
  table.columns.forEach((c, k) => {
    const words = new Float64Array(m);
    c.importWords(groups.keys[k]!, m, words);
    keys.words.push(words);
  });
  return keys;
}

/** Folds partial groups' states into the accumulators at `slots` (the slot of each partial group). */
export function mergeStates(accumulators: readonly GroupsAccumulator[], slots: Int32Array, groups: PartialGroups): void {
  const m = groups.count;
  accumulators.forEach((a, k) => {
    const state = groups.states[k]!;
    if ("columnar" in state) a.mergeStates!(slots, m, state.columnar);
    else for (let j = 0; j < m; j++) a.mergeState(slots[j]!, state.each[j]);
  });
}
