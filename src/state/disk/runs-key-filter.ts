import { StateError } from "../../common/errors.ts";
import { BLOCK_WORDS, hasBlockBits, setBlockBits } from "./filter-block.ts";

/** Bits tested per key within its block. */
const PROBES = 6;
/** Blocks to start with (64 KiB): a store of a few keys pays little. */
const INITIAL_BLOCKS = 1 << 10;
/** Keys added per block past which the filter grows (64 bits a key), while under its ceiling. */
const KEYS_PER_BLOCK = 8;
/** Growth factor, as a power of two: each block splits into 8. */
const GROWTH_BITS = 3;

/**
 * One blocked bloom filter over the keys of all the engine's runs, so that a key no run
 * holds (every new key of dropDuplicates) is answered with one cache line, instead of one
 * partition lookup and one filter line per run: with size-tiered merging a big state has
 * several runs, and each new key paid for every one. It is a superset: a key is added when a
 * flush writes it to a run and not taken out by a merge (a merge only moves keys between runs, a
 * dropped removal leaves its bits), so "no" is exact and "maybe" goes on to the runs' own
 * filters as before. A rewrite of all the runs (run-stack.ts, when removals have left them
 * mostly dead) rebuilds it beside (startRebuild … finishRebuild) from the keys still live, so
 * that keys removed do not fill it for ever when the state is flat but its keys churn. In memory only: an engine that opens runs from a checkpoint adds their
 * keys first (key-filter-backlog.ts) and does not use the filter until then.
 *
 * A key's block is the top bits of its hash1, so that keys asked in hash1 order (a batch
 * sorted once, as everything else here wants it) walk the filter forward. That also lets it
 * grow without the keys: growing splits each block into eight, and all copy the old block's
 * bits, which hold every key that now falls in any of them. Each block keeps the density its
 * parent had (a floor that every growth raises), so it grows by eight at a time, not two
 * (a doubling would add half a threshold's keys to the floor at every step), and early (at
 * 8 keys a block). It grows up to `maxBytes`, then fills (more "maybe" answers). At 4M keys in
 * 32 MiB about 1 absent key in 2,000 gets "maybe".
 */
export class RunsKeyFilter {
  #words = new Uint32Array(INITIAL_BLOCKS * BLOCK_WORDS);
  #shift = 32 - Math.log2(INITIAL_BLOCKS);
  #added = 0;
  /**
   * The filter being rebuilt beside this one (startRebuild), or null: it gets every key added
   * here meanwhile, and the keys of the runs a rewrite writes (addRebuilt), then takes this one's place.
   */
  #next: RunsKeyFilter | null = null;
  /** Keys mayContain answered "maybe" since the last takeMaybe (progress). */
  #maybe = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#words.byteLength + (this.#next?.bytes ?? 0);
  }

  /** "Maybe" answers since the last call. */
  takeMaybe(): number {
    const maybe = this.#maybe;
    this.#maybe = 0;
    return maybe;
  }

  /**
   * Starts a filter afresh beside this one (a rewrite of all the runs is starting, which will
   * drop the keys removed: the new filter holds only the live ones), sized for `keys` keys.
   * From now on every key added goes to both; the rewrite adds its run's keys with addRebuilt.
   */
  startRebuild(keys: number): void {
    const next = new RunsKeyFilter(this.maxBytes);
    next.reserve(keys);
    this.#next = next;
  }

  get rebuilding(): boolean {
    return this.#next !== null;
  }

  /** A key of the rewrite's run, for the filter being rebuilt only (this one has it already). */
  addRebuilt(h1: number, h2: number): void {
    this.#next!.add(h1, h2);
  }

  /** The rewrite is done: the rebuilt filter (every key of the runs now, and no other) takes this one's place. */
  finishRebuild(): void {
    const next = this.#next!;
    this.#next = null;
    this.#words = next.#words;
    this.#shift = next.#shift;
    this.#added = next.#added;
  }

  /** The rewrite was abandoned: this filter stays as it was (it holds every key added meanwhile). */
  abandonRebuild(): void {
    this.#next = null;
  }

  /** Keys added since the last clear (a key written by two flushes counts twice). */
  get added(): number {
    return this.#added;
  }

  /**
   * Grows for `keys` more keys before they are added. Keys come in hash1 order (a flush, a
   * run read back), so growing in the middle of them would leave the blocks at the start of
   * the hash range holding a whole growth's worth of keys, and every block split from them
   * too (at 4M keys, 2% of absent keys got "maybe" that way, against 0.1% with this).
   */
  reserve(keys: number): void {
    this.#next?.reserve(keys);
    while (this.#added + keys > (this.#words.length / BLOCK_WORDS) * KEYS_PER_BLOCK && this.#words.byteLength * 2 <= this.maxBytes) this.#grow();
  }

  add(h1: number, h2: number): void {
    this.#next?.add(h1, h2);
    this.#added++;
    const words = this.#words;
    const base = (h1 >>> this.#shift) * BLOCK_WORDS;
    setBlockBits(words, base, h2, PROBES);
  }

  /** False when no run holds the key of hashes h1, h2 (true: one may). */
  mayContain(h1: number, h2: number): boolean {
    const words = this.#words;
    const base = (h1 >>> this.#shift) * BLOCK_WORDS;
    if (!hasBlockBits(words, base, h2, PROBES)) return false;
    this.#maybe++;
    return true;
  }

  /**
   * Loads the blocks of the keys at order[from…to) (as Memtable.touch does its slots:
   * independent loads, whose misses overlap); returns a value made of them for the caller to keep.
   */
  touch(h1s: Uint32Array, order: Int32Array, from: number, to: number): number {
    const words = this.#words;
    const shift = this.#shift;
    let acc = 0;
    for (let o = from; o < to; o++) {
      const base = (h1s[order[o]!]! >>> shift) * BLOCK_WORDS;
      // A typed array's buffer is not 64-byte aligned, so a block usually straddles two cache lines: load both ends.
      acc = (acc + words[base]! + words[base + BLOCK_WORDS - 1]!) | 0;
    }
    return acc;
  }

  /**
   * Forgets every key (the engine dropped its runs). Never during a rebuild: the rewrite feeding
   * it writes runs whose keys a cleared filter would answer "absent" for (RunStack.close
   * abandons the rebuild before the engine clears this).
   */
  clear(): void {
    if (this.#next !== null) throw new StateError("the filter of the runs' keys cleared while a rewrite rebuilds it (abandon the rebuild first)");
    this.#maybe = 0;
    this.#words = new Uint32Array(INITIAL_BLOCKS * BLOCK_WORDS);
    this.#shift = 32 - Math.log2(INITIAL_BLOCKS);
    this.#added = 0;
  }

  /** Splits every block into up to eight (fewer at the ceiling), each a copy of it. */
  #grow(): void {
    const old = this.#words;
    let bits = GROWTH_BITS;
    while (bits > 1 && old.byteLength * 2 ** bits > this.maxBytes) bits--;
    const split = 2 ** bits;
    const words = new Uint32Array(old.length * split);
    for (let b = 0; b < old.length; b += BLOCK_WORDS) {
      const block = old.subarray(b, b + BLOCK_WORDS);
      for (let c = 0; c < split; c++) words.set(block, (b * split) + c * BLOCK_WORDS);
    }
    this.#words = words;
    this.#shift -= bits;
  }
}
