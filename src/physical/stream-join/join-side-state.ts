import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Vec } from "../../columnar/vector.ts";
import { StateError } from "../../common/errors.ts";
import type { StateStore } from "../../state/state-store.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import { slotColumn, type SlotColumn } from "./slot-columns.ts";
import { loadedVec, storedVec, type StoredVec } from "./stored-vec.ts";

/** What the store keeps of a chunk: its rows (ordered by eviction time) as columns, their join keys and eviction times. */
interface ChunkRecord {
  readonly n: number;
  /** Eviction time (µs) per row, ascending; +Infinity never evicts. */
  readonly times: Float64Array;
  readonly keys: readonly StoredVec[];
  readonly columns: readonly StoredVec[];
}

/**
 * The rows one batch buffered, ordered by eviction time: the side's time-ordered index.
 * Eviction takes a prefix, so a batch evicts by walking each chunk's head, and the store
 * records a chunk's evicted rows as one count.
 */
interface Chunk {
  readonly id: number;
  n: number;
  evicted: number;
  times: Float64Array;
  /** The row slot of each of the chunk's rows. */
  slots: Int32Array;
  /** The record to put at the next write (a new or compacted chunk). */
  pending: ChunkRecord | null;
  evictedChanged: boolean;
  matchedChanged: boolean;
}

/** Turns join key vectors into key slots of the operator's key table (-1 for a row with a null key). */
export type KeySlotsOf = (keys: readonly Vec[], rows: Int32Array, m: number) => Int32Array;

/** What one eviction removed. */
export interface Eviction {
  readonly removed: number;
  /** Slots of evicted rows that never matched (when asked for): still readable until the next append. */
  readonly unmatched: Int32Array;
  /** Key slots this side no longer holds rows for. */
  readonly emptiedKeys: readonly number[];
}

const CHUNK = "c", EVICTED = "e", MATCHED = "m";
/** Compact a chunk once at least half of it (and this many rows) is evicted. */
const COMPACT_MIN_ROWS = 256;

/**
 * One side's buffered rows of a stream–stream join (Spark's SymmetricHashJoinStateManager),
 * columnar: each column a typed array by row slot, each join key a chain of slots (by key
 * slot of the operator's key table), and each batch's rows a chunk ordered by eviction time.
 * A batch costs what its rows and its evicted rows cost, not what the state holds.
 *
 * In the store (one per side), per chunk: `c<id>` → its rows as columns, keys and eviction
 * times (put once, and again when compacted), `e<id>` → how many of them are evicted, and
 * `m<id>` → their matched flags (outer and semi sides); all removed with the chunk's last row.
 */
export class JoinSideState {
  readonly columns: SlotColumn[];
  readonly keyColumns: SlotColumn[];
  next = new Int32Array(16);
  prev = new Int32Array(16);
  keySlot = new Int32Array(16);
  matched = new Uint8Array(16);
  #chunkOf = new Int32Array(16);
  #free: number[] = [];
  #numSlots = 0;
  /** First and last row slot per key slot, -1 when the side holds no row of the key. */
  head = new Int32Array(0);
  #tail = new Int32Array(0);
  #chunks = new Map<number, Chunk>();
  #removedChunks: number[] = [];
  #nextChunkId = 0;
  #numRows = 0;
  #evictedSinceCompaction = 0;

  constructor(
    readonly schema: StructType,
    readonly keyTypes: readonly DataType[],
    /** Whether the matched flags are kept (an outer side, a semi join's left side). */
    readonly tracksMatched: boolean,
  ) {
    this.columns = schema.fields.map((f) => slotColumn(f.dataType));
    this.keyColumns = keyTypes.map(slotColumn);
  }

  get numRows(): number {
    return this.#numRows;
  }

