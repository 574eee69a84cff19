import type { ColumnBatch } from "../../../columnar/column-batch.ts";
import { emptyStateMetrics, type BatchContext, type StateOperatorMetrics } from "../../exec-operator.ts";
import type { ChangedSlots } from "../../group-table/changed-slots.ts";
import type { OperatorState } from "../../operator-state.ts";
import { StoredBatch, type BatchTable } from "./stored-batch.ts";

/** What the aggregation lends a stored batch: its table, its state, and how it reads input and builds output. */
export interface StoredAggregationHost {
  readonly state: OperatorState;
  readonly table: BatchTable;
  /** The slots the input changed (the aggregation fills it as rows fold in). */
  readonly changed: ChangedSlots;
  readonly numPartitions: number;
  /** Folds the batch's input into the table; returns the number of input rows dropped as late. */
  readInput(ctx: BatchContext, useWatermark: boolean, lateWatermark: number): Promise<number>;
  output(slots: Int32Array, ctx: BatchContext): ColumnBatch;
}

/**
 * The micro-batches of an aggregation whose groups live in the state stores (a disk-backed
 * provider; Spark's StateStoreRestore/Save): the table starts each batch empty and takes the
 * batch's groups, each new one with its stored state (stored-batch.ts) before its rows fold
 * in; then the groups the watermark closes are taken from the store's index (and, in append
 * mode, read to be emitted), the changed groups are put back, and every partition commits.
 */
export class StoredAggregation {
  /** While a batch reads its input: the batch (its stores, the groups it made). */
  batch: StoredBatch | null = null;
  #metrics: StateOperatorMetrics = emptyStateMetrics("stateStoreSave");

  constructor(readonly host: StoredAggregationHost) {}

  get metrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  /** One batch; `indexed` when groups carry event time the watermark closes (not in complete mode). */
  async execute(ctx: BatchContext, watermarks: { late: number; evict: number }, indexed: boolean): Promise<ColumnBatch[]> {
    const h = this.host;
    const started = performance.now();
    const mode = ctx.outputMode;
    const useWatermark = indexed && watermarks.evict > -Infinity;
    let dropped = 0, numRemoved = 0, numGroups = 0, updateMs = 0, removeMs = 0, tableBytes = 0;
    const changed = h.changed;
    const output = await h.state.update(ctx.batchId, async (stores) => {
      h.table.clear();
      const batch = new StoredBatch(stores, indexed, h.table);
      changed.reset();
      this.batch = batch;
      try {
        dropped = await h.readInput(ctx, useWatermark, watermarks.late);
      } finally {
        this.batch = null;
      }
      const updated = changed.slots().slice();
      if (indexed) batch.indexNew(updated);
      const t0 = performance.now();
      const closed = useWatermark ? batch.takeClosed(watermarks.evict, updated, mode === "append") : null;
      removeMs = performance.now() - t0;
      batch.save(updated, closed);
      numRemoved = closed?.count ?? 0;
      numGroups = batch.groups.numGroups;
      tableBytes = h.table.table.memoryBytes();
      let out: ColumnBatch[];
      if (mode === "complete") out = batch.outputAll((slots) => h.output(slots, ctx));
      else if (mode === "update") out = [h.output(updated, ctx)];
      else out = closed !== null ? [h.output(closed.emit, ctx)] : [];
      updateMs = performance.now() - started - removeMs;
      return out;
    });
    h.table.clear();
    this.#metrics = {
      ...emptyStateMetrics("stateStoreSave"),
      numRowsTotal: numGroups,
      numRowsUpdated: changed.size,
      numRowsRemoved: numRemoved,
      numRowsDroppedByWatermark: dropped,
      allUpdatesTimeMs: Math.round(updateMs),
      allRemovalsTimeMs: Math.round(removeMs),
      commitTimeMs: Math.round(performance.now() - started - updateMs - removeMs),
      memoryUsedBytes: h.state.memoryUsedBytes() + tableBytes,
      numShufflePartitions: h.numPartitions,
      numStateStoreInstances: h.numPartitions,
      customMetrics: h.state.customMetrics(),
    };
    return output.filter((b) => b.numRows > 0);
  }
}
