import { StateError } from "../../common/errors.ts";
import { removeKnownKey, type StateKey, type StateStore } from "../../state/state-store.ts";
import type { Vec } from "../../columnar/vector.ts";
import { appendRows, evictRows, hasSegments, isEmptyRecord, numRowsOf, segmentsOf, withSegments, type KeyRows } from "./key-rows.ts";
import { isSegmentKey, segmentKey, segmentOf, type StoredJoinKeys } from "./stored-join-keys.ts";
import { hasLocator, matchedSlot, StoredMatchedFlags } from "./stored-matched.ts";
import { loadedEntry, storedEntry, type StoredIndexEntry } from "./stored-index-entry.ts";

/**
 * What the side's store holds besides key records: the layout's version; the index
 * entries' ids, how many of each entry's rows eviction has passed, its length and the time
 * of its next row, flat ([id, passed, n, nextTime, …]); the next entry id; the side's
 * row count; and (layout 5) the latest eviction time of a row appended to a record an
 * earlier batch wrote (-Infinity: none), which bounds when a sole row's record may be
 * removed unread.
 */
interface Catalog { v: number; next: number; rows: number; entries: number[]; appendedUntil?: number }

/**
 * The layout this rivulet writes: 5, index entries marking their sole rows and the catalog
 * the latest time appended to an older record (a rivulet of layout 4 would append without
 * it, so it must refuse 5). It reads 4 (the matched flags of a tracking side's indexed rows
 * by index entry, stored-matched.ts) and 3 (integral join keys as numbers, index entries as
 * arrays, segments; every flag in its row's record), whose entries mark no row sole.
 */
const LAYOUT = 5;
const READABLE_LAYOUTS: readonly number[] = [3, 4, 5];
/** A key's record takes appended rows up to this many; then they go to segment records of this many. */
export const SEGMENT_ROWS = 32;
const CATALOG = "x", ENTRY = "i", NULL_KEYS = "z";
/** Rewrite an index entry as its remaining rows once half of it (and this many rows) is passed. */
const COMPACT_MIN_ROWS = 256;

export const nullKeyRecord = (id: number): string => NULL_KEYS + id;