  /** Makes room for key slots below `n`. */
  growKeySlots(n: number): void {
    if (this.head.length >= n) return;
    const cap = Math.max(n, this.head.length * 2, 64);
    const head = new Int32Array(cap).fill(-1);
    head.set(this.head);
    const tail = new Int32Array(cap).fill(-1);
    tail.set(this.#tail);
    this.head = head;
    this.#tail = tail;
  }

  markMatched(slot: number): void {
    if (this.matched[slot] === 1) return;
    this.matched[slot] = 1;
    this.#chunks.get(this.#chunkOf[slot]!)!.matchedChanged = true;
  }

  /**
   * Buffers rows `rows[0 … m)` of `batch` (with their key vectors, key slots, matched flags
   * and eviction times, all by batch row) as one chunk. With `persist`, the chunk's record
   * is kept for the next write.
   */
  append(batch: ColumnBatch, keys: readonly Vec[], rows: Int32Array, m: number, keySlots: Int32Array,
    matched: Uint8Array, times: Float64Array, persist: boolean): void {
    if (m === 0) return;
    this.#compactDictionaries();
    const order = byTime(rows.subarray(0, m), times);
    const slots = this.#allocate(m);
    this.columns.forEach((c, k) => c.write(batch.columns[k]!, order, slots, m));
    this.keyColumns.forEach((c, k) => c.write(keys[k]!, order, slots, m));
    const chunk: Chunk = {
      id: this.#nextChunkId++, n: m, evicted: 0, times: new Float64Array(m), slots, pending: null, evictedChanged: false, matchedChanged: false,
    };
    for (let j = 0; j < m; j++) {
      const r = order[j]!, s = slots[j]!;
      chunk.times[j] = times[r]!;
      this.matched[s] = matched[r]!;
      if (matched[r] === 1 && this.tracksMatched) chunk.matchedChanged = true;
      this.#chunkOf[s] = chunk.id;
      this.#link(s, keySlots[r]!);
    }
    this.#chunks.set(chunk.id, chunk);
    this.#numRows += m;
    if (persist) {
      chunk.pending = {
        n: m, times: chunk.times,
        keys: this.keyColumns.map((c) => storedVec(c.gather(slots, m))),
        columns: this.columns.map((c) => storedVec(c.gather(slots, m))),
      };
    }
  }

  /**
   * Removes the rows whose eviction time is at or below `threshold` (Spark's
   * removeByKeyCondition / removeByValueCondition), chunk by chunk from each head; with
   * `unmatched`, returns those that never matched, for an outer join's null rows.
   */
  evict(threshold: number, unmatched: boolean, persist: boolean): Eviction {
    const out: number[] = [];
    const emptiedKeys: number[] = [];
    let removed = 0;
    for (const chunk of this.#chunks.values()) {
      const { times, slots, n } = chunk;
      let e = chunk.evicted;
      if (e >= n || !(times[e]! <= threshold)) continue;
      while (e < n && times[e]! <= threshold) {
        const s = slots[e++]!;
        if (unmatched && this.matched[s] === 0) out.push(s);
        const key = this.keySlot[s]!;
        this.#unlink(s);
        if (key >= 0 && this.head[key] === -1) emptiedKeys.push(key);
        this.#free.push(s);
      }
      removed += e - chunk.evicted;
      chunk.evicted = e;
      chunk.evictedChanged = true;
      if (e === n) {
        this.#chunks.delete(chunk.id);
        this.#removedChunks.push(chunk.id);
      } else if (2 * e >= n && n >= COMPACT_MIN_ROWS) {
        this.#compact(chunk, persist);
      }
    }
    this.#numRows -= removed;
    if (removed > 0) this.#evictedSinceCompaction += removed;
    return { removed, unmatched: Int32Array.from(out), emptiedKeys };
  }

  /** Writes what changed since the last write into the store of the next version (loaded at the previous one). */
  writeChanges(store: StateStore): void {
    for (const id of this.#removedChunks) {
      store.remove(CHUNK + id);
      store.remove(EVICTED + id);
      store.remove(MATCHED + id);
    }
    this.#removedChunks = [];
    for (const chunk of this.#chunks.values()) {
      if (chunk.pending !== null) { store.put(CHUNK + chunk.id, chunk.pending); chunk.pending = null; }
      if (chunk.evictedChanged) {
        if (chunk.evicted > 0) store.put(EVICTED + chunk.id, chunk.evicted); else store.remove(EVICTED + chunk.id);
        chunk.evictedChanged = false;
      }
      if (chunk.matchedChanged) {
        if (this.tracksMatched) {
          const flags = new Uint8Array(chunk.n);
          for (let j = chunk.evicted; j < chunk.n; j++) flags[j] = this.matched[chunk.slots[j]!]!;
          store.put(MATCHED + chunk.id, flags);
        }
        chunk.matchedChanged = false;
      }
    }
  }

  /** Forgets what changed (when the state is not written: no checkpoint). */
  clearChanges(): void {
    this.#removedChunks = [];
    for (const chunk of this.#chunks.values()) { chunk.pending = null; chunk.evictedChanged = false; chunk.matchedChanged = false; }
  }

  /** Rebuilds the rows from a loaded store; `keySlotsOf` finds (or adds) their keys in the operator's key table. */
  restore(store: StateStore, keySlotsOf: KeySlotsOf): void {
    this.#reset();
    const records = new Map<number, ChunkRecord>();
    const evicted = new Map<number, number>();
    const matched = new Map<number, Uint8Array>();
    for (const [k, v] of store.entries()) {
      const key = String(k);
      const id = Number(key.slice(1));
      if (key.startsWith(CHUNK)) records.set(id, v as ChunkRecord);
      else if (key.startsWith(EVICTED)) evicted.set(id, v as number);
      else if (key.startsWith(MATCHED)) matched.set(id, v as Uint8Array);
      else throw new StateError(`the stream–stream join state holds key ${JSON.stringify(key)}, which this rivulet does not write: `
        + "the checkpoint was written by an earlier development version of the join; start the query from a new checkpoint location");
    }
    for (const id of [...records.keys()].sort((a, b) => a - b)) {
      const record = records.get(id)!;
      const from = evicted.get(id) ?? 0;
      const m = record.n - from;
      const rows = new Int32Array(m);
      for (let j = 0; j < m; j++) rows[j] = from + j;
      const keys = this.keyTypes.map((t, k) => loadedVec(t, record.keys[k]!, record.n));
      const keySlots = keySlotsOf(keys, rows, m);
      const slots = this.#allocate(m);
      this.schema.fields.forEach((f, k) => this.columns[k]!.write(loadedVec(f.dataType, record.columns[k]!, record.n), rows, slots, m));
      this.keyColumns.forEach((c, k) => c.write(keys[k]!, rows, slots, m));
      const flags = matched.get(id);
      for (let j = 0; j < m; j++) {
        const s = slots[j]!;
        this.matched[s] = flags === undefined ? 0 : flags[from + j]!;
        this.#chunkOf[s] = id;
        this.#link(s, keySlots[j]!);
      }
      this.#chunks.set(id, {
        id, n: record.n, evicted: from, times: record.times, slots: padded(slots, from), pending: null, evictedChanged: false, matchedChanged: false,
      });
      this.#numRows += m;
      this.#nextChunkId = Math.max(this.#nextChunkId, id + 1);
    }
  }

