import type { DataType } from "../../types/data-types.ts";
import { KeyColumn } from "./key-column.ts";
import { TAG_VALUE, type EncodedKeys } from "./key-encoding.ts";

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

/** murmur3's finalizer: spreads every input bit over the 32-bit hash. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Hash of one encoded key word: integers (codes, counts, most keys) as themselves, others by their bits. */
function wordHash(tag: number, w: number): number {
  if (tag === TAG_VALUE && (w | 0) === w) return w;
  f64[0] = w;
  return (i32[0]! ^ Math.imul(i32[1]!, 0x9e3779b1)) + tag;
}

/** Keys probed together: their buckets are loaded first, all at once, so that their cache misses overlap. */
const PROBE_BLOCK = 256;

/**
 * Group slots by key (a hash aggregation's table, as DuckDB's and DataFusion's): open
 * addressing with linear probing over an Int32Array of slot numbers, keys stored column
 * by column in typed arrays (key-column.ts), so that finding a group hashes and compares
 * fixed-width words — no per-group string or object. Slots are dense and reused after a
 * group is removed; accumulators index their typed arrays by slot.
 *
 * With many groups the table is far larger than the caches, so a probe's cost is its cache
 * misses: a bucket holds slot + 1 in its low bits (the bits the bucket index uses, as slots
 * stay below the number of buckets) and the hash's remaining high bits above them, so that a
 * probe passing other groups' buckets rejects them without reading their slots' hashes or
 * keys; and a block of keys loads its buckets before any is probed (prefetch by batching).
 */
export class GroupTable {
  readonly columns: KeyColumn[];
  /** Per bucket (slot + 1) | (hash & ~mask), 0 when empty; its length is a power of two. */
  #buckets = new Int32Array(64);
  #mask = 63;
  /** Each slot's hash, and whether it holds a group. */
  #hashes = new Int32Array(16);
  #live = new Uint8Array(16);
  #free: number[] = [];
  #numSlots = 0;
  #size = 0;
  /** Scratch for finding one key given as values. */
  readonly #one: EncodedKeys;
  readonly #oneHash = new Int32Array(1);

  constructor(types: readonly DataType[], readonly onNewSlots: (numSlots: number) => void = () => {}) {
    this.columns = types.map((t) => new KeyColumn(t));
    this.#one = { tags: types.map(() => new Uint8Array(1)), words: types.map(() => new Float64Array(1)) };
  }

  /** Groups in the table. */
  get size(): number {
    return this.#size;
  }

  /** Slots ever used: every live slot is below it. */
  get numSlots(): number {
    return this.#numSlots;
  }

  isLive(slot: number): boolean {
    return this.#live[slot] === 1;
  }

  /** Hashes of m encoded keys, into `out`. */
  hash(keys: EncodedKeys, m: number, out: Int32Array): void {
    out.fill(0x2545f491, 0, m);
    for (let k = 0; k < keys.tags.length; k++) {
      const tags = keys.tags[k]!, words = keys.words[k]!;
      for (let j = 0; j < m; j++) out[j] = Math.imul(out[j]! ^ wordHash(tags[j]!, words[j]!), 0x01000193);
    }
    for (let j = 0; j < m; j++) out[j] = fmix(out[j]!);
  }

  /**
   * The slot of each of m encoded keys (hashes from `hash`), new groups added; `isNew(j)` is
   * called for each key that made a new group.
   */
  findOrInsert(keys: EncodedKeys, hashes: Int32Array, m: number, out: Int32Array, isNew?: (j: number, slot: number) => void): void {
    for (let j0 = 0; j0 < m; j0 += PROBE_BLOCK) {
      const j1 = Math.min(m, j0 + PROBE_BLOCK);
      // Independent loads: the CPU overlaps their misses; the probes below then find the lines cached.
      const buckets = this.#buckets, mask = this.#mask;
      let touched = 0;
      for (let j = j0; j < j1; j++) touched |= buckets[hashes[j]! & mask]!;
      if (touched === -1) this.#touched++; // keeps the loads
      for (let j = j0; j < j1; j++) {
        const slot = this.#probe(keys, j, hashes[j]!);
        out[j] = slot >= 0 ? slot : this.#insertAt(keys, j, hashes[j]!, ~slot, isNew);
      }
    }
  }