/**
 * One side's buffered rows of a stream–stream join kept in its state store (Spark's
 * SymmetricHashJoinStateManager, with a key's rows in one record instead of
 * keyToNumValues + keyWithIndexToValue), for one batch: it reads the records of the keys
 * it touches with one `getMany` a step, and writes each changed record once, at the end of
 * the batch — so its cost follows its rows, and with a disk-backed store the state may
 * exceed memory. Records are addressed by the batch's key ids (stored-join-keys.ts).
 *
 * A key holding many rows keeps the later ones in segments (`s<key>/<j>`, listed in its
 * first record), each of at most SEGMENT_ROWS rows: appending rewrites the last segment and
 * the first record's list at most, not all the key's rows; eviction rewrites only the
 * segments it takes rows from and drops the emptied ones.
 *
 * A side that tracks matches keeps its indexed rows' matched flags by index entry
 * (`m<entry>`, stored-matched.ts), so that matching rows buffered by earlier batches
 * rewrites an entry's flags, not each row's key record.
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
  readonly #keys: StoredJoinKeys;
  #catalog: Catalog;
  /** By key id: the record read or written in this batch (null: none), whether it was read, whether it is to be written. */
  readonly #recs: Array<KeyRows | null> = [];
  #read = new Uint8Array(64);
  #dirty = new Uint8Array(64);
  readonly #dirtyIds: number[] = [];
  #catalogChanged = false;
  /** The matched flags by index entry, for a side that tracks matches (null: flags stay in the records). */
  readonly matched: StoredMatchedFlags | null;

  constructor(store: StateStore, width: number, keys: StoredJoinKeys, tracksMatched = false) {
    this.#store = store;
    this.#width = width;
    this.#keys = keys;
    this.matched = tracksMatched ? new StoredMatchedFlags(store) : null;
    const catalog = store.get(CATALOG) as Catalog | undefined;
    if ((catalog === undefined && store.numKeys > 0) || (catalog !== undefined && !READABLE_LAYOUTS.includes(catalog.v))) {
      throw new StateError("the stream–stream join state holds records this rivulet does not write with a disk-backed state store: "
        + "the checkpoint was written by an earlier version of the join; start the query from a new checkpoint location");
    }
    this.#catalog = catalog === undefined ? { v: LAYOUT, next: 0, rows: 0, entries: [] } : { ...catalog, v: LAYOUT, entries: [...catalog.entries] };
  }

  get numRows(): number {
    return this.#catalog.rows;
  }

  /** The key id of a fresh record for this batch's rows with null keys. */
  newNullKeyRecord(): number {
    this.#catalogChanged = true;
    return this.#keys.idOf(nullKeyRecord(this.#catalog.next++));
  }

  /** Reads the records of ids[0 … m) not read in this batch yet, together (one getMany). */
  read(ids: ArrayLike<number>, m: number): void {
    this.#grow(this.#keys.size);
    const ask: StateKey[] = [];
    const askAt: number[] = [];
    for (let j = 0; j < m; j++) {
      const id = ids[j]!;
      if (this.#read[id] === 1) continue;
      this.#read[id] = 1;
      ask.push(this.#keys.keys[id]!);
      askAt.push(id);
    }
    if (ask.length === 0) return;
    const found = this.#store.getMany(ask) as Array<KeyRows | undefined>;
    for (let j = 0; j < ask.length; j++) this.#recs[askAt[j]!] = found[j] ?? null;
  }

  /** Reads the records of key ids[0 … m): their first records, then their segments. */
  readKeys(ids: ArrayLike<number>, m: number): void {
    this.read(ids, m);
    const segments: number[] = [];
    for (let j = 0; j < m; j++) {
      const rec = this.#recs[ids[j]!];
      if (rec !== null && rec !== undefined && hasSegments(rec, this.#width)) {
        for (const s of segmentsOf(rec, this.#width)) segments.push(this.#keys.idOf(segmentKey(this.#keys.keys[ids[j]!]!, s)));
      }
    }
    this.read(segments, segments.length);
  }

  /** The ids of the segment records of a key read with readKeys (none for a key whose rows fit its first record). */
  segmentIdsOf(id: number): readonly number[] {
    const rec = this.#recs[id];
    if (rec === null || rec === undefined || !hasSegments(rec, this.#width)) return [];
    const head = this.#keys.keys[id]!;
    return segmentsOf(rec, this.#width).map((s) => this.#keys.idOf(segmentKey(head, s)));
  }

  /** Reads the last segments of key ids[0 … m) (read before) that appending would rewrite. */
  readLastSegments(ids: ArrayLike<number>, m: number): void {
    const last: number[] = [];
    for (let j = 0; j < m; j++) {
      const rec = this.#recs[ids[j]!];
      if (rec === null || rec === undefined || !hasSegments(rec, this.#width)) continue;
      const segments = segmentsOf(rec, this.#width);
      last.push(this.#keys.idOf(segmentKey(this.#keys.keys[ids[j]!]!, segments.at(-1)!)));
    }
    this.read(last, last.length);
  }

  /**
   * Appends rows `rows` of `columns` (with their times and matched flags, by row) to key
   * `id` (read, with its last segment): to its first record while it has room, else to its
   * last segment while that has room, else to a new segment. Returns the id of the record
   * that took them.
   */
  append(id: number, columns: readonly Vec[], rows: Int32Array, times: Float64Array, matched: ArrayLike<number>): number {
    const width = this.#width;
    const head = this.#recs[id] ?? null;
    const m = rows.length;
    if (head !== null) {
      let until = this.#catalog.appendedUntil ?? -Infinity;
      for (let j = 0; j < m; j++) until = Math.max(until, times[rows[j]!]!);
      if (until !== this.#catalog.appendedUntil) { this.#catalog.appendedUntil = until; this.#catalogChanged = true; }
    }
    const segments = head === null ? [] : segmentsOf(head, width);
    if (head === null || (segments.length === 0 && numRowsOf(head) + m <= SEGMENT_ROWS)) {
      this.set(id, appendRows(head ?? undefined, width, columns, rows, times, matched), m);
      return id;
    }
    const key = this.#keys.keys[id]!;
    if (segments.length > 0) {
      const last = this.#keys.idOf(segmentKey(key, segments.at(-1)!));
      const rec = this.#recs[last];
      if (rec !== null && rec !== undefined && numRowsOf(rec) + m <= SEGMENT_ROWS) {
        this.set(last, appendRows(rec, width, columns, rows, times, matched), m);
        return last;
      }
    }
    const j = segments.length === 0 ? 0 : segments.at(-1)! + 1;
    const segment = this.#keys.idOf(segmentKey(key, j));
    this.set(segment, appendRows(undefined, width, columns, rows, times, matched), m);
    this.set(id, withSegments(head, width, [...segments, j]), 0);
    return segment;
  }

  /** The record of a key id read in this batch (null: the side holds no row of it). */
  record(id: number): KeyRows | null {
    return this.#recs[id] ?? null;
  }

  /** Replaces a key's record (read in this batch); null removes it. */
  set(id: number, rec: KeyRows | null, rowsAdded: number): void {
    this.#grow(this.#keys.size);
    this.#recs[id] = rec;
    this.#read[id] = 1;
    this.touch(id);
    if (rowsAdded !== 0) { this.#catalog.rows += rowsAdded; this.#catalogChanged = true; }
  }

  /** Marks a record (read in this batch) to be written: changed in place (a matched flag) or replaced. */
  touch(id: number): void {
    if (this.#dirty[id] === 1) return;
    this.#dirty[id] = 1;
    this.#dirtyIds.push(id);
  }

  /**
   * The index entry of this batch's rows order[0 … m) (batch rows, in the order they are
   * appended), before they are: the entry's id (-1: no row has a finite eviction time), each
   * row's position in it (by time, ties in order; -1: not indexed) and its times in that
   * order, and the rows' flag slots by batch row (0 … numRows): a locator of an indexed row
   * of a side that tracks matches (its flag set now if it matched already), else its flag.
   */
  planEntry(order: Int32Array, m: number, times: Float64Array, matched: Uint8Array, numRows: number):
    { id: number; positions: Int32Array; times: Float64Array; slots: Float64Array } {
    const indexed: number[] = [];
    for (let o = 0; o < m; o++) if (times[order[o]!]! < Infinity) indexed.push(o);
    let sorted = true;
    for (let j = 1; j < indexed.length; j++) if (times[order[indexed[j]!]!]! < times[order[indexed[j - 1]!]!]!) { sorted = false; break; }
    if (!sorted) indexed.sort((a, b) => times[order[a]!]! - times[order[b]!]! || a - b);
    const positions = new Int32Array(m).fill(-1);
    const entryTimes = new Float64Array(indexed.length);
    for (let j = 0; j < indexed.length; j++) { positions[indexed[j]!] = j; entryTimes[j] = times[order[indexed[j]!]!]!; }
    const id = indexed.length === 0 ? -1 : this.#catalog.next++;
    const slots = new Float64Array(numRows);
    const flags = this.matched;
    if (flags !== null && id >= 0) flags.created(id);
    for (let o = 0; o < m; o++) {
      const row = order[o]!, p = positions[o]!;
      slots[row] = flags === null || p < 0 ? matched[row]! : matchedSlot(id, p, matched[row]!);
      if (slots[row]! >= 2 && matched[row] === 1) flags!.mark(id, p);
    }
    return { id, positions, times: entryTimes, slots };
  }

  /**
   * Stores index entry `id` (planEntry's): `keys[j]` names the record holding its row at
   * `times[j]`, its only row when `sole[j]` is 1.
   */
  putEntry(id: number, keys: StateKey[], times: Float64Array, sole?: Uint8Array): void {
    if (keys.length === 0) return;
    this.#store.put(ENTRY + id, storedEntry(keys, times, sole));
    this.#catalog.entries.push(id, 0, keys.length, times[0]!);
    this.#catalogChanged = true;
  }

  /**
   * Removes every row whose eviction time is at or below `threshold`; `onEvicted` sees each
   * (its record, still readable, and index). Returns how many were removed.
   *
   * When the caller needs no evicted row's values (`needs` "none"), or only the unmatched
   * ones' ("unmatched") and the side keeps its flags by entry, a sole row's record is removed
   * unread — a read of a cold key saved a row — if that row needs no output (matched, or none
   * asked) and no row appended to an older record is due after `threshold` (so none is in it).
   */
  evict(threshold: number, onEvicted: (rec: KeyRows, r: number) => void, needs: "all" | "unmatched" | "none" = "all"): number {
    const flags = this.matched;
    const blind = (needs === "none" || (needs === "unmatched" && flags !== null)) && threshold >= (this.#catalog.appendedUntil ?? -Infinity);
    const blindKeys: StateKey[] = [];
    const entries = this.#catalog.entries;
    const due: number[] = [];
    for (let e = 0; e < entries.length; e += 4) if (entries[e + 3]! <= threshold) due.push(e);
    if (due.length === 0) return 0;
    const found = this.#store.getMany(due.map((e) => ENTRY + entries[e]!)) as Array<StoredIndexEntry | undefined>;
    const stored = new Map(due.map((e, j) => [e, found[j] === undefined ? undefined : loadedEntry(found[j]!)]));
    // A sole row of a side that tracks matches goes unread only by its locator (its flag by entry), so the flags are read first.
    if (blind && needs === "unmatched" && flags !== null) flags.readEntries(due.filter((_, j) => found[j]?.sole !== undefined).map((e) => entries[e]!));
    const unread = (id: number, position: number): boolean => flags === null
      || (hasLocator(id, position) && (needs === "none" || flags.isMatchedAt(id, position)));
    const dueKeys: number[] = [];
    const kept: number[] = [];
    const done: number[] = [];
    for (let e = 0; e < entries.length; e += 4) {
      if (!stored.has(e)) { kept.push(entries[e]!, entries[e + 1]!, entries[e + 2]!, entries[e + 3]!); continue; }
      const id = entries[e]!, n = entries[e + 2]!;
      const entry = stored.get(e);
      if (entry === undefined) throw new StateError(`the stream–stream join's state misses its index entry ${id}: the checkpoint is damaged`);
      let passed = entries[e + 1]!;
      const sole = blind ? entry.sole : undefined;
      const from = entry.from ?? 0;
      for (; passed < n && entry.times[passed]! <= threshold; passed++) {
        // A sole row's key gets no id (most are not in this batch otherwise: numbering them would fill the batch's key map).
        if (sole?.[passed] === 1 && unread(id, from + passed)) blindKeys.push(entry.keys[passed]!);
        else dueKeys.push(this.#keys.idOf(entry.keys[passed]!));
      }
      if (passed === n) { this.#store.remove(ENTRY + id); done.push(id); continue; }
      if (2 * passed >= n && n >= COMPACT_MIN_ROWS) {
        this.#store.put(ENTRY + id, storedEntry(Array.from(entry.keys).slice(passed), entry.times.slice(passed), entry.sole?.slice(passed), (entry.from ?? 0) + passed));
        kept.push(id, 0, n - passed, entry.times[passed]!);
      } else {
        kept.push(id, passed, n, entry.times[passed]!);
      }
    }
    this.#catalog.entries = kept;
    this.#catalogChanged = true;
    // Each key once (a key may have several rows due).
    const seen = new Uint8Array(this.#keys.size);
    const visit: number[] = [];
    for (const id of dueKeys) if (seen[id] === 0) { seen[id] = 1; visit.push(id); }
    let removed = this.#removeUnread(blindKeys, seen, visit);
    this.read(visit, visit.length);
    this.matched?.readDue(visit.map((id) => this.#recs[id]), threshold);
    const emptied: number[] = [];
    for (const id of visit) {
      const rec = this.#recs[id];
      if (rec === null || rec === undefined) continue;
      const left = evictRows(rec, this.#width, threshold, (r) => { removed++; onEvicted(rec, r); });
      if (left === rec) continue;
      this.set(id, left, 0);
      if (isEmptyRecord(left) && isSegmentKey(this.#keys.keys[id]!)) emptied.push(id);
    }
    this.#catalog.rows -= removed;
    // Emptied segments leave their key's list (its first record, read together).
    if (emptied.length > 0) {
      const of = emptied.map((id) => segmentOf(this.#keys.keys[id] as string));
      const heads = of.map((s) => this.#keys.idOf(s.head));
      this.read(heads, heads.length);
      for (let e = 0; e < emptied.length; e++) {
        const head = this.#recs[heads[e]!];
        if (head === null || head === undefined) continue;
        this.set(heads[e]!, withSegments(head, this.#width, segmentsOf(head, this.#width).filter((s) => s !== of[e]!.j)), 0);
      }
    }
    // An entry passed whole has no row left in the state: its matched flags go too.
    this.matched?.drop(done);
    return removed;
  }

  /**
   * Removes the records of sole rows' keys unread (each held only its row), but for keys
   * this batch read already or evicts through another row too (they have an id: the due
   * keys are numbered first): those join `visit`. A key is sole in at most one of the rows
   * left (a record taking a second row makes it not sole), so a key without an id comes once.
   * Returns how many rows went.
   */
  #removeUnread(keys: readonly StateKey[], seen: Uint8Array, visit: number[]): number {
    this.#grow(this.#keys.size);
    let removed = 0;
    for (const key of keys) {
      const id = this.#keys.idIfKnown(key);
      if (id < 0) {
        removeKnownKey(this.#store, key);
        removed++;
        continue;
      }
      if (seen[id] === 1) continue;
      seen[id] = 1;
      if (this.#read[id] === 1) { visit.push(id); continue; }
      removeKnownKey(this.#store, key);
      this.#recs[id] = null;
      this.#read[id] = 1;
      removed++;
    }
    return removed;
  }

  /** Writes the batch's changed records and the catalog into the store (before its commit). */
  flush(): void {
    const keys = this.#keys.keys;
    for (const id of this.#dirtyIds) {
      const rec = this.#recs[id] ?? null;
      if (rec === null || isEmptyRecord(rec)) this.#store.remove(keys[id]!);
      else this.#store.put(keys[id]!, rec);
      this.#dirty[id] = 0;
    }
    this.#dirtyIds.length = 0;
    this.matched?.flush();
    if (this.#catalogChanged) this.#store.put(CATALOG, this.#catalog);
    this.#catalogChanged = false;
  }

  #grow(size: number): void {
    while (this.#recs.length < size) this.#recs.push(null);
    if (this.#read.length >= size) return;
    const cap = Math.max(size, this.#read.length * 2);
    const read = new Uint8Array(cap); read.set(this.#read); this.#read = read;
    const dirty = new Uint8Array(cap); dirty.set(this.#dirty); this.#dirty = dirty;
  }
}
