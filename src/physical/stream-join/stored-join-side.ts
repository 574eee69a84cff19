import { keyString } from "../../columnar/key-string.ts";
import { StateError } from "../../common/errors.ts";
import type { StateKey, StateStore } from "../../state/state-store.ts";
import { evictRows, numRowsOf, type KeyRows } from "./key-rows.ts";

/**
 * What the side's store holds besides key records: the index entries' ids, how many of
 * each entry's rows eviction has passed, its length and the time of its next row, flat
 * ([id, passed, n, nextTime, …]); the next entry id; and the side's row count.
 */
interface Catalog { next: number; rows: number; entries: number[] }

interface Cached { rec: KeyRows | null; dirty: boolean }

/** An index entry: the (key, eviction time) of the rows one batch buffered, ordered by time. */
interface IndexEntry { keys: string[]; times: number[] }

const CATALOG = "x", ENTRY = "i", KEY = "k", NULL_KEYS = "z";
/** Rewrite an index entry as its remaining rows once half of it (and this many rows) is passed. */
const COMPACT_MIN_ROWS = 256;

/**
 * The store key of a join key's record: a single key part (of one type on both sides) as
 * itself, several as their `keyString`; null when a part is null (such a key never matches).
 */
export function keyRecord(values: readonly unknown[]): string | null {
  if (values.length === 1) {
    const v = values[0];
    if (v === null) return null;
    if (typeof v === "number" || typeof v === "string" || typeof v === "bigint" || typeof v === "boolean") return KEY + String(v);
  }
  for (const v of values) if (v === null) return null;
  return KEY + keyString(values);
}
export const nullKeyRecord = (id: number): string => NULL_KEYS + id;

/**
 * One side's buffered rows of a stream–stream join kept in its state store (Spark's
 * SymmetricHashJoinStateManager, with a key's rows in one record instead of
 * keyToNumValues + keyWithIndexToValue): a batch reads the records of the keys it touches
 * with one `getMany`, and writes each changed record once, at the end of the batch — so
 * its cost follows its rows, and with a disk-backed store the state may exceed memory.
 *
 * Eviction needs no scan of the state: each batch's buffered rows add an index entry
 * (`i<id>` → their keys ordered by eviction time), and the catalog (`x`) keeps, per entry,
 * the time of its first row not yet passed. Evicting at a threshold reads only the entries
 * whose next time is at or below it, walks them to the threshold and visits those keys:
 * the cost is the evicted rows' (a key still holding newer rows is revisited when an entry
 * of them comes due).
 */
export class StoredJoinSide {
  readonly #store: StateStore;
  readonly #width: number;
  #catalog: Catalog;
  /** The records read or written in this batch (null: the side holds none), and whether each is to be written. */
  readonly #records = new Map<string, Cached>();
  readonly #dirty: string[] = [];
  #catalogChanged = false;

  constructor(store: StateStore, width: number) {
    this.#store = store;
    this.#width = width;
    const catalog = store.get(CATALOG) as Catalog | undefined;
    if (catalog === undefined && store.numKeys > 0) {
      throw new StateError("the stream–stream join state holds records this rivulet does not write with a disk-backed state store: "
        + "the checkpoint was written by an earlier version of the join; start the query from a new checkpoint location");
    }
    this.#catalog = catalog === undefined ? { next: 0, rows: 0, entries: [] } : { ...catalog, entries: [...catalog.entries] };
  }

  get numRows(): number {
    return this.#catalog.rows;
  }

  /** A fresh id for this batch's rows with null keys. */
  newNullKeyRecord(): string {
    this.#catalogChanged = true;
    return nullKeyRecord(this.#catalog.next++);
  }

  /** The records of `keys` (store keys), undefined where the side holds none: read once per batch, together. */
  records(keys: readonly string[]): Array<KeyRows | undefined> {
    const out = new Array<KeyRows | undefined>(keys.length);
    const ask: StateKey[] = [];
    const askAt: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const cached = this.#records.get(keys[i]!);
      if (cached === undefined) { ask.push(keys[i]!); askAt.push(i); } else out[i] = cached.rec ?? undefined;
    }
    if (ask.length > 0) {
      const found = this.#store.getMany(ask) as Array<KeyRows | undefined>;
      for (let j = 0; j < ask.length; j++) {
        const rec = found[j];
        this.#records.set(ask[j] as string, { rec: rec ?? null, dirty: false });
        out[askAt[j]!] = rec;
      }
    }
    return out;
  }