  #touched = 0;

  /** The slot of key j, or ~bucket of the empty bucket where it belongs. */
  #probe(keys: EncodedKeys, j: number, h: number): number {
    const buckets = this.#buckets, mask = this.#mask, high = h & ~mask, K = this.columns.length;
    let b = h & mask;
    for (;;) {
      const e = buckets[b]!;
      if (e === 0) return ~b;
      if ((e & ~mask) === high) {
        const s = (e & mask) - 1;
        let same = true;
        for (let k = 0; k < K; k++) {
          const c = this.columns[k]!;
          if (c.tags[s] !== keys.tags[k]![j] || c.words[s] !== keys.words[k]![j]) { same = false; break; }
        }
        if (same) return s;
      }
      b = (b + 1) & mask;
    }
  }

  #insertAt(keys: EncodedKeys, j: number, h: number, bucket: number, isNew?: (j: number, slot: number) => void): number {
    const slot = this.#insert(keys, j, h, bucket);
    isNew?.(j, slot);
    return slot;
  }

  /** The slot of the group with these key values (as valueAt gives them), added if new; `created` says whether it was. */
  findOrInsertValues(values: readonly unknown[]): { slot: number; created: boolean } {
    const one = this.#one;
    this.columns.forEach((c, k) => c.encodeValue(values[k], one.tags[k]!, one.words[k]!, 0));
    this.hash(one, 1, this.#oneHash);
    const out = new Int32Array(1);
    let created = false;
    this.findOrInsert(one, this.#oneHash, 1, out, () => { created = true; });
    return { slot: out[0]!, created };
  }

  /**
   * Room for `groups` groups in all, made at once (a restore knows the state's size): no
   * doubling of the slots' arrays and no rehash while they are added.
   */
  reserve(groups: number): void {
    let buckets = this.#buckets.length;
    while (groups * 4 > buckets * 3) buckets *= 2;
    if (buckets > this.#buckets.length) this.#rehash(buckets);
    if (groups > this.#hashes.length) {
      this.#growSlots(groups);
      this.onNewSlots(groups);
    }
  }

  /** Slot arrays for at least `n` slots. */
  #growSlots(n: number): void {
    const cap = Math.max(n, this.#hashes.length * 2);
    const hashes = new Int32Array(cap);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
    const live = new Uint8Array(cap);
    live.set(this.#live);
    this.#live = live;
    for (const c of this.columns) c.resize(cap);
  }

  /**
   * The slots of many groups given by their key values (as valueAt gives them), added if new:
   * encoded, hashed and probed together, as a batch's keys are (a restore's millions of groups
   * then cost no object and no separate probe each).
   */
  findOrInsertAllValues(rows: readonly (readonly unknown[])[]): Int32Array {
    const m = rows.length;
    const keys: EncodedKeys = { tags: this.columns.map(() => new Uint8Array(m)), words: this.columns.map(() => new Float64Array(m)) };
    this.columns.forEach((c, k) => {
      const tags = keys.tags[k]!, words = keys.words[k]!;
      for (let j = 0; j < m; j++) c.encodeValue(rows[j]![k], tags, words, j);
    });
    const hashes = new Int32Array(m);
    this.hash(keys, m, hashes);
    const slots = new Int32Array(m);
    this.findOrInsert(keys, hashes, m, slots);
    return slots;
  }

  #insert(keys: EncodedKeys, j: number, h: number, bucket: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#numSlots++;
      if (this.#hashes.length < this.#numSlots) this.#growSlots(this.#numSlots);
      this.onNewSlots(this.#numSlots);
    }
    for (let k = 0; k < this.columns.length; k++) this.columns[k]!.set(slot, keys.tags[k]![j]!, keys.words[k]![j]!);
    this.#hashes[slot] = h;
    this.#live[slot] = 1;
    this.#buckets[bucket] = (h & ~this.#mask) | (slot + 1);
    this.#size++;
    // Up to 3/4 full: a probe passing other groups reads only their buckets (hash bits), seldom a second cache line.
    if (this.#size * 4 > this.#buckets.length * 3) this.#rehash(this.#buckets.length * 2);
    return slot;
  }

  #rehash(capacity: number): void {
    const buckets = new Int32Array(capacity);
    const mask = capacity - 1;
    const hashes = this.#hashes, live = this.#live, n = this.#numSlots;
    for (let s0 = 0; s0 < n; s0 += PROBE_BLOCK) {
      const s1 = Math.min(n, s0 + PROBE_BLOCK);
      let touched = 0;
      for (let s = s0; s < s1; s++) touched |= buckets[hashes[s]! & mask]!;
      if (touched === -1) this.#touched++;
      for (let s = s0; s < s1; s++) {
        if (live[s] === 0) continue;
        const h = hashes[s]!;
        let b = h & mask;
        while (buckets[b] !== 0) b = (b + 1) & mask;
        buckets[b] = (h & ~mask) | (s + 1);
      }
    }
    this.#buckets = buckets;
    this.#mask = mask;
  }

  /** Removes a group; its slot is reused by a later group. Deletes by shifting back the probe run (no tombstones). */
  remove(slot: number): void {
    if (this.#live[slot] === 0) return;
    const mask = this.#mask, buckets = this.#buckets;
    let i = this.#hashes[slot]! & mask;
    while ((buckets[i]! & mask) !== slot + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = buckets[j]!;
      if (e === 0) break;
      const home = this.#hashes[(e & mask) - 1]! & mask;
      // Move the entry back into the hole at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        buckets[i] = e;
        i = j;
      }
    }
    buckets[i] = 0;
    this.#live[slot] = 0;
    this.#free.push(slot);
    this.#size--;
  }

  /** Live slots in ascending order. */
  liveSlots(): Int32Array {
    const out = new Int32Array(this.#size);
    let n = 0;
    for (let s = 0; s < this.#numSlots; s++) if (this.#live[s] === 1) out[n++] = s;
    return out;
  }

  /** After removals: shrinks dictionaries that mostly hold keys of removed groups (and rehashes, as codes change). */
  compactDictionaries(): void {
    if (!this.columns.some((c) => c.wouldCompact(this.#size))) return; // without listing the live slots
    const live = this.liveSlots();
    let changed = false;
    for (const c of this.columns) if (c.compact(live, live.length)) changed = true;
    if (!changed) return;
    const keys: EncodedKeys = { tags: this.columns.map((c) => c.tags), words: this.columns.map((c) => c.words) };
    const hashes = new Int32Array(this.#numSlots);
    this.hash(keys, this.#numSlots, hashes);
    for (const s of live) this.#hashes[s] = hashes[s]!;
    this.#rehash(this.#buckets.length);
  }

  /** Empties the table (dictionaries included). */
  clear(): void {
    const types = this.columns.map((c) => c.type);
    this.columns.splice(0, this.columns.length, ...types.map((t) => new KeyColumn(t)));
    this.#buckets = new Int32Array(64);
    this.#mask = 63;
    this.#hashes = new Int32Array(16);
    this.#live = new Uint8Array(16);
    this.#free = [];
    this.#numSlots = 0;
    this.#size = 0;
  }

  /** Key values of a slot, column by column. */
  keyValues(slot: number): unknown[] {
    return this.columns.map((c) => c.valueOf(slot));
  }

  /** Bytes of the table and its keys (an estimate for metrics). */
  memoryBytes(): number {
    let bytes = this.#buckets.byteLength + this.#hashes.byteLength + this.#live.byteLength;
    for (const c of this.columns) bytes += c.tags.byteLength + c.words.byteLength + c.dictionaryBytes();
    return bytes;
  }
}
