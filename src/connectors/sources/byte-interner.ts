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
   * The hash table, open addressing: per slot its entry's hash and id + 1 (0: empty), side
   * by side so that a probe reads one cache line, not two arrays.
   */
  #slots = new Int32Array(2048);
  #hashes = new Int32Array(512);
  /** Per id, where its bytes start in the pool and how many there are. */
  #spans = new Int32Array(1024);
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
  /** Bumped whenever the table is cleared: an id names the same string only within one generation. */
  generation = 0;

  /** `bypassValues`: how many values a mostly unique column passes through before the table is tried again. */
  constructor(readonly maxEntries = 1 << 16, readonly maxPoolBytes = 1 << 22, readonly bypassValues = 1 << 20) {}

  /**
   * The string whose UTF-8 bytes are b[start, end); `dv` views the same bytes as `b`, and
   * `hash` is hashBytes(b, dv, start, end).
   */
  intern(b: Buffer, dv: DataView, start: number, end: number, hash: number): string {
    if (this.#bypass > 0) {
      this.#bypass--;
      this.lastId = FRESH;
      return b.toString("utf8", start, end);
    }
    const len = end - start;
    const slots = this.#slots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) return this.#miss(b, start, len, hash);
      if (slots[2 * slot] === hash) {
        const id = entry - 1;
        if (this.#spans[2 * id + 1] === len && this.#equals(id, b, dv, start, len)) {
          this.#hits++;
          this.lastId = id;
          return this.#strings[id]!;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  #miss(b: Buffer, start: number, len: number, hash: number): string {
    const value = b.toString("utf8", start, start + len);
    this.lastId = NOT_KEPT;
    if (len > this.maxPoolBytes >> 4) return value; // too long to be worth keeping
    this.lastId = this.#add(value, b, start, len, hash);
    return value;
  }

  /** Whether the bytes of entry `id` are b[start, start + len): four bytes at a time. */
  #equals(id: number, b: Buffer, dv: DataView, start: number, len: number): boolean {
    const pool = this.#poolView;
    const at = this.#spans[2 * id]!;
    let k = 0;
    for (; k + 4 <= len; k += 4) if (pool.getInt32(at + k, true) !== dv.getInt32(start + k, true)) return false;
    for (; k < len; k++) if (this.#pool[at + k] !== b[start + k]) return false;
    return true;
  }

  #add(value: string, b: Buffer, start: number, len: number, hash: number): number {
    let id = this.#strings.length;
    if (id >= this.maxEntries || this.#poolUsed + len > this.maxPoolBytes) {
      // A table that filled up with few lookups finding their string: the column is mostly
      // unique, and the table only costs (copying bytes, growing, clearing). The next
      // bypassValues values skip it and are handed out as FRESH (decoded, not looked up).
      if (this.#hits * 8 < id) this.#bypass = this.bypassValues;
      this.#clear();
      id = 0;
    }
    if (id >= this.#hashes.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => { const g = new Int32Array(a.length * 2); g.set(a); return g; };
      this.#hashes = grow(this.#hashes);
      this.#spans = grow(this.#spans);
    }
    if (this.#poolUsed + len > this.#pool.length) {
      const pool = new Uint8Array(Math.min(this.maxPoolBytes, Math.max(this.#pool.length * 2, this.#poolUsed + len)));
      pool.set(this.#pool.subarray(0, this.#poolUsed));
      this.#pool = pool;
      this.#poolView = new DataView(pool.buffer);
    }
    this.#pool.set(b.subarray(start, start + len), this.#poolUsed);
    this.#hashes[id] = hash;
    this.#spans[2 * id] = this.#poolUsed;
    this.#spans[2 * id + 1] = len;
    this.#poolUsed += len;
    this.#strings.push(value);
    if (this.#strings.length > this.#slots.length >> 2) this.#rehash(this.#slots.length * 2); // at most half full
    else this.#place(id);
    return id;
  }

  #place(id: number): void {
    const slots = this.#slots;
    const mask = (slots.length >> 1) - 1;
    const hash = this.#hashes[id]!;
    let slot = hash & mask;
    while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = id + 1;
  }

  /** Makes the table `size` Int32s (size / 2 slots) and places every entry again. */
  #rehash(size: number): void {
    this.#slots = new Int32Array(size);
    for (let id = 0; id < this.#strings.length; id++) this.#place(id);
  }

  #clear(): void {
    this.#slots.fill(0);
    this.#strings = [];
    this.#poolUsed = 0;
    this.#hits = 0;
    this.generation++;
  }
}

/** ByteInterner.lastId of a string not kept (too long). */
export const NOT_KEPT = -1;
/** ByteInterner.lastId of a string passed through without a lookup (a mostly unique column). */
export const FRESH = -2;

export { finishHash, hashBytes } from "../../columnar/utf8-hash.ts";