  /** Replaces a key's record (read with `records` in this batch); null removes it. */
  set(key: string, rec: KeyRows | null, rowsAdded: number): void {
    const cached = this.#records.get(key);
    if (cached === undefined) {
      this.#records.set(key, { rec, dirty: true });
      this.#dirty.push(key);
    } else {
      cached.rec = rec;
      if (!cached.dirty) { cached.dirty = true; this.#dirty.push(key); }
    }
    if (rowsAdded !== 0) { this.#catalog.rows += rowsAdded; this.#catalogChanged = true; }
  }

  /** Marks a record (read with `records` in this batch) mutated in place: a matched flag. */
  touch(key: string): void {
    const cached = this.#records.get(key)!;
    if (!cached.dirty) { cached.dirty = true; this.#dirty.push(key); }
  }

  /** Indexes this batch's buffered rows with a finite eviction time: `keys[j]` holds a row evicted at `times[j]`. */
  addIndexEntry(keys: string[], times: number[]): void {
    if (keys.length === 0) return;
    let sorted = true;
    for (let j = 1; j < times.length; j++) if (times[j]! < times[j - 1]!) { sorted = false; break; }
    let entry: IndexEntry = { keys, times };
    if (!sorted) {
      const order = keys.map((_, j) => j).sort((a, b) => times[a]! - times[b]! || a - b);
      entry = { keys: order.map((j) => keys[j]!), times: order.map((j) => times[j]!) };
    }
    const id = this.#catalog.next++;
    this.#store.put(ENTRY + id, entry);
    this.#catalog.entries.push(id, 0, keys.length, entry.times[0]!);
    this.#catalogChanged = true;
  }

  /**
   * Removes every row whose eviction time is at or below `threshold`; `onEvicted` sees each
   * (its record, still readable, and index). Returns how many were removed.
   */
  evict(threshold: number, onEvicted: (rec: KeyRows, r: number) => void): number {
    const entries = this.#catalog.entries;
    const due: number[] = [];
    for (let e = 0; e < entries.length; e += 4) if (entries[e + 3]! <= threshold) due.push(e);
    if (due.length === 0) return 0;
    const found = this.#store.getMany(due.map((e) => ENTRY + entries[e]!)) as Array<IndexEntry | undefined>;
    const stored = new Map(due.map((e, j) => [e, found[j]]));
    const visit = new Set<string>();
    const kept: number[] = [];
    for (let e = 0; e < entries.length; e += 4) {
      if (!stored.has(e)) { kept.push(entries[e]!, entries[e + 1]!, entries[e + 2]!, entries[e + 3]!); continue; }
      const id = entries[e]!, n = entries[e + 2]!;
      const entry = stored.get(e);
      if (entry === undefined) throw new StateError(`the stream–stream join's state misses its index entry ${id}: the checkpoint is damaged`);
      let passed = entries[e + 1]!;
      while (passed < n && entry.times[passed]! <= threshold) visit.add(entry.keys[passed++]!);
      if (passed === n) { this.#store.remove(ENTRY + id); continue; }
      if (2 * passed >= n && n >= COMPACT_MIN_ROWS) {
        this.#store.put(ENTRY + id, { keys: entry.keys.slice(passed), times: entry.times.slice(passed) });
        kept.push(id, 0, n - passed, entry.times[passed]!);
      } else {
        kept.push(id, passed, n, entry.times[passed]!);
      }
    }
    this.#catalog.entries = kept;
    this.#catalogChanged = true;
    const keys = [...visit];
    const recs = this.records(keys);
    let removed = 0;
    for (let i = 0; i < keys.length; i++) {
      const rec = recs[i];
      if (rec === undefined) continue;
      const left = evictRows(rec, this.#width, threshold, (r) => { removed++; onEvicted(rec, r); });
      if (left !== rec) this.set(keys[i]!, left, 0);
    }
    this.#catalog.rows -= removed;
    return removed;
  }

  /** Writes the batch's changed records and the catalog into the store (before its commit). */
  flush(): void {
    for (const key of this.#dirty) {
      const cached = this.#records.get(key)!;
      const rec = cached.rec;
      if (rec === null || numRowsOf(rec) === 0) this.#store.remove(key);
      else this.#store.put(key, rec);
      cached.dirty = false;
    }
    this.#dirty.length = 0;
    if (this.#catalogChanged) this.#store.put(CATALOG, this.#catalog);
    this.#catalogChanged = false;
  }
}
