import type { StateStore } from "../../state/state-store.ts";

/** One buffered input row of a join side (Spark's keyWithIndexToValue value: the row and its "matched" flag). */
export interface BufferedRow {
  readonly values: readonly unknown[];
  /** Whether the row has joined with a row of the other side (outer and semi joins read it). */
  matched: boolean;
  /** The event time (µs) its eviction is decided on: the join key's or the row's watermarked column; null never evicts. */
  readonly evictTime: number | null;
}

/** What is kept in the state store for a buffered row. */
type StoredRow = [values: readonly unknown[], matched: boolean, evictTime: number | null];

const NUM_VALUES = "n\u0000";
const VALUE = "v\u0000";
const numValuesKey = (key: string): string => NUM_VALUES + key;
const valueKey = (key: string, index: number): string => `${VALUE}${index}\u0000${key}`;

/**
 * One side's rows of a stream–stream join, by join key (Spark's SymmetricHashJoinStateManager).
 * In the store, as Spark's two state stores per side: `n␀<key>` → number of rows of the key
 * (keyToNumValues) and `v␀<index>␀<key>` → [row, matched, evictTime] (keyWithIndexToValue).
 * The rows live in memory between batches; only the keys a batch touched are written back,
 * from the first index that changed.
 */
export class JoinSideState {
  #rows = new Map<string, BufferedRow[]>();
  /** Per key changed in this batch: the lowest index whose row changed. */
  #changedFrom = new Map<string, number>();
  #numRows = 0;

  get numRows(): number {
    return this.#numRows;
  }

  get(key: string): readonly BufferedRow[] | undefined {
    return this.#rows.get(key);
  }

  append(key: string, row: BufferedRow): void {
    let list = this.#rows.get(key);
    if (list === undefined) this.#rows.set(key, (list = []));
    this.#changed(key, list.length);
    list.push(row);
    this.#numRows++;
  }

  /** Sets the matched flag of row `index` of `key`. */
  markMatched(key: string, index: number): void {
    const row = this.#rows.get(key)![index]!;
    if (row.matched) return;
    row.matched = true;
    this.#changed(key, index);
  }

  /** Removes (and returns) every row `evict` says can no longer join (Spark's removeByKeyCondition / removeByValueCondition). */
  removeWhere(evict: (row: BufferedRow) => boolean): BufferedRow[] {
    const removed: BufferedRow[] = [];
    for (const [key, list] of this.#rows) {
      const first = list.findIndex(evict);
      if (first < 0) continue;
      const kept = list.slice(0, first);
      for (let i = first; i < list.length; i++) (evict(list[i]!) ? removed : kept).push(list[i]!);
      this.#numRows -= list.length - kept.length;
      this.#changed(key, first);
      if (kept.length === 0) this.#rows.delete(key); else this.#rows.set(key, kept);
    }
    return removed;
  }

  /** Rebuilds the rows from a loaded store. */
  restore(store: StateStore): void {
    this.#rows = new Map();
    this.#changedFrom = new Map();
    this.#numRows = 0;
    for (const [k, v] of store.entries()) {
      const text = String(k);
      if (!text.startsWith(VALUE)) continue;
      const sep = text.indexOf("\u0000", VALUE.length);
      const index = Number(text.slice(VALUE.length, sep));
      const key = text.slice(sep + 1);
      const [values, matched, evictTime] = v as StoredRow;
      let list = this.#rows.get(key);
      if (list === undefined) this.#rows.set(key, (list = []));
      list[index] = { values, matched, evictTime };
      this.#numRows++;
    }
  }

  /** Writes this batch's changes into the store of the next version (loaded at the previous one). */
  writeChanges(store: StateStore): void {
    for (const [key, from] of this.#changedFrom) {
      const list = this.#rows.get(key) ?? [];
      const before = (store.get(numValuesKey(key)) as number | undefined) ?? 0;
      for (let i = from; i < list.length; i++) {
        const row = list[i]!;
        store.put(valueKey(key, i), [row.values, row.matched, row.evictTime] satisfies StoredRow);
      }
      for (let i = list.length; i < before; i++) store.remove(valueKey(key, i));
      if (list.length === 0) store.remove(numValuesKey(key));
      else if (list.length !== before) store.put(numValuesKey(key), list.length);
    }
    this.#changedFrom.clear();
  }

  /** Forgets which keys changed (when no state is kept). */
  clearChanges(): void {
    this.#changedFrom.clear();
  }

  #changed(key: string, index: number): void {
    const from = this.#changedFrom.get(key);
    if (from === undefined || index < from) this.#changedFrom.set(key, index);
  }
}
