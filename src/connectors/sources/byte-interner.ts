import { asciiText, isAscii, utf8Text } from "../../columnar/utf8-text.ts";

/**
 * The strings of one column keyed by their UTF-8 bytes: a value seen before is found by
 * its bytes' hash and returned as the same string, without decoding or allocating. A
 * low-cardinality column (actions, hosts, URLs) then costs one hash and one compare per
 * value, and the dictionary its vector builder keeps is probed with a string whose hash
 * V8 has already cached. Bounded: a column of unique values clears the table when full
 * rather than growing without end.
 */
export class ByteInterner {
  /**
   * The hash table, open addressing: per slot its entry's hash and where the entry starts
   * in the pool, + 1 (0: empty), side by side so that a probe reads one cache line.
   */
  #slots = new Int32Array(2048);
  /**
   * The entries, one after another: each its id and byte length (two little-endian int32s)
   * and then its bytes, so that a probe whose hash matches finds all it compares in one
   * place (with many distinct values the table and the pool are beyond the caches, and each
   * separate array read would be one more miss per value).
   */
  #pool = new Uint8Array(1 << 16);
  #poolView = new DataView(this.#pool.buffer);
  #poolUsed = 0;
  #strings: string[] = [];
  /**
   * The id of the string intern() returned last; ids are dense, from 0. NOT_KEPT: not kept
   * (too long); FRESH: not looked up, taken to be new (the column is mostly unique, see #add).
   */
  lastId = -1;
  /** Values intern() passes through without a lookup before trying the table again (see #add). */
  #bypass = 0;
  /** Lookups that found their string in this generation. */
  #hits = 0;
  /**
   * Changed whenever the table is cleared: an id names the same string only within one
   * generation. Unique within the thread (no two interners share one), so that a consumer
   * of ids from several decoders tells their numberings apart (dict-interned-ids.ts).
   */
  generation = nextGeneration();

  /**
   * `bypassValues`: how many values a mostly unique column passes through before the table
   * is tried again. `probeEntries`: the table size at which it is first judged (see #add).
   */
  constructor(readonly maxEntries = 1 << 16, readonly maxPoolBytes = 1 << 22, readonly bypassValues = 1 << 20, readonly probeEntries = 1 << 12) {}

