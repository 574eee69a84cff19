import type { ColumnBatch } from "../../../columnar/column-batch.ts";
import type { GroupsAccumulator } from "../../../expr/aggregates/index.ts";
import type { StateStore } from "../../../state/state-store.ts";
import { ChangedSlots } from "../../group-table/changed-slots.ts";
import type { GroupTable } from "../../group-table/group-table.ts";
import { StoredGroups } from "./stored-groups.ts";

/** Groups per output batch when complete mode reads every group from the store. */
const COMPLETE_CHUNK = 65_536;

/** What a stored batch uses of the aggregation's group table: its slots hold this batch's groups only. */
export interface BatchTable {
  readonly table: GroupTable;
  readonly accumulators: readonly GroupsAccumulator[];
  /** The state key of a slot's group (built once, kept with the slot). */
  stateKeyOf(slot: number): string;
  setStateKey(slot: number, key: string): void;
  /** When the watermark closes the group in `slot` (Infinity: never). */
  closingTime(slot: number): number;
  /** Empties the table (and the accumulators' slots). */
  clear(): void;
}

/** The groups a watermark closed in a batch: the batch's slots among them, and the slots to emit (append mode), in closing order. */
export interface ClosedGroups {
  readonly slots: ChangedSlots;
  readonly emit: Int32Array;
  readonly count: number;
}

/**
 * One micro-batch of an aggregation whose groups live in its state stores (Spark's
 * StateStoreRestore + StateStoreSave around a batch-local hash aggregation): the table starts
 * empty; each group the batch makes takes its stored state (`loadFresh`, one `getMany` for
 * the groups an input chunk made) before that chunk's rows fold into it, so that the rows
 * fold in the order the in-memory path folds them; at the end the changed groups are put
 * back and the closed ones removed. The batch's work follows its rows and the groups it
 * touches or closes, never the number of groups stored.
 */
export class StoredBatch {
  readonly groups: StoredGroups;
  readonly #t: BatchTable;
  /** Slots made since the last loadFresh. */
  readonly #fresh: number[] = [];
  /** Slots of this batch whose group the store held before it. */
  readonly #existed = new ChangedSlots();
  readonly #closed = new ChangedSlots();

  constructor(stores: readonly StateStore[], indexed: boolean, table: BatchTable) {
    this.#t = table;
    this.groups = new StoredGroups(stores, indexed);
    if (this.groups.needsIndexRebuild) {
      this.groups.rebuildIndex(([keyValues]) => this.#closingTimeOfValues(keyValues));
      table.clear();
    }
  }

  /** The table made `slot` for a group of this batch. */
  added(slot: number): void {
    this.#fresh.push(slot);
  }

  /** The groups made since the last call take their stored state, if any: one lookup for all. */
  loadFresh(): void {
    const fresh = this.#fresh;
    if (fresh.length === 0) return;
    const found = this.groups.getMany(fresh.map((s) => this.#t.stateKeyOf(s)));
    const accumulators = this.#t.accumulators;
    for (let j = 0; j < fresh.length; j++) {
      const state = found[j];
      if (state === undefined) continue;
      const slot = fresh[j]!;
      state[1].forEach((b, k) => accumulators[k]!.setState(slot, b));
      this.#existed.add(slot);
    }
    fresh.length = 0;
  }

  /** Indexes the groups this batch created by the time that closes them. */
  indexNew(updated: Int32Array): void {
    for (const s of updated) if (!this.#existed.has(s)) this.groups.index(this.#t.stateKeyOf(s), this.#t.closingTime(s));
  }

  /**
   * Removes the groups closing at or below `watermark` from the store; returns the batch's
   * slots among them and, with `emit` (append mode), the slots of all of them in closing
   * order, those the batch did not touch read from the store into the table.
   */
  takeClosed(watermark: number, updated: Int32Array, emit: boolean): ClosedGroups {
    const gone = this.#closed;
    gone.reset();
    const { keys } = this.groups.takeClosed(watermark);
    const out = new Int32Array(emit ? keys.length : 0);
    if (keys.length === 0) return { slots: gone, emit: out, count: 0 };
    const slotOf = new Map<string, number>();
    for (const s of updated) slotOf.set(this.#t.stateKeyOf(s), s);
    // The others read together (in hash order in a disk store): their states are needed to be emitted.
    const states = this.groups.getMany(keys.filter((k) => !slotOf.has(k)));
    const { table, accumulators } = this.#t;
    let count = 0;
    let e = 0;
    for (const key of keys) {
      let slot = slotOf.get(key);
      if (slot === undefined) {
        const state = states[e++];
        if (state === undefined) continue; // not stored (never happens: a group leaves the index when it leaves the store)
        this.groups.remove(key);
        if (emit) {
          slot = table.findOrInsertValues(state[0]).slot;
          this.#t.setStateKey(slot, key);
          const s = slot;
          state[1].forEach((b, k) => accumulators[k]!.setState(s, b));
        }
      } else {
        gone.add(slot);
        if (this.#existed.has(slot)) this.groups.remove(key);
      }
      if (emit) out[count] = slot!;
      count++;
    }
    return { slots: gone, emit: out.subarray(0, emit ? count : 0), count };
  }

  /** Puts the changed groups that stay, and writes the index's changes. */
  save(updated: Int32Array, closed: ClosedGroups | null): void {
    const { table, accumulators } = this.#t;
    for (const s of updated) {
      if (closed?.slots.has(s)) continue;
      this.groups.put(this.#t.stateKeyOf(s), [table.keyValues(s), accumulators.map((a) => a.getState(s))]);
    }
    this.groups.finish();
  }

  /** Complete mode: every group, read from the stores into the (emptied) table a chunk at a time, and emitted by `output`. */
  outputAll(output: (slots: Int32Array) => ColumnBatch): ColumnBatch[] {
    const { table, accumulators } = this.#t;
    const out: ColumnBatch[] = [];
    const flush = (): void => {
      out.push(output(table.liveSlots()));
      this.#t.clear();
    };
    this.#t.clear();
    for (const [keyValues, buffers] of this.groups.groups()) {
      const { slot } = table.findOrInsertValues(keyValues);
      buffers.forEach((b, k) => accumulators[k]!.setState(slot, b));
      if (table.size >= COMPLETE_CHUNK) flush();
    }
    if (table.size > 0 || out.length === 0) flush();
    return out;
  }

  /** The closing time of a group given by its key values (indexing groups stored before the index existed). */
  #closingTimeOfValues(keyValues: unknown[]): number {
    const { slot, created } = this.#t.table.findOrInsertValues(keyValues);
    const closes = this.#t.closingTime(slot);
    if (created) this.#t.table.remove(slot);
    return closes;
  }
}
