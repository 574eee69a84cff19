import { ColumnBatch } from "../../columnar/column-batch.ts";
import { keyString } from "../../columnar/key-string.ts";
import { takeVec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { requireAggregate, type GroupsAccumulator } from "../../expr/aggregates/index.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { AggregateCall, Expression, WindowTime } from "../../expr/expression.ts";
import { notingStateOnDisk } from "../state-on-disk.ts";
import type { StateStore } from "../../state/state-store.ts";
import { OperatorState } from "../operator-state.ts";
import { operatorWatermarks } from "../watermark-propagation.ts";
import { StructType, TimestampType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { groupColumns } from "../aggregate/aggregate-output.ts";
import { keyBatch, type Grouping } from "../aggregate/batch-keys.ts";
import { exportGroups, importKeys, mergeStates, type PartialAggregation, type PartialAggregationRunner } from "../aggregate/partial-groups.ts";
import { ChangedSlots } from "../group-table/changed-slots.ts";
import { EventTimeIndex } from "../group-table/event-time-index.ts";
import { GroupTable } from "../group-table/group-table.ts";
import { TAG_NULL } from "../group-table/key-column.ts";
import { statePartitionOf } from "../state-partitioning.ts";
import { aggregationStateSchema } from "../operator-state-schemas.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";
import type { GroupState } from "../aggregate/stored/stored-groups.ts";
import { StoredAggregation } from "../aggregate/stored/stored-aggregation.ts";

/** Which grouping key carries event time, so that the watermark can close its groups. */
export interface EventTimeKey {
  readonly groupIndex: number;
}

/**
 * Hash aggregation, incremental across micro-batches (Spark's StateStoreRestore/Save +
 * HashAggregate). Groups live in the slots of an open-addressing table over fixed-width
 * key words (group-table/), and accumulators hold typed arrays indexed by slot. A batch is
 * first grouped locally on dictionary codes and numbers (group-ids.ts); each local group's
 * key is then encoded, hashed and found in the table column by column, so no string or
 * object is built per row or per group. The state store receives the changed groups of
 * each batch as one versioned delta; a group's state key string is built when it is
 * first written and kept with its slot. The groups a watermark closes come from an index
 * by the time that closes them, so a batch's work follows its rows and changed groups,
 * not the number of groups held.
 *
 * With a disk-backed state store (rocksdb/disk, lmdb) the groups live in the store instead
 * and the table holds one batch's groups (aggregate/stored/stored-aggregation.ts); the
 * memory and file stores keep the in-memory table, the fast path.
 */
export class AggregateExec implements StatefulOperator {
  readonly name = "StatefulAggregate";
  readonly children: readonly ExecOperator[];
  readonly #grouping: Grouping;
  readonly #window: WindowTime | null;
  readonly #windowIndex: number;
  readonly #argEvaluators: Evaluator[][];
  readonly #accumulators: GroupsAccumulator[];
  readonly #results: Evaluator[];
  readonly #postSchema: StructType;

  // Group slots.
  readonly #table: GroupTable;
  /** The state store key of each slot, once built (keyString of its key values). */
  #stateKeys: (string | undefined)[] = [];
  /** Slots by the event time that closes them: the watermark's evictions without a scan of every group. */
  readonly #closing = new EventTimeIndex();
  readonly #changed = new ChangedSlots();
  /** Slots the watermark removes in this batch (reused across batches). */
  readonly #removed = new ChangedSlots();

  readonly #state: OperatorState;
  #metrics: StateOperatorMetrics;
  /** Whether the groups live in the state stores (a disk-backed provider), not in the table between batches. */
  #stored = false;
  /** The batches of the stored path (aggregate/stored/). */
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
    this.#state = new OperatorState(operatorId, (stores) => this.#restore(stores), numPartitions);
    const windows = groupings.map((g, i) => ({ g: g.kind === "Alias" ? g.child : g, i })).filter(({ g }) => g.kind === "WindowTime");
    if (windows.length > 1) throw new InternalError("more than one window() in one aggregation");
    this.#window = windows.length ? (windows[0]!.g as WindowTime) : null;
    this.#windowIndex = windows.length ? windows[0]!.i : -1;
    this.#grouping = {
      evaluators: groupings.map((g, i) => (i === this.#windowIndex ? null : compileExpression(g))),
      window: this.#window,
      windowIndex: this.#windowIndex,
      windowTime: this.#window ? compileExpression(this.#window.timeColumn) : null,
      eventTimeIndex: eventTimeKey?.groupIndex ?? null,
      operatorName: this.name,
    };
    this.#argEvaluators = aggregates.map((a) => a.args.filter((x) => x.kind !== "Star").map(compileExpression));
    this.#accumulators = aggregates.map((a) => requireAggregate(a.name).createAccumulator(a));
    this.#postSchema = new StructType([
      ...groupings.map((g, i) => ({ name: `_g${i}`, dataType: g.dataType!, nullable: true })),
      ...aggregates.map((a, i) => ({ name: `_a${i}`, dataType: a.dataType!, nullable: true })),
    ]);
    this.#results = results.map(compileExpression);
    this.#metrics = emptyStateMetrics("stateStoreSave");
    this.#table = new GroupTable(groupings.map((g, i) => (i === this.#windowIndex ? TimestampType : g.dataType!)), (numSlots) => this.#onNewSlots(numSlots));
    this.#storedPath = new StoredAggregation({
      state: this.#state,
      table: {
        table: this.#table,
        accumulators: this.#accumulators,
        stateKeyOf: (slot) => this.#stateKeyOf(slot),
        setStateKey: (slot, key) => { this.#stateKeys[slot] = key; },
        closingTime: (slot) => this.#closingTime(slot),
        clear: () => this.#clearSlots(),
      },
      changed: this.#changed,
      numPartitions,
      readInput: (ctx, useWatermark, late) => this.#readInput(ctx, useWatermark, late),
      output: (slots, ctx) => this.#output(slots, ctx),
    });
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

  open(state: StateContext | null): Promise<void> {
    if (state === null) return this.#state.open(state);
    return this.#state.open(notingStateOnDisk(state, (onDisk) => { this.#stored = onDisk; }));
  }

  /** Rebuilds the group slots from the loaded state stores of every partition (the in-memory path). */
  #restore(stores: readonly StateStore[]): void {
    if (this.#stored) return;
    this.#clearSlots();
    for (const store of stores) {
      for (const [key, value] of store.entries()) {
        const [keyValues, buffers] = value as GroupState;
        const { slot } = this.#table.findOrInsertValues(keyValues);
        this.#initSlot(slot, key as string);
        buffers.forEach((b, k) => this.#accumulators[k]!.setState(slot, b));
      }
    }
  }

  #clearSlots(): void {
    for (const s of this.#table.liveSlots()) for (const a of this.#accumulators) a.reset(s);
    this.#table.clear();
    this.#closing.clear();
    this.#stateKeys = [];
  }

  /** Slots every accumulator has room for (they never shrink): the table asks at each new slot, they grow by doubling. */
  #accumulatorSlots = 0;

  /** The table made slots [0, numSlots) usable: so must the accumulators. */
  #onNewSlots(numSlots: number): void {
    if (numSlots <= this.#accumulatorSlots) return;
    const capacity = Math.max(numSlots, this.#accumulatorSlots * 2, 16);
    for (const a of this.#accumulators) a.resize(capacity);
    this.#accumulatorSlots = capacity;
  }

  /** A new group in `slot`: its state key (when known), indexed by the event time that closes it. */
  #initSlot(slot: number, stateKey: string | undefined): void {
    const batch = this.#storedPath.batch;
    if (batch !== null) {
      batch.added(slot);
      return;
    }
    // No entry for a key not yet built: a million groups of a query without a checkpoint then cost no array of them.
    if (stateKey !== undefined || slot < this.#stateKeys.length) this.#stateKeys[slot] = stateKey;
    if (this.eventTimeKey === null || this.#partial || !this.#evicts) return;
    this.#closing.add(slot, this.#closingTime(slot));
  }

  /** When the watermark closes the group in `slot` (Infinity: never). */
  #closingTime(slot: number): number {
    const gi = this.eventTimeKey!.groupIndex;
    const column = this.#table.columns[gi]!;
    if (column.tags[slot] === TAG_NULL) return Infinity;
    // A window closes at its end; a plain event-time key at its own value.
    if (gi === this.#windowIndex) return column.words[slot]! + this.#window!.sizeMicros;
    return eventTimeMicros(column.valueOf(slot)) ?? Infinity;
  }

  #stateKeyOf(slot: number): string {
    return (this.#stateKeys[slot] ??= keyString(this.#table.keyValues(slot)));
  }

  #release(slot: number): void {
    this.#table.remove(slot);
    this.#stateKeys[slot] = undefined;
    for (const a of this.#accumulators) a.reset(slot);
  }
  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (ctx.streaming && this.#stored) {
      const indexed = this.eventTimeKey !== null && ctx.outputMode !== "complete";
      const out = await this.#storedPath.execute(ctx, operatorWatermarks(this, ctx), indexed);
      this.#metrics = this.#storedPath.metrics;
      return out;
    }
    this.#evicts = ctx.streaming && ctx.outputMode !== "complete";
    if (!ctx.streaming) this.#clearSlots();
    else await this.#state.ensureAt(ctx.batchId);
    const started = performance.now();
    const mode = ctx.outputMode;
    // Complete mode keeps every group, so the watermark neither drops rows nor evicts (as in Spark).
    const watermarks = operatorWatermarks(this, ctx);
    const useWatermark = ctx.streaming && mode !== "complete" && this.eventTimeKey !== null && watermarks.evict > -Infinity;
    const changed = this.#changed;
    changed.reset();
    const dropped = await this.#readInput(ctx, useWatermark, watermarks.late);

    if (!ctx.streaming && this.groupings.length === 0 && this.#table.size === 0) {
      // A global aggregation over no rows still has one result row (count 0, sum null), as in SQL.
      this.#initSlot(this.#table.findOrInsertValues([]).slot, undefined);
    }
    // The groups the watermark closes, ordered by the time that closes them, then slot.
    const removed = useWatermark ? this.#closing.takeUpTo(watermarks.evict) : new Int32Array(0);
    let emit: Int32Array;
    if (!ctx.streaming || mode === "complete") emit = this.#table.liveSlots();
    else if (mode === "update") emit = changed.slots().slice();
    else if (useWatermark) emit = removed;
    else emit = new Int32Array(0);
    const output = this.#output(emit, ctx);
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
          const keyValues = this.#table.keyValues(s);
          const key = (this.#stateKeys[s] ??= keyString(keyValues));
          stores[statePartitionOf(key, p)]!.put(key, [keyValues, this.#accumulators.map((a) => a.getState(s))] satisfies GroupState);
        }
        const t0 = performance.now();
        for (const s of removed) {
          const key = this.#stateKeyOf(s);
          stores[statePartitionOf(key, p)]!.remove(key);
        }
        removeMs = performance.now() - t0;
      });
      commitMs = performance.now() - t1 - removeMs;
    }
    for (const s of removed) this.#release(s);
    if (removed.length > 0) this.#table.compactDictionaries();
    this.#metrics = {
      ...emptyStateMetrics("stateStoreSave"),
      numRowsTotal: this.#table.size,
      numRowsUpdated: changed.size,
      numRowsRemoved: removed.length,
      numRowsDroppedByWatermark: dropped,
      allUpdatesTimeMs: Math.round(updateMs),
      allRemovalsTimeMs: Math.round(removeMs),
      commitTimeMs: Math.round(commitMs),
      memoryUsedBytes: this.#table.memoryBytes() + this.#table.size * 16 * this.aggregates.length,
      numShufflePartitions: this.numPartitions,
      numStateStoreInstances: this.numPartitions,
      customMetrics: this.#state.customMetrics(),
    };
    return output.numRows > 0 || !ctx.streaming ? [output] : [];
  }

  /** Folds the batch's input into the table's groups; returns the number of input rows dropped as late. */
  async #readInput(ctx: BatchContext, useWatermark: boolean, lateWatermark: number): Promise<number> {
    let dropped = 0;
    if (this.mapSide !== null && ctx.streaming) {
      await this.mapSide.run(ctx, (output) => {
        if (output.kind === "groups") {
          dropped += output.dropped;
          this.#merge(output);
          return;
        }
        // Partial aggregation was skipped: the rows of the input's stages fold in here.
        for (const batch of output.batches) {
          if (batch.numRows > 0) dropped += this.#consume(batch, ctx, useWatermark ? ctx.watermarkMicros : -Infinity);
        }
      });
    } else {
      for (const batch of await this.input.execute(ctx)) {
        if (batch.numRows === 0) continue;
        dropped += this.#consume(batch, ctx, useWatermark ? lateWatermark : -Infinity);
      }
    }
    return dropped;
  }

  #partialDropped = 0;
  #partialRows = 0;
  /** Whether this instance is a map side (partial groups only: nothing is evicted, so nothing is indexed by event time). */
  #partial = false;
  /** False in complete mode, which never evicts (as in Spark): groups are then not indexed by event time. */
  #evicts = true;

  /**
   * The map side of a parallel aggregation (run in a worker thread), in steps, for input
   * that arrives a block at a time: start with no groups…
   */
  beginPartial(): void {
    this.#partial = true;
    this.#clearSlots();
    this.#partialDropped = 0;
    this.#partialRows = 0;
  }

  /** …fold what the input gives now (it may be called again with more)… */
  async consumePartial(ctx: BatchContext): Promise<void> {
    const useWatermark = ctx.outputMode !== "complete" && this.eventTimeKey !== null && ctx.watermarkMicros > -Infinity;
    for (const batch of await this.input.execute(ctx)) {
      if (batch.numRows === 0) continue;
      this.#partialRows += batch.numRows;
      this.#partialDropped += this.#consume(batch, ctx, useWatermark ? ctx.watermarkMicros : -Infinity);
    }
    this.#changed.reset(); // the map side emits every group it has, updated or not
  }

  /** …and take the groups as partial states (the map side never removes a group: its slots are 0…count-1). */
  endPartial(): PartialAggregation {
    const dropped = this.#partialDropped;
    const groups = exportGroups(this.#table, this.#accumulators);
    this.#clearSlots();
    return { kind: "groups", groups, dropped, inputRows: this.#partialRows };
  }

  /** Folds partial groups from the map side into the groups (the reduce side), column by column. */
  #merge(partial: PartialAggregation): void {
    const m = partial.groups.count;
    if (m === 0) return;
    const keys = importKeys(this.#table, partial.groups);
    const hashes = new Int32Array(m);
    this.#table.hash(keys, m, hashes);
    const slots = new Int32Array(m);
    this.#table.findOrInsert(keys, hashes, m, slots, (_, slot) => this.#initSlot(slot, undefined));
    this.#storedPath.batch?.loadFresh();
    mergeStates(this.#accumulators, slots, partial.groups);
    for (let j = 0; j < m; j++) this.#changed.add(slots[j]!);
  }

  /** Folds one input batch into the groups; returns the number of input rows dropped as late. */
  #consume(batch: ColumnBatch, ctx: BatchContext, watermark: number): number {
    const { rows, n, ids, m, keys, dropped } = keyBatch(this.#grouping, this.#table, batch, ctx, watermark);
    const hashes = new Int32Array(m);
    this.#table.hash(keys, m, hashes);
    const slotOfLocal = new Int32Array(m);
    this.#table.findOrInsert(keys, hashes, m, slotOfLocal, (_, slot) => this.#initSlot(slot, undefined));
    this.#storedPath.batch?.loadFresh();
    const changed = this.#changed;
    for (let g = 0; g < m; g++) changed.add(slotOfLocal[g]!);
    const slots = new Int32Array(n);
    for (let i = 0; i < n; i++) slots[i] = slotOfLocal[ids[i]!]!;

    this.#argEvaluators.forEach((args, a) => {
      let vecs = args.map((e) => e(batch, ctx.eval));
      if (rows !== null) vecs = vecs.map((v) => takeVec(v, rows, n));
      this.#accumulators[a]!.update(vecs, slots, n);
    });
    return dropped;
  }

  #output(slots: Int32Array, ctx: BatchContext): ColumnBatch {
    const post = new ColumnBatch(this.#postSchema, groupColumns(this.#table, this.#windowIndex, this.#window, this.#accumulators, slots), slots.length);
    return new ColumnBatch(this.schema, this.#results.map((r) => r(post, ctx.eval)), slots.length);
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  stateSchema(): OperatorStateSchema {
    return aggregationStateSchema(this.operatorId, this.name, this.groupings, this.aggregates);
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}