  /**
   * The string whose UTF-8 bytes are b[start, end); `dv` views the same bytes as `b`, and
   * `hash` is hashBytes(b, dv, start, end).
   */
  intern(b: Buffer, dv: DataView, start: number, end: number, hash: number): string {
    if (this.#bypass > 0) {
      this.#bypass--;
      this.lastId = FRESH;
      return utf8Text(b, start, end, dv);
    }
    const len = end - start;
    const slots = this.#slots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) return this.#miss(b, dv, start, len, hash);
      if (slots[2 * slot] === hash) {
        const at = entry - 1;
        const pool = this.#poolView;
        if (pool.getInt32(at + 4, true) === len && this.#equals(at + 8, b, dv, start, len)) {
          const id = pool.getInt32(at, true);
          this.#hits++;
          this.lastId = id;
          return this.#strings[id]!;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Loads what looking up the values at [start, end) of `hashes` will read first — each's
   * table slot, then the entry it points to — so that the lookups that follow find them
   * cached: independent loads, whose misses the CPU overlaps. `from` < 0 marks no value.
   */
  touch(hashes: Int32Array, from: Int32Array, start: number, end: number): void {
    if (this.#bypass > 0) return; // values passed through are not looked up
    const slots = this.#slots, pool = this.#pool;
    const mask = (slots.length >> 1) - 1;
    let loaded = 0;
    for (let j = start; j < end; j++) if (from[j]! >= 0) loaded |= slots[2 * (hashes[j]! & mask) + 1]!;
    for (let j = start; j < end; j++) {
      if (from[j]! < 0) continue;
      const entry = slots[2 * (hashes[j]! & mask) + 1]!;
      if (entry !== 0) loaded |= pool[entry + 7]!; // the entry's first byte (the slot holds its position + 1)
    }
    if (loaded === -1) this.#touched++; // keeps the loads
  }

  #touched = 0;

  /** Whether the table has outgrown the first-level caches (16k slots, 128 KiB): lookups then miss, and touch() pays. */
  get large(): boolean {
    return this.#slots.length >= LARGE_SLOTS && this.#bypass === 0;
  }

  #miss(b: Buffer, dv: DataView, start: number, len: number, hash: number): string {
    const end = start + len;
    const ascii = isAscii(b, dv, start, end);
    const value = ascii ? asciiText(b, start, end) : utf8Text(b, start, end, dv);
    this.lastId = NOT_KEPT;
    if (len > this.maxPoolBytes >> 4) return value; // too long to be worth keeping
    // Invalid UTF-8 decodes to U+FFFD, whose bytes differ: such a string is not kept, so
    // that the hash of a kept string's bytes is always the string's (hashString). ASCII
    // bytes are valid: only other strings are searched.
    if (!ascii && value.indexOf("\uFFFD") >= 0) return value;
    this.lastId = this.#add(value, b, start, len, hash);
    return value;
  }

  /** Whether the pool's bytes from `at` are b[start, start + len): four bytes at a time. */
  #equals(at: number, b: Buffer, dv: DataView, start: number, len: number): boolean {
    const pool = this.#poolView;
    let k = 0;
    for (; k + 4 <= len; k += 4) if (pool.getInt32(at + k, true) !== dv.getInt32(start + k, true)) return false;
    for (; k < len; k++) if (this.#pool[at + k] !== b[start + k]) return false;
    return true;
  }

  #add(value: string, b: Buffer, start: number, len: number, hash: number): number {
    let id = this.#strings.length;
    if (id === this.probeEntries && this.#hits * 128 < id) {
      // Judged early, at probeEntries entries: lookups that found their string were under
      // 1/128 of them — a column of unique values (ids, keys) finds none. n draws from K
      // equally likely values find about n²/2K: under 32 of 4,096 means K above ~250,000,
      // beyond what the table (maxEntries) would keep anyway. Without this, a column of
      // unique values pays a lookup and a copy per value until the table fills, which a
      // batch of 50,000 rows never does.
      this.#bypass = this.bypassValues;
      this.#clear();
      id = 0;
    } else if (id >= this.maxEntries || this.#poolUsed + 8 + len > this.maxPoolBytes) {
      // A table that filled up with few lookups finding their string: the column is mostly
      // unique, and the table only costs (copying bytes, growing, clearing). The next
      // bypassValues values skip it and are handed out as FRESH (decoded, not looked up).
      if (this.#hits * 8 < id) this.#bypass = this.bypassValues;
      this.#clear();
      id = 0;
    }
    const at = this.#poolUsed;
    if (at + 8 + len > this.#pool.length) {
      const pool = new Uint8Array(Math.min(this.maxPoolBytes, Math.max(this.#pool.length * 2, at + 8 + len)));
      pool.set(this.#pool.subarray(0, at));
      this.#pool = pool;
      this.#poolView = new DataView(pool.buffer);
    }
    this.#poolView.setInt32(at, id, true);
    this.#poolView.setInt32(at + 4, len, true);
    this.#pool.set(b.subarray(start, start + len), at + 8);
    this.#poolUsed = at + 8 + len;
    this.#strings.push(value);
    // Up to 3/4 full: with many distinct values a probe's cost is its cache misses, not its length, so a smaller table wins.
    if (this.#strings.length * 8 > this.#slots.length * 3) this.#rehash(this.#slots.length * 2);
    this.#place(this.#slots, hash, at + 1);
    return id;
  }

  /** Puts an entry (its hash, and pool position + 1) in the first empty slot from its hash's. */
  #place(slots: Int32Array, hash: number, entry: number): void {
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = entry;
  }

  /** Makes the table `size` Int32s (size / 2 slots) and places every entry again. */
  #rehash(size: number): void {
    const old = this.#slots;
    const slots = new Int32Array(size);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.#place(slots, old[i]!, old[i + 1]!);
    this.#slots = slots;
  }

  #clear(): void {
    this.#slots.fill(0);
    this.#strings = [];
    this.#poolUsed = 0;
    this.#hits = 0;
    this.generation = nextGeneration();
  }
}

/** The table size (Int32s) from which it is `large`. */
const LARGE_SLOTS = 1 << 15;

let generations = 0;

function nextGeneration(): number {
  return ++generations;
}

/** ByteInterner.lastId of a string not kept (too long). */
export const NOT_KEPT = -1;
/** ByteInterner.lastId of a string passed through without a lookup (a mostly unique column). */
export const FRESH = -2;

export { finishHash, hashBytes } from "../../columnar/utf8-hash.ts";
