import { ColumnBatch } from "../../columnar/column-batch.ts";
import { keyString } from "../../columnar/key-string.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { takeVec, valueAt, type Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { requireAggregate, type GroupsAccumulator } from "../../expr/aggregates/index.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { AggregateCall, Expression, WindowTime } from "../../expr/expression.ts";
import { WindowStructType } from "../../expr/resolve.ts";
import { numVec } from "../../expr/vec-ops.ts";
import type { StateStore } from "../../state/state-store.ts";
import { OperatorState } from "../operator-state.ts";
import { StructType, TimestampType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { groupIds } from "../group-ids.ts";
import { statePartitionOf } from "../state-partitioning.ts";
import { assignWindows } from "../window-assigner.ts";

/** Which grouping key carries event time, so that the watermark can close its groups. */
export interface EventTimeKey {
  readonly groupIndex: number;
}

/** What the state store keeps per group: the key values and each accumulator's buffer. */
export type GroupState = [keyValues: unknown[], buffers: unknown[]];

/**
 * Partial groups of one state partition, flat so that they cross threads cheaply (a few
 * arrays, not an object per group): group g has state key keys[g], key values
 * keyValues[g * K .. g * K + K) and accumulator buffers buffers[g * A .. g * A + A), for K
 * grouping keys and A aggregates.
 */
export interface PartialGroups {
  readonly keys: string[];
  readonly keyValues: unknown[];
  readonly buffers: unknown[];
}

/** The map side's output (a worker thread's share of a batch), partitioned as the state is. */
export interface PartialAggregation {
  readonly partitions: PartialGroups[];
  /** Input rows dropped because their group was behind the watermark. */
  readonly dropped: number;
}

/**
 * Runs the map side of this aggregation elsewhere (worker threads, see
 * parallel-aggregation.ts), handing each partial aggregation to `merge` as soon as it and
 * all before it are done: in a fixed order, so that a re-run merges the same way.
 */
export interface PartialAggregationRunner {
  run(ctx: BatchContext, merge: (partial: PartialAggregation) => void): Promise<void>;
  describe(): string;
}

/**
 * Hash aggregation, incremental across micro-batches (Spark's StateStoreRestore/Save +
 * HashAggregate). Groups live in slots: accumulators hold typed arrays indexed by slot,
 * and a batch is first grouped locally on dictionary codes and numbers (group-ids.ts),
 * so the state key string is built once per distinct group per batch, not per row.
 * The state store receives the changed groups of each batch as one versioned delta.
 */
export class AggregateExec implements StatefulOperator {
  readonly name = "StatefulAggregate";
  readonly children: readonly ExecOperator[];
  readonly #groupEvaluators: (Evaluator | null)[];
  readonly #window: WindowTime | null;
  readonly #windowIndex: number;
  readonly #windowTime: Evaluator | null;
  readonly #argEvaluators: Evaluator[][];
  readonly #accumulators: GroupsAccumulator[];
  readonly #results: Evaluator[];
  readonly #postSchema: StructType;

  // Group slots.
  #slotOfKey = new Map<string, number>();
  #keyOfSlot: (string | undefined)[] = [];
  #keyValues: (unknown[] | undefined)[] = [];
  #eventTime = new Float64Array(0);
  #free: number[] = [];
  #numSlots = 0;

  readonly #state: OperatorState;
  #metrics: StateOperatorMetrics;

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
  ) {
    this.children = [input];
    this.#state = new OperatorState(operatorId, (stores) => this.#restore(stores), numPartitions);
    const windows = groupings.map((g, i) => ({ g: g.kind === "Alias" ? g.child : g, i })).filter(({ g }) => g.kind === "WindowTime");
    if (windows.length > 1) throw new InternalError("more than one window() in one aggregation");
    this.#window = windows.length ? (windows[0]!.g as WindowTime) : null;
    this.#windowIndex = windows.length ? windows[0]!.i : -1;
    this.#windowTime = this.#window ? compileExpression(this.#window.timeColumn) : null;
    this.#groupEvaluators = groupings.map((g, i) => (i === this.#windowIndex ? null : compileExpression(g)));
    this.#argEvaluators = aggregates.map((a) => a.args.filter((x) => x.kind !== "Star").map(compileExpression));
    this.#accumulators = aggregates.map((a) => requireAggregate(a.name).createAccumulator(a));
    this.#postSchema = new StructType([
      ...groupings.map((g, i) => ({ name: `_g${i}`, dataType: g.dataType!, nullable: true })),
      ...aggregates.map((a, i) => ({ name: `_a${i}`, dataType: a.dataType!, nullable: true })),
    ]);
    this.#results = results.map(compileExpression);
    this.#metrics = emptyStateMetrics("stateStoreSave");
  }

  describe(): string {
    const keys = this.groupings.map(displayExpression).join(", ");
    const functions = this.aggregates.map(displayExpression).join(", ");
    const partitions = this.numPartitions > 1 ? `, partitions=${this.numPartitions}` : "";
    const mapSide = this.mapSide ? `, partial=${this.mapSide.describe()}` : "";
    return `StatefulAggregate keys=[${keys}], functions=[${functions}]${partitions}${mapSide}`;
  }

  open(state: StateContext | null): Promise<void> {
    return this.#state.open(state);
  }

  /** Rebuilds the group slots from the loaded state stores of every partition. */
  #restore(stores: readonly StateStore[]): void {
    this.#clearSlots();
    for (const store of stores) {
      for (const [key, value] of store.entries()) {
        const [keyValues, buffers] = value as GroupState;
        const slot = this.#allocate(key as string, keyValues);
        buffers.forEach((b, k) => this.#accumulators[k]!.setState(slot, b));
      }
    }
  }

  #clearSlots(): void {
    for (let s = 0; s < this.#numSlots; s++) if (this.#keyOfSlot[s] !== undefined) this.#accumulators.forEach((a) => a.reset(s));
    this.#slotOfKey.clear();
    this.#keyOfSlot = [];
    this.#keyValues = [];
    this.#free = [];
    this.#numSlots = 0;
  }

  #allocate(key: string, keyValues: unknown[]): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#numSlots++;
      for (const a of this.#accumulators) a.resize(this.#numSlots);
      if (this.#eventTime.length < this.#numSlots) {
        const grown = new Float64Array(Math.max(16, this.#numSlots * 2));
        grown.set(this.#eventTime);
        this.#eventTime = grown;
      }
    }
    this.#slotOfKey.set(key, slot);
    this.#keyOfSlot[slot] = key;
    this.#keyValues[slot] = keyValues;
    if (this.eventTimeKey !== null) {
      const v = keyValues[this.eventTimeKey.groupIndex];
      // A window closes at its end; a plain event-time key at its own value.
      this.#eventTime[slot] = v === null ? Infinity : this.eventTimeKey.groupIndex === this.#windowIndex ? (v as number) + this.#window!.sizeMicros : eventTimeMicros(v) ?? Infinity;
    }
    return slot;
  }

  #release(slot: number): void {
    const key = this.#keyOfSlot[slot]!;
    this.#slotOfKey.delete(key);
    this.#keyOfSlot[slot] = undefined;
    this.#keyValues[slot] = undefined;
    for (const a of this.#accumulators) a.reset(slot);
    this.#free.push(slot);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (!ctx.streaming) this.#clearSlots();
    else await this.#state.ensureAt(ctx.batchId);
    const started = performance.now();
    const mode = ctx.outputMode;
    // Complete mode keeps every group, so the watermark neither drops rows nor evicts (as in Spark).
    const useWatermark = ctx.streaming && mode !== "complete" && this.eventTimeKey !== null && ctx.watermarkMicros > -Infinity;
    const updated = new Set<number>();
    let dropped = 0;

    if (this.mapSide !== null && ctx.streaming) {
      await this.mapSide.run(ctx, (partial) => {
        dropped += partial.dropped;
        this.#merge(partial, updated);
      });
    } else {
      for (const batch of await this.input.execute(ctx)) {
        if (batch.numRows === 0) continue;
        dropped += this.#consume(batch, ctx, useWatermark ? ctx.watermarkMicros : -Infinity, updated);
      }
    }

    let emit: number[];
    const removed: number[] = [];
    if (!ctx.streaming && this.groupings.length === 0 && this.#slotOfKey.size === 0) {
      // A global aggregation over no rows still has one result row (count 0, sum null), as in SQL.
      this.#allocate("[]", []);
    }
    if (!ctx.streaming || mode === "complete") emit = this.#liveSlots();
    else if (mode === "update") emit = [...updated];
    else emit = [];
    if (useWatermark) {
      for (const s of this.#liveSlots()) {
        if (this.#eventTime[s]! <= ctx.watermarkMicros) removed.push(s);
      }
      if (mode === "append") emit = removed.slice().sort((a, b) => this.#eventTime[a]! - this.#eventTime[b]! || a - b);
    }
    const output = this.#output(emit, ctx);
    const updateMs = performance.now() - started;

    let commitMs = 0;
    let removeMs = 0;
    if (ctx.streaming && this.#state.enabled) {
      const t1 = performance.now();
      await this.#state.commit(ctx.batchId, (stores) => {
        const p = this.numPartitions;
        const removedSet = new Set(removed);
        for (const s of updated) {
          if (removedSet.has(s)) continue;
          const key = this.#keyOfSlot[s]!;
          stores[statePartitionOf(key, p)]!.put(key, this.#stateOf(s));
        }
        const t0 = performance.now();
        for (const s of removed) {
          const key = this.#keyOfSlot[s]!;
          stores[statePartitionOf(key, p)]!.remove(key);
        }
        removeMs = performance.now() - t0;
      });
      commitMs = performance.now() - t1 - removeMs;
    }
    for (const s of removed) this.#release(s);
    this.#metrics = {
      ...emptyStateMetrics("stateStoreSave"),
      numRowsTotal: this.#slotOfKey.size,
      numRowsUpdated: updated.size,
      numRowsRemoved: removed.length,
      numRowsDroppedByWatermark: dropped,
      allUpdatesTimeMs: Math.round(updateMs),
      allRemovalsTimeMs: Math.round(removeMs),
      commitTimeMs: Math.round(commitMs),
      memoryUsedBytes: this.#slotOfKey.size * (64 + 16 * this.aggregates.length),
      numShufflePartitions: this.numPartitions,
      numStateStoreInstances: this.numPartitions,
    };
    return output.numRows > 0 || !ctx.streaming ? [output] : [];
  }

  #partialDropped = 0;
  readonly #partialUpdated = new Set<number>();

  /**
   * The map side of a parallel aggregation (run in a worker thread), in steps, for input
   * that arrives a block at a time: start with no groups…
   */
  beginPartial(): void {
    this.#clearSlots();
    this.#partialDropped = 0;
  }

  /** …fold what the input gives now (it may be called again with more)… */
  async consumePartial(ctx: BatchContext): Promise<void> {
    const useWatermark = ctx.outputMode !== "complete" && this.eventTimeKey !== null && ctx.watermarkMicros > -Infinity;
    for (const batch of await this.input.execute(ctx)) {
      if (batch.numRows > 0) this.#partialDropped += this.#consume(batch, ctx, useWatermark ? ctx.watermarkMicros : -Infinity, this.#partialUpdated);
    }
    this.#partialUpdated.clear(); // the map side emits every group it has, updated or not
  }

  /** …and take the groups as partial states, by state partition. */
  endPartial(): PartialAggregation {
    const dropped = this.#partialDropped;
    const partitions: PartialGroups[] = Array.from({ length: this.numPartitions }, () => ({ keys: [], keyValues: [], buffers: [] }));
    for (const s of this.#liveSlots()) {
      const key = this.#keyOfSlot[s]!;
      const part = partitions[statePartitionOf(key, this.numPartitions)]!;
      part.keys.push(key);
      for (const v of this.#keyValues[s]!) part.keyValues.push(v);
      for (const a of this.#accumulators) part.buffers.push(a.getState(s));
    }
    this.#clearSlots();
    return { partitions, dropped };
  }

  /** Folds partial groups from the map side into the groups (the reduce side). */
  #merge(partial: PartialAggregation, updated: Set<number>): void {
    const numKeys = this.groupings.length;
    const accumulators = this.#accumulators;
    const numAggs = accumulators.length;
    for (const { keys, keyValues, buffers } of partial.partitions) {
      for (let g = 0; g < keys.length; g++) {
        const key = keys[g]!;
        let slot = this.#slotOfKey.get(key);
        if (slot === undefined) slot = this.#allocate(key, keyValues.slice(g * numKeys, g * numKeys + numKeys));
        for (let k = 0; k < numAggs; k++) accumulators[k]!.mergeState(slot, buffers[g * numAggs + k]);
        updated.add(slot);
      }
    }
  }

  /** Folds one input batch into the groups; returns the number of input rows dropped as late. */
  #consume(batch: ColumnBatch, ctx: BatchContext, watermark: number, updated: Set<number>): number {
    let rows: Int32Array | null = null;
    let starts: Float64Array | null = null;
    let n = batch.numRows;
    let dropped = 0;
    if (this.#window !== null) {
      const assignment = assignWindows(this.#windowTime!(batch, ctx.eval), this.#window);
      rows = assignment.rows;
      starts = assignment.starts;
      n = assignment.length;
    }
    const keyVecs: Vec[] = [];
    this.#groupEvaluators.forEach((e) => { if (e !== null) keyVecs.push(e(batch, ctx.eval)); });

    if (watermark > -Infinity && this.eventTimeKey !== null) {
      // Drop (row, window) pairs whose group the watermark has already closed.
      const keep = new Int32Array(n);
      let kept = 0;
      const lateRows = new Set<number>();
      const isWindow = this.eventTimeKey.groupIndex === this.#windowIndex;
      const keyVec = isWindow ? null : keyVecs[this.#keyVecIndex(this.eventTimeKey.groupIndex)]!;
      const size = this.#window?.sizeMicros ?? 0;
      for (let i = 0; i < n; i++) {
        const r = rows === null ? i : rows[i]!;
        let late: boolean;
        if (isWindow) late = starts![i]! + size <= watermark;
        else {
          const v = eventTimeMicros(valueAt(keyVec!, r));
          late = v !== null && v <= watermark;
        }
        if (late) lateRows.add(r);
        else keep[kept++] = i;
      }
      dropped = lateRows.size;
      if (dropped > 0 && ctx.lateRows) {
        const rowsOut = Int32Array.from(lateRows).sort();
        ctx.lateRows.add(this.name, batch.take(rowsOut), watermark);
      }
      if (kept < n) {
        const newRows = new Int32Array(kept);
        const newStarts = starts === null ? null : new Float64Array(kept);
        for (let j = 0; j < kept; j++) {
          const i = keep[j]!;
          newRows[j] = rows === null ? i : rows[i]!;
          if (newStarts !== null) newStarts[j] = starts![i]!;
        }
        rows = newRows;
        starts = newStarts;
        n = kept;
      }
    }

    const local = groupIds(keyVecs, n, rows, starts, this.#window?.slideMicros ?? 0);
    const slotOfLocal = new Int32Array(local.numGroups);
    for (let g = 0; g < local.numGroups; g++) {
      const i = local.firstRow[g]!;
      const r = rows === null ? i : rows[i]!;
      const keyValues: unknown[] = [];
      let k = 0;
      for (let gi = 0; gi < this.groupings.length; gi++) {
        const v = gi === this.#windowIndex ? starts![i]! : valueAt(keyVecs[k++]!, r);
        keyValues.push(v === 0 ? 0 : v); // -0 groups with 0 and shows as 0, as Spark normalizes it
      }
      const key = keyString(keyValues);
      let slot = this.#slotOfKey.get(key);
      if (slot === undefined) slot = this.#allocate(key, keyValues);
      slotOfLocal[g] = slot;
      updated.add(slot);
    }
    const slots = new Int32Array(n);
    for (let i = 0; i < n; i++) slots[i] = slotOfLocal[local.ids[i]!]!;

    this.#argEvaluators.forEach((args, k) => {
      let vecs = args.map((e) => e(batch, ctx.eval));
      if (rows !== null) vecs = vecs.map((v) => takeVec(v, rows!, n));
      this.#accumulators[k]!.update(vecs, slots, n);
    });
    return dropped;
  }

  #keyVecIndex(groupIndex: number): number {
    return this.#windowIndex >= 0 && groupIndex > this.#windowIndex ? groupIndex - 1 : groupIndex;
  }

  #liveSlots(): number[] {
    return [...this.#slotOfKey.values()].sort((a, b) => a - b);
  }

  #stateOf(slot: number): GroupState {
    return [this.#keyValues[slot]!, this.#accumulators.map((a) => a.getState(slot))];
  }

  #output(slots: readonly number[], ctx: BatchContext): ColumnBatch {
    const count = slots.length;
    const slotArray = Int32Array.from(slots);
    const columns: Vec[] = this.groupings.map((g, gi) => {
      if (gi === this.#windowIndex) {
        const starts = new Float64Array(count);
        const ends = new Float64Array(count);
        for (let i = 0; i < count; i++) {
          starts[i] = this.#keyValues[slots[i]!]![gi] as number;
          ends[i] = starts[i]! + this.#window!.sizeMicros;
        }
        return { kind: "struct", type: WindowStructType, length: count, valid: null, children: [numVec(TimestampType, starts, null), numVec(TimestampType, ends, null)] };
      }
      const b = new VecBuilder(g.dataType!, count);
      for (let i = 0; i < count; i++) b.append(this.#keyValues[slots[i]!]![gi]);
      return b.finish();
    });
    for (const a of this.#accumulators) columns.push(a.evaluate(slotArray, count));
    const post = new ColumnBatch(this.#postSchema, columns, count);
    return new ColumnBatch(this.schema, this.#results.map((r) => r(post, ctx.eval)), count);
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}