  #reset(): void {
    this.#free = [];
    this.#numSlots = 0;
    this.head.fill(-1);
    this.#tail.fill(-1);
    this.#chunks = new Map();
    this.#removedChunks = [];
    this.#nextChunkId = 0;
    this.#numRows = 0;
    this.#evictedSinceCompaction = 0;
  }

  /** Rewrites a mostly evicted chunk as its live rows only, so its record and arrays shrink. */
  #compact(chunk: Chunk, persist: boolean): void {
    const slots = chunk.slots.slice(chunk.evicted);
    const m = slots.length;
    chunk.slots = slots;
    chunk.times = chunk.times.slice(chunk.evicted);
    chunk.n = m;
    chunk.evicted = 0;
    chunk.matchedChanged = this.tracksMatched;
    if (persist) {
      chunk.pending = {
        n: m, times: chunk.times,
        keys: this.keyColumns.map((c) => storedVec(c.gather(slots, m))),
        columns: this.columns.map((c) => storedVec(c.gather(slots, m))),
      };
    }
  }

  /**
   * Drops the string dictionary entries only evicted rows used, once as many rows were
   * evicted as are live. Not in `evict`: its unmatched rows are read after it.
   */
  #compactDictionaries(): void {
    if (this.#evictedSinceCompaction < 1024 || this.#evictedSinceCompaction < this.#numRows) return;
    this.#evictedSinceCompaction = 0;
    const live = this.#liveSlots();
    for (const c of this.columns) c.compact(live, live.length);
    for (const c of this.keyColumns) c.compact(live, live.length);
  }

  #liveSlots(): Int32Array {
    const live = new Int32Array(this.#numRows);
    let n = 0;
    for (const c of this.#chunks.values()) for (let j = c.evicted; j < c.n; j++) live[n++] = c.slots[j]!;
    return live;
  }

  #allocate(m: number): Int32Array {
    const slots = new Int32Array(m);
    let j = 0;
    while (j < m && this.#free.length > 0) slots[j++] = this.#free.pop()!;
    if (j < m) {
      const need = this.#numSlots + (m - j);
      if (need > this.next.length) this.#resize(need);
      while (j < m) slots[j++] = this.#numSlots++;
    }
    return slots;
  }

  #resize(capacity: number): void {
    const cap = Math.max(capacity, this.next.length * 2);
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(cap); (b as { set(x: T): void }).set(a); return b; };
    this.next = grow(this.next);
    this.prev = grow(this.prev);
    this.keySlot = grow(this.keySlot);
    this.matched = grow(this.matched);
    this.#chunkOf = grow(this.#chunkOf);
    for (const c of this.columns) c.resize(cap);
    for (const c of this.keyColumns) c.resize(cap);
  }

  #link(s: number, key: number): void {
    this.keySlot[s] = key;
    this.next[s] = -1;
    if (key < 0) { this.prev[s] = -1; return; }
    const last = this.#tail[key]!;
    this.prev[s] = last;
    if (last < 0) this.head[key] = s; else this.next[last] = s;
    this.#tail[key] = s;
  }

  #unlink(s: number): void {
    const key = this.keySlot[s]!;
    if (key < 0) return;
    const p = this.prev[s]!, n = this.next[s]!;
    if (p < 0) this.head[key] = n; else this.next[p] = n;
    if (n < 0) this.#tail[key] = p; else this.prev[n] = p;
  }
}

/** `rows` ordered by their eviction time (stable; already ordered rows are the common case). */
function byTime(rows: Int32Array, times: Float64Array): Int32Array {
  let sorted = true;
  for (let j = 1; j < rows.length; j++) if (times[rows[j]!]! < times[rows[j - 1]!]!) { sorted = false; break; }
  if (sorted) return rows;
  return Int32Array.from(Array.from(rows).sort((a, b) => times[a]! - times[b]! || a - b));
}

/** Slots of a restored chunk's live rows at their offsets (the evicted offsets are never read). */
function padded(slots: Int32Array, from: number): Int32Array {
  if (from === 0) return slots;
  const all = new Int32Array(from + slots.length).fill(-1);
  all.set(slots, from);
  return all;
}
