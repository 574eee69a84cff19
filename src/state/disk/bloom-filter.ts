import { BLOCK_WORDS, hasBlockBits, setBlockBits } from "./filter-block.ts";

/** Bits per key of the largest runs' filters, and probes: about 1% false positives (RocksDB's default of 10 bits per key). */
export const BITS_PER_KEY = 10;
/**
 * Bits per key of the other runs' filters: about 0.2% false positives with the same probes.
 * Every new key is checked against every run, and a false positive costs a block read and
 * a scan of it (at 4M keys, 10 bits a key read a block for 3.4% of the keys); the largest
 * runs, which hold most keys of a big state, keep 10 bits so that their filters stay
 * within the block cache. The filter's size is in its partition: old runs read as before.
 */
export const SMALL_RUN_BITS_PER_KEY = 16;
const PROBES = 7;

/**
 * A blocked bloom filter over a run's keys (RocksDB's format_version 5 idea): hash1 picks a
 * 64-byte block, hash2 the bits within it, so that a lookup touches one cache line however
 * many bits it tests. A key not in the run is rejected without reading the disk ~99% of the time.
 */
export class BloomFilter {
  constructor(readonly words: Uint32Array) {}

  static forKeys(numKeys: number, bitsPerKey = BITS_PER_KEY): BloomFilter {
    const blocks = Math.max(1, Math.ceil((numKeys * bitsPerKey) / (BLOCK_WORDS * 32)));
    return new BloomFilter(new Uint32Array(blocks * BLOCK_WORDS));
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  add(h1: number, h2: number): void {
    const words = this.words;
    const base = blockOf(h1, words.length) * BLOCK_WORDS;
    setBlockBits(words, base, h2, PROBES);
  }

  mayContain(h1: number, h2: number): boolean {
    const words = this.words;
    const base = blockOf(h1, words.length) * BLOCK_WORDS;
    return hasBlockBits(words, base, h2, PROBES);
  }
}

/**
 * The block of hash1 `h1` in a filter of `numWords` words: h1 modulo the number of blocks,
 * in integer arithmetic (a float division there made the modulo a call to fmod per key).
 */
function blockOf(h1: number, numWords: number): number {
  return (h1 >>> 0) % (numWords >>> 4);
}
