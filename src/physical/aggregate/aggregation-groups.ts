import { ColumnBatch } from "../../columnar/column-batch.ts";
import { keyString } from "../../columnar/key-string.ts";
import { takeVec, type Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { requireAggregate, type GroupsAccumulator } from "../../expr/aggregates/index.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import type { AggregateCall, Expression, WindowTime } from "../../expr/expression.ts";
import type { StateStore } from "../../state/state-store.ts";
import { TimestampType, type StructType } from "../../types/data-types.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { ScratchArrays, type Scratch } from "../scratch-arrays.ts";
import type { BatchContext } from "../exec-operator.ts";
import { ChangedSlots } from "../group-table/changed-slots.ts";
import { EventTimeIndex } from "../group-table/event-time-index.ts";
import { GroupTable } from "../group-table/group-table.ts";
import { TAG_NULL, type EncodedKeys } from "../group-table/key-encoding.ts";
import { groupColumns } from "./aggregate-output.ts";
import { CompleteChunks } from "./complete-chunks.ts";
import { keyBatch, type Grouping } from "./batch-keys.ts";
import { importKeys, mergeStates, type PartialGroups } from "./partial-groups.ts";
import type { BatchTable } from "./stored/stored-batch.ts";
import type { GroupState } from "./stored/stored-groups.ts";

/** Which grouping key carries event time, so that the watermark can close its groups. */
export interface EventTimeKey {
  readonly groupIndex: number;
}

/** Groups a restore adds together (encoded, hashed and probed as one block). */
const RESTORE_BLOCK = 4096;

/**
 * Rows `rows[0…n)` of an aggregate's argument, as the accumulators read it (row i of the
 * result is the input row of the batch's i-th (row, window) pair). A plain number column is
 * copied into scratch arrays (the accumulators only read their arguments during update);
 * others by takeVec.
 */
function argRows(v: Vec, rows: Int32Array, n: number, scratch: Scratch, name: string): Vec {
  if (v.kind !== "num" || v.exact !== undefined || !(v.values instanceof Float64Array)) return takeVec(v, rows, n);
  const src = v.values, values = scratch.float64(`${name}.values`, n);
  for (let i = 0; i < n; i++) values[i] = src[rows[i]!]!;
  let valid: Uint8Array | null = null;
  if (v.valid !== null) {
    const from = v.valid;
    valid = scratch.uint8(`${name}.valid`, n);
    for (let i = 0; i < n; i++) valid[i] = from[rows[i]!]!;
  }
  return { kind: "num", type: v.type, length: n, values, valid };
}

/** What the stored path's batch (stored/stored-batch.ts) learns of the groups as they are made. */
interface NewGroupsListener {
  added(slot: number): void;
  loadFresh(): void;
}

/**
 * The groups of a hash aggregation: slots of an open-addressing table over fixed-width key
 * words (group-table/), the accumulators' typed arrays indexed by slot, and per slot what
 * the state store and the watermark need — its state key string, built when first written
 * and kept, and its place in an index by the event time that closes it. A batch is grouped
 * locally on dictionary codes and numbers (batch-keys.ts); each local group's key is then
 * found in the table column by column, so no string or object is built per row or group.
 * Rows and partial groups (from a map side) fold in here; `changed` collects the slots they
 * touch since it was last reset.
 */
export class AggregationGroups implements BatchTable {
  readonly table: GroupTable;
  readonly accumulators: GroupsAccumulator[];
  readonly grouping: Grouping;
  readonly window: WindowTime | null;
  readonly windowIndex: number;
  readonly changed = new ChangedSlots();
  /** Complete mode's output by chunks of slots, kept while no slot in a chunk changes (complete-chunks.ts). */
  readonly completeChunks = new CompleteChunks();
  /** Slots by the event time that closes them: the watermark's evictions without a scan of every group. */
  readonly closing = new EventTimeIndex();
  /** Whether new groups are indexed by the event time that closes them (not on a map side, not in complete mode). */
  indexesEventTime = true;
  /** The stored path's batch while it reads input (its groups live in the store), else null. */
  storedBatch: () => NewGroupsListener | null = () => null;

  readonly #argEvaluators: Evaluator[][];
  readonly #postSchema: StructType;
  /** The state store key of each slot, once built (keyString of its key values). */
  #stateKeys: (string | undefined)[] = [];
  /** Slots every accumulator has room for (they never shrink): the table asks at each new slot, they grow by doubling. */
  #accumulatorSlots = 0;
  /** A fold's arrays, reused by the next fold. */
  readonly #scratch = new ScratchArrays();
  /** The share of the last fold's local groups that were new groups (1 before any): how many of the next fold's to make room for. */
  #newShare = 1;

  constructor(
    groupings: readonly Expression[],
    aggregates: readonly AggregateCall[],
    readonly eventTimeKey: EventTimeKey | null,
    operatorName: string,
    postSchema: StructType,
  ) {
    const windows = groupings.map((g, i) => ({ g: g.kind === "Alias" ? g.child : g, i })).filter(({ g }) => g.kind === "WindowTime");
    if (windows.length > 1) throw new InternalError("more than one window() in one aggregation");
    this.window = windows.length ? (windows[0]!.g as WindowTime) : null;
    this.windowIndex = windows.length ? windows[0]!.i : -1;
    this.grouping = {
      evaluators: groupings.map((g, i) => (i === this.windowIndex ? null : compileExpression(g))),
      window: this.window,
      windowIndex: this.windowIndex,
      windowTime: this.window ? compileExpression(this.window.timeColumn) : null,
      eventTimeIndex: eventTimeKey?.groupIndex ?? null,
      operatorName,
    };
    this.#argEvaluators = aggregates.map((a) => a.args.filter((x) => x.kind !== "Star").map(compileExpression));
    this.accumulators = aggregates.map((a) => requireAggregate(a.name).createAccumulator(a));
    this.#postSchema = postSchema;
    // A window key is held as its start.
    this.table = new GroupTable(groupings.map((g, i) => (i === this.windowIndex ? TimestampType : g.dataType!)), (numSlots) => this.#onNewSlots(numSlots));
  }

  get size(): number {
    return this.table.size;
  }

  /** The table made slots [0, numSlots) usable: so must the accumulators. */
  #onNewSlots(numSlots: number): void {
    if (numSlots <= this.#accumulatorSlots) return;
    const capacity = Math.max(numSlots, this.#accumulatorSlots * 2, 16);
    for (const a of this.accumulators) a.resize(capacity);
    this.#accumulatorSlots = capacity;
  }

  /** Empties the table (and the accumulators' slots, the index, the state keys). */
  clear(): void {
    for (const s of this.table.liveSlots()) for (const a of this.accumulators) a.reset(s);
    this.table.clear();
    this.closing.clear();
    this.#stateKeys = [];
    this.completeChunks.forgetAll();
  }

  /** Rebuilds the groups from the loaded state stores of every partition (the in-memory path). */
  restore(stores: readonly StateStore[]): void {
    this.clear();
    this.table.reserve(stores.reduce((n, store) => n + store.numKeys, 0));
    let stateKeys: string[] = [], states: GroupState[] = [];
    const add = (): void => {
      const slots = this.table.findOrInsertAllValues(states.map(([keyValues]) => keyValues));
      states.forEach(([, buffers], j) => {
        const slot = slots[j]!;
        this.initSlot(slot, stateKeys[j]);
        buffers.forEach((b, k) => this.accumulators[k]!.setState(slot, b));
      });
      stateKeys = [];
      states = [];
    };
    for (const store of stores) {
      for (const [key, value] of store.entries()) {
        stateKeys.push(key as string);
        states.push(value as GroupState);
        if (states.length === RESTORE_BLOCK) add();
      }
    }
    add();
  }

  /** A new group in `slot`: its state key (when known), indexed by the event time that closes it. */
  initSlot(slot: number, stateKey: string | undefined): void {
    this.completeChunks.touch(slot);
    const batch = this.storedBatch();
    if (batch !== null) {
      batch.added(slot);
      return;
    }
    // No entry for a key not yet built: a million groups of a query without a checkpoint then cost no array of them.
    if (stateKey !== undefined || slot < this.#stateKeys.length) this.#stateKeys[slot] = stateKey;
    if (this.eventTimeKey === null || !this.indexesEventTime) return;
    this.closing.add(slot, this.closingTime(slot));
  }

  /** When the watermark closes the group in `slot` (Infinity: never). */
  closingTime(slot: number): number {
    const gi = this.eventTimeKey!.groupIndex;
    const column = this.table.columns[gi]!;
    if (column.tags[slot] === TAG_NULL) return Infinity;
    // A window closes at its end; a plain event-time key at its own value.
    if (gi === this.windowIndex) return column.words[slot]! + this.window!.sizeMicros;
    return eventTimeMicros(column.valueOf(slot)) ?? Infinity;
  }

  /** The state key of a slot's group, built once (from `keyValues` when the caller has them). */
  stateKeyOf(slot: number, keyValues?: readonly unknown[]): string {
    return (this.#stateKeys[slot] ??= keyString(keyValues ?? this.table.keyValues(slot)));
  }

  setStateKey(slot: number, key: string): void {
    this.#stateKeys[slot] = key;
  }

  /** Removes the group in `slot` (the watermark closed it). */
  release(slot: number): void {
    this.table.remove(slot);
    this.#stateKeys[slot] = undefined;
    for (const a of this.accumulators) a.reset(slot);
    this.completeChunks.touch(slot);
  }

  /**
   * The slots of m keys, new groups added and initialized. Room for the groups they will likely
   * add is made at once (the last call's share of new keys): a batch of many new groups then
   * grows the table's slots, buckets and accumulators once, not by doublings as they arrive.
   */
  #findOrInsert(keys: EncodedKeys, hashes: Int32Array, m: number, out: Int32Array): void {
    const before = this.table.size;
    this.table.reserve(before + Math.ceil(m * this.#newShare));
    this.table.findOrInsert(keys, hashes, m, out, (_, slot) => this.initSlot(slot, undefined));
    if (m > 0) this.#newShare = (this.table.size - before) / m;
  }

  /** Folds one input batch into the groups; returns the number of input rows dropped as late. */
  fold(batch: ColumnBatch, ctx: BatchContext, watermark: number): number {
    const scratch = this.#scratch;
    const { rows, n, ids, m, keys, dropped } = keyBatch(this.grouping, this.table, batch, ctx, watermark, scratch);
    const hashes = scratch.int32("fold.hashes", m);
    this.table.hash(keys, m, hashes);
    const slotOfLocal = scratch.int32("fold.slotOfLocal", m);
    this.#findOrInsert(keys, hashes, m, slotOfLocal);
    this.storedBatch()?.loadFresh();
    const changed = this.changed, chunks = this.completeChunks;
    for (let g = 0; g < m; g++) {
      changed.add(slotOfLocal[g]!);
      chunks.touch(slotOfLocal[g]!);
    }
    const slots = scratch.int32("fold.slots", n);
    for (let i = 0; i < n; i++) slots[i] = slotOfLocal[ids[i]!]!;

    this.#argEvaluators.forEach((args, a) => {
      let vecs = args.map((e) => e(batch, ctx.eval));
      if (rows !== null) vecs = vecs.map((v, k) => argRows(v, rows, n, scratch, `fold.arg${a}.${k}`));
      this.accumulators[a]!.update(vecs, slots, n);
    });
    return dropped;
  }

  /** Folds partial groups from a map side into the groups (the reduce side), column by column. */
  merge(partial: PartialGroups): void {
    const m = partial.count;
    if (m === 0) return;
    const keys = importKeys(this.table, partial);
    const hashes = new Int32Array(m);
    this.table.hash(keys, m, hashes);
    const slots = new Int32Array(m);
    this.#findOrInsert(keys, hashes, m, slots);
    this.storedBatch()?.loadFresh();
    mergeStates(this.accumulators, slots, partial);
    for (let j = 0; j < m; j++) {
      this.changed.add(slots[j]!);
      this.completeChunks.touch(slots[j]!);
    }
  }

  /** The groups in `slots` as a batch of the aggregation's grouping keys (a window as its struct) then aggregate buffers' results. */
  output(slots: Int32Array, partOfAll = false): ColumnBatch {
    return new ColumnBatch(this.#postSchema, groupColumns(this.table, this.windowIndex, this.window, this.accumulators, slots, partOfAll), slots.length);
  }
}
