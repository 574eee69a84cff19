/** Words of one block: 512 bits, a cache line. */
const BLOCK_WORDS = 16;
/** Bits tested per key within its block. */
const PROBES = 6;
/** Blocks to start with (64 KiB): a store of a few keys pays little. */
const INITIAL_BLOCKS = 1 << 10;
/** Keys added per block past which the filter doubles (32 bits a key), while under its ceiling. */
const KEYS_PER_BLOCK = 16;

/**
 * One blocked bloom filter over the keys of all the engine's runs, so that a key no run
 * holds (every new key of dropDuplicates) is answered with one cache line, instead of one
 * partition lookup and one filter line per run: with size-tiered merging a big state has
 * several runs, and each new key paid for every one. It is a superset: a key is added when a
 * flush writes it to a run and never taken out (a merge only moves keys between runs, a
 * dropped removal leaves its bits), so "no" is exact and "maybe" goes on to the runs' own
 * filters as before. In memory only: an engine that opens runs from a checkpoint adds their
 * keys first (key-filter-backlog.ts) and does not use the filter until then.
 *
 * A key's block is the top bits of its hash1, so that keys asked in hash1 order (a batch
 * sorted once, as everything else here wants it) walk the filter forward. That also lets it
 * grow without the keys: doubling splits each block into two, and both copy the old block's
 * bits, which hold every key that now falls in either. Old keys keep their density, new keys
 * spread over twice the blocks. It grows up to `maxBytes`, then fills (more "maybe" answers).
 */
export class RunsKeyFilter {
  #words = new Uint32Array(INITIAL_BLOCKS * BLOCK_WORDS);
  #shift = 32 - Math.log2(INITIAL_BLOCKS);
  #added = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#words.byteLength;
  }

  /** Keys added since the last clear (a key written by two flushes counts twice). */
  get added(): number {
    return this.#added;
  }

  add(h1: number, h2: number): void {
    if (++this.#added > (this.#words.length / BLOCK_WORDS) * KEYS_PER_BLOCK && this.#words.byteLength * 2 <= this.maxBytes) this.#grow();
    const words = this.#words;
    const base = (h1 >>> this.#shift) * BLOCK_WORDS;
    let h = h2;
    for (let i = 0; i < PROBES; i++) {
      const bit = h & 511;
      words[base + (bit >>> 5)]! |= 1 << (bit & 31);
      h = (h >>> 9) | (h << 23);
    }
  }

  /** False when no run holds the key of hashes h1, h2 (true: one may). */
  mayContain(h1: number, h2: number): boolean {
    const words = this.#words;
    const base = (h1 >>> this.#shift) * BLOCK_WORDS;
    let h = h2;
    for (let i = 0; i < PROBES; i++) {
      const bit = h & 511;
      if ((words[base + (bit >>> 5)]! & (1 << (bit & 31))) === 0) return false;
      h = (h >>> 9) | (h << 23);
    }
    return true;
  }

  /** Forgets every key (the runs were dropped). */
  clear(): void {
    this.#words = new Uint32Array(INITIAL_BLOCKS * BLOCK_WORDS);
    this.#shift = 32 - Math.log2(INITIAL_BLOCKS);
    this.#added = 0;
  }

  #grow(): void {
    const old = this.#words;
    const words = new Uint32Array(old.length * 2);
    for (let b = 0; b < old.length; b += BLOCK_WORDS) {
      const block = old.subarray(b, b + BLOCK_WORDS);
      words.set(block, 2 * b);
      words.set(block, 2 * b + BLOCK_WORDS);
    }
    this.#words = words;
    this.#shift--;
  }
}
