import { ColumnBatch } from "../../columnar/column-batch.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { AggregateCall, Expression } from "../../expr/expression.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";
import type { StateStore } from "../../state/state-store.ts";
import { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { ChangedSlots } from "../group-table/changed-slots.ts";
import { OperatorState } from "../operator-state.ts";
import { aggregationStateSchema } from "../operator-state-schemas.ts";
import { notingStateOnDisk } from "../state-on-disk.ts";
import type { ChoosesPerBatch } from "../parallel/recorded-choices.ts";
import { statePartitionOf } from "../state-partitioning.ts";
import { operatorWatermarks } from "../watermark-propagation.ts";
import { AggregationGroups, type EventTimeKey } from "./aggregation-groups.ts";
import { exportGroups, type PartialAggregation, type PartialAggregationRunner } from "./partial-groups.ts";
import type { GroupState } from "./stored/stored-groups.ts";
import { StoredAggregation } from "./stored/stored-aggregation.ts";

export type { EventTimeKey } from "./aggregation-groups.ts";

function isColumnRef(e: Expression): boolean {
  return e.kind === "ColumnRef" || (e.kind === "Alias" && isColumnRef(e.child));
}

/**
 * Hash aggregation, incremental across micro-batches (Spark's StateStoreRestore/Save +
 * HashAggregate). The groups live in an AggregationGroups (aggregation-groups.ts: a group
 * table and accumulators by slot). The state store receives the changed groups of each
 * batch as one versioned delta; a group's state key string is built when it is first
 * written and kept with its slot. The groups a watermark closes come from an index by the
 * time that closes them, so a batch's work follows its rows and changed groups, not the
 * number of groups held. Complete mode emits every group each batch, by chunks of slots
 * (complete-chunks.ts): a chunk no fold touched since it was emitted goes out again as the
 * same batch, so only the chunks a batch changed are copied out of the table.
 *
 * With a disk-backed state store (rocksdb/disk, lmdb) the groups live in the store instead
 * and the table holds one batch's groups (stored/stored-aggregation.ts); the memory and file
 * stores keep the in-memory table, the fast path. The same operator is the map side of a
 * parallel aggregation in a worker thread (beginPartial…endPartial).
 */
export class AggregateExec implements StatefulOperator, ChoosesPerBatch {
  readonly name = "StatefulAggregate";
  readonly children: readonly ExecOperator[];
  readonly #groups: AggregationGroups;
  readonly #results: Evaluator[];
  /** Whether every result is a column of the groups as they are (no expression a batch could evaluate differently): complete mode then keeps its output by chunks. */
  readonly #resultsAreColumns: boolean;
  /** Slots the watermark removes in this batch (reused across batches). */
  readonly #removed = new ChangedSlots();

  readonly #state: OperatorState;
  #metrics: StateOperatorMetrics;
  /** Whether the groups live in the state stores (a disk-backed provider), not in the table between batches. */
  #stored = false;
  /** The batches of the stored path (stored/). */
  readonly #storedPath: StoredAggregation;

  constructor(
    readonly input: ExecOperator,
    readonly groupings: readonly Expression[],
    readonly aggregates: readonly AggregateCall[],
    readonly results: readonly Expression[],
    readonly schema: StructType,
    readonly operatorId: number,
    readonly eventTimeKey: EventTimeKey | null,
    /** Hash partitions of the state (rivulet.sql.shuffle.partitions). */
    readonly numPartitions = 1,
    /** When set, the input is read and partially aggregated by this runner, and merged here. */
    readonly mapSide: PartialAggregationRunner | null = null,
    /** Why rivulet.sql.parallelism > 1 does not give this aggregation worker threads (shown by explain), if it does not. */
    readonly serialReason: string | null = null,
  ) {
    this.children = [input];
    const postSchema = new StructType([
      ...groupings.map((g, i) => ({ name: `_g${i}`, dataType: g.dataType!, nullable: true })),
      ...aggregates.map((a, i) => ({ name: `_a${i}`, dataType: a.dataType!, nullable: true })),
    ]);
    const groups = new AggregationGroups(groupings, aggregates, eventTimeKey, this.name, postSchema);
    this.#groups = groups;
    this.#state = new OperatorState(operatorId, (stores) => this.#restore(stores), numPartitions);
    this.#results = results.map(compileExpression);
    this.#resultsAreColumns = results.every(isColumnRef);
    this.#metrics = emptyStateMetrics("stateStoreSave");
    this.#storedPath = new StoredAggregation({
      state: this.#state,
      table: groups,
      changed: groups.changed,
      numPartitions,
      readInput: (ctx, useWatermark, late) => this.#readInput(ctx, useWatermark, late),
      output: (slots, ctx) => this.#output(slots, ctx),
    });
    groups.storedBatch = () => this.#storedPath.batch;
  }

  describe(): string {
    const keys = this.groupings.map(displayExpression).join(", ");
    const functions = this.aggregates.map(displayExpression).join(", ");
    const partitions = this.numPartitions > 1 ? `, partitions=${this.numPartitions}` : "";
    const runner = this.mapSide?.describe() ?? null;
    const mapSide = runner !== null ? `, partial=${runner}` : this.serialReason !== null ? `, partial=${this.serialReason}` : "";
    const stored = this.#stored ? ", state=stored (groups in the state store, read by key each batch)" : "";
    return `StatefulAggregate keys=[${keys}], functions=[${functions}]${partitions}${mapSide}${stored}`;
  }

  /** The key of this operator's first-file choice in a batch's recorded choices. */
  get #firstFileKey(): string {
    return `aggregate.${this.operatorId}.firstFile`;
  }

  nextBatchChoices(): Readonly<Record<string, string>> {
    const choice = this.mapSide?.firstFileChoice?.() ?? null;
    return choice === null ? {} : { [this.#firstFileKey]: choice };
  }

  open(state: StateContext | null): Promise<void> {
    if (state === null) return this.#state.open(state);
    return this.#state.open(notingStateOnDisk(state, (onDisk) => { this.#stored = onDisk; }));
  }

  /** Rebuilds the groups from the loaded state stores of every partition (the in-memory path). */
  #restore(stores: readonly StateStore[]): void {
    if (!this.#stored) this.#groups.restore(stores);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (ctx.streaming && this.#stored) {
      const indexed = this.eventTimeKey !== null && ctx.outputMode !== "complete";
      const out = await this.#storedPath.execute(ctx, operatorWatermarks(this, ctx), indexed);
      this.#metrics = this.#storedPath.metrics;
      return out;
    }
    const groups = this.#groups;
    const table = groups.table;
    // Complete mode keeps every group (as in Spark): nothing is evicted, so nothing is indexed by event time.
    groups.indexesEventTime = ctx.streaming && ctx.outputMode !== "complete";
    if (!ctx.streaming) groups.clear();
    else await this.#state.ensureAt(ctx.batchId);
    const started = performance.now();
    const mode = ctx.outputMode;
    // Complete mode keeps every group, so the watermark neither drops rows nor evicts (as in Spark).
    const watermarks = operatorWatermarks(this, ctx);
    const useWatermark = ctx.streaming && mode !== "complete" && this.eventTimeKey !== null && watermarks.evict > -Infinity;
    const changed = groups.changed;
    changed.reset();
    const dropped = await this.#readInput(ctx, useWatermark, watermarks.late);

    if (!ctx.streaming && this.groupings.length === 0 && table.size === 0) {
      // A global aggregation over no rows still has one result row (count 0, sum null), as in SQL.
      groups.initSlot(table.findOrInsertValues([]).slot, undefined);
    }
    // The groups the watermark closes, ordered by the time that closes them, then slot.
    const removed = useWatermark ? groups.closing.takeUpTo(watermarks.evict) : new Int32Array(0);
    let output: ColumnBatch[];
    if (ctx.streaming && mode === "complete" && this.#resultsAreColumns) {
      // Every group, by chunks of slots: a chunk no fold touched since the last batch is emitted again as it was.
      output = groups.completeChunks.emit(table.numSlots, (s) => table.isLive(s), (slots) => this.#output(slots, ctx, true));
    } else {
      let emit: Int32Array;
      if (!ctx.streaming || mode === "complete") emit = table.liveSlots();
      else if (mode === "update") emit = changed.slots().slice();
      else if (useWatermark) emit = removed;
      else emit = new Int32Array(0);
      const batch = this.#output(emit, ctx);
      output = batch.numRows > 0 || !ctx.streaming ? [batch] : [];
    }
    const updateMs = performance.now() - started;

    let commitMs = 0;
    let removeMs = 0;
    if (ctx.streaming && this.#state.enabled) {
      const t1 = performance.now();
      // Without a checkpoint the table is the only copy anyone reads: versions advance, nothing is written.
      const write = this.#state.durable;
      await this.#state.commit(ctx.batchId, (stores) => {
        if (!write) return;
        const p = this.numPartitions;
        const gone = this.#removed;
        gone.reset();
        for (const s of removed) gone.add(s);
        for (const s of changed.slots()) {
          if (gone.has(s)) continue;
          const keyValues = table.keyValues(s);
          const key = groups.stateKeyOf(s, keyValues);
          stores[statePartitionOf(key, p)]!.put(key, [keyValues, groups.accumulators.map((a) => a.getState(s))] satisfies GroupState);
        }
        const t0 = performance.now();
        for (const s of removed) {
          const key = groups.stateKeyOf(s);
          stores[statePartitionOf(key, p)]!.remove(key);
        }
        removeMs = performance.now() - t0;
      });
      commitMs = performance.now() - t1 - removeMs;
    }
    for (const s of removed) groups.release(s);
    if (removed.length > 0) table.compactDictionaries();
    this.#metrics = {
      ...emptyStateMetrics("stateStoreSave"),
      numRowsTotal: table.size,
      numRowsUpdated: changed.size,
      numRowsRemoved: removed.length,
      numRowsDroppedByWatermark: dropped,
      allUpdatesTimeMs: Math.round(updateMs),
      allRemovalsTimeMs: Math.round(removeMs),
      commitTimeMs: Math.round(commitMs),
      memoryUsedBytes: table.memoryBytes() + table.size * 16 * this.aggregates.length,
      numShufflePartitions: this.numPartitions,
      numStateStoreInstances: this.numPartitions,
      customMetrics: this.#state.customMetrics(),
    };
    return output;
  }

  /** Folds the batch's input into the groups; returns the number of input rows dropped as late. */
  async #readInput(ctx: BatchContext, useWatermark: boolean, lateWatermark: number): Promise<number> {
    let dropped = 0;
    const groups = this.#groups;
    if (this.mapSide !== null && ctx.streaming) {
      // What the batch recorded (a log written before the choice existed records none: "here").
      const firstFile = ctx.choices?.[this.#firstFileKey] === "workers" ? "workers" : "here";
      await this.mapSide.run(ctx, {
        fold: (output) => {
          if (output.kind === "groups") {
            dropped += output.dropped;
            groups.merge(output.groups);
            return;
          }
          // Rows of the input's stages, not partially aggregated: they fold in here.
          for (const batch of output.batches) {
            if (batch.numRows > 0) dropped += groups.fold(batch, ctx, useWatermark ? ctx.watermarkMicros : -Infinity);
          }
        },
        groupsTouched: () => groups.changed.size,
      }, firstFile);
    } else {
      for (const batch of await this.input.execute(ctx)) {
        if (batch.numRows === 0) continue;
        dropped += groups.fold(batch, ctx, useWatermark ? lateWatermark : -Infinity);
      }
    }
    return dropped;
  }

  #partialDropped = 0;
  #partialRows = 0;

  /**
   * The map side of a parallel aggregation (run in a worker thread), in steps, for input
   * that arrives a block at a time: start with no groups (a map side never evicts, so
   * nothing is indexed by event time)…
   */
  beginPartial(): void {
    this.#groups.indexesEventTime = false;
    this.#groups.clear();
    this.#partialDropped = 0;
    this.#partialRows = 0;
  }

  /** …fold what the input gives now (it may be called again with more)… */
  async consumePartial(ctx: BatchContext): Promise<void> {
    const useWatermark = ctx.outputMode !== "complete" && this.eventTimeKey !== null && ctx.watermarkMicros > -Infinity;
    for (const batch of await this.input.execute(ctx)) {
      if (batch.numRows === 0) continue;
      this.#partialRows += batch.numRows;
      this.#partialDropped += this.#groups.fold(batch, ctx, useWatermark ? ctx.watermarkMicros : -Infinity);
    }
    this.#groups.changed.reset(); // the map side emits every group it has, updated or not
  }

  /** …and take the groups as partial states (the map side never removes a group: its slots are 0…count-1). */
  endPartial(): PartialAggregation {
    const groups = exportGroups(this.#groups.table, this.#groups.accumulators);
    this.#groups.clear();
    return { kind: "groups", groups, dropped: this.#partialDropped, inputRows: this.#partialRows };
  }

  /** `partOfAll`: the slots are a chunk of an output of every group (complete mode's chunks share the key columns' dictionaries). */
  #output(slots: Int32Array, ctx: BatchContext, partOfAll = false): ColumnBatch {
    const post = this.#groups.output(slots, partOfAll);
    return new ColumnBatch(this.schema, this.#results.map((r) => r(post, ctx.eval)), slots.length);
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  stateSchema(): OperatorStateSchema {
    return aggregationStateSchema(this.operatorId, this.name, this.groupings, this.aggregates);
  }

  async close(): Promise<void> {
    // The chunks kept for the next complete-mode batch: a stopped query emits none (the sink keeps what it was given).
    this.#groups.completeChunks.forgetAll();
    // Files the workers read ahead for a next batch that will not come: cancelled, not run.
    this.mapSide?.close?.();
    await this.#state.close();
  }
}
