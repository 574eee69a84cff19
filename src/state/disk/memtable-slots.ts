/**
 * The memtable's hash index: open addressing with linear probing, each slot a pair
 * (record index + 1, hash1) in one Uint32Array (0 as the record: empty). A key's home slot
 * is the top bits of its hash1, so that keys probed in hash1 order (a batch sorted once, as
 * the runs want it anyway) walk the table forward; and hash1 sits beside the record index,
 * so that passing a slot of another key reads no other array: a key that is not there (every
 * new key of dropDuplicates) costs about one cache line, not one per slot passed. At most
 * half full; a power of two in size.
 */
export class MemtableSlots {
  /** [record + 1, hash1] per slot. */
  #table = new Uint32Array(2 * 2048);
  #shift = 32 - 11;
  /** Occupied slots. */
  #used = 0;

  /** The table, for probe loops (slot s at 2s, 2s + 1); replaced when it grows. */
  get table(): Uint32Array {
    return this.#table;
  }

  /** Slots in all. */
  get capacity(): number {
    return this.#table.length >>> 1;
  }

  get used(): number {
    return this.#used;
  }

  /** The slot where the probe for `h1` starts. */
  home(h1: number): number {
    return h1 >>> this.#shift;
  }

  /** Mask of slot numbers (capacity − 1): the slot after s is (s + 1) & mask. */
  get mask(): number {
    return (this.#table.length >>> 1) - 1;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#table.byteLength;
  }

  /** Points the slot `s` (empty or holding the same key) at record `r` of hash1 `h1`; `fresh`: it was empty. Grows past half full. */
  set(s: number, r: number, h1: number, fresh: boolean): void {
    const t = this.#table;
    t[2 * s] = r + 1;
    t[2 * s + 1] = h1;
    if (fresh && ++this.#used * 2 > this.capacity) this.#grow();
  }

  /** Adds record `r` of hash1 `h1` in the first empty slot of its probe (a key not yet there). */
  insert(r: number, h1: number): void {
    const t = this.#table;
    const mask = this.mask;
    let s = h1 >>> this.#shift;
    while (t[2 * s] !== 0) s = (s + 1) & mask;
    this.set(s, r, h1, true);
  }

  /**
   * Loads the home slots of the keys at order[from…to) ahead of their probes (independent
   * loads, whose misses overlap); returns a value made of them for the caller to keep (loads
   * nobody uses could be left out by the compiler).
   */
  touchHomes(h1s: Uint32Array, order: Int32Array, from: number, to: number): number {
    const t = this.#table;
    let acc = 0;
    for (let o = from; o < to; o++) acc = (acc + t[2 * this.home(h1s[order[o]!]!)]!) | 0;
    return acc;
  }

  /** Empties the table; `capacity`: the size to start again with (the current one is kept, zeroed, when equal). */
  clear(capacity = this.capacity): void {
    this.#used = 0;
    if (capacity === this.capacity) this.#table.fill(0);
    else this.#resize(capacity);
  }

  #grow(): void {
    const old = this.#table;
    this.#resize(this.capacity * 2);
    const t = this.#table;
    const mask = this.mask;
    const shift = this.#shift;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      const h1 = old[i + 1]!;
      let s = h1 >>> shift;
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = old[i]!;
      t[2 * s + 1] = h1;
    }
  }

  #resize(capacity: number): void {
    this.#table = new Uint32Array(2 * capacity);
    this.#shift = 32 - Math.log2(capacity);
  }
}
