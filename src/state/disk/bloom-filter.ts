/** Bits per key and probes: about 1% false positives (RocksDB's default of 10 bits per key). */
const BITS_PER_KEY = 10;
const PROBES = 7;

/**
 * A bloom filter over a run's keys, probed with the two hashes of state-record.ts (double
 * hashing): a key not in the run is rejected without reading the disk 99% of the time.
 */
export class BloomFilter {
  constructor(readonly words: Uint32Array) {}

  static forKeys(numKeys: number): BloomFilter {
    return new BloomFilter(new Uint32Array(Math.max(2, Math.ceil((numKeys * BITS_PER_KEY) / 32))));
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  add(h1: number, h2: number): void {
    const bits = this.words.length * 32;
    let h = h1;
    for (let i = 0; i < PROBES; i++) {
      const bit = h % bits;
      this.words[bit >>> 5]! |= 1 << (bit & 31);
      h = (h + h2) >>> 0;
    }
  }

  mayContain(h1: number, h2: number): boolean {
    const words = this.words;
    const bits = words.length * 32;
    let h = h1;
    for (let i = 0; i < PROBES; i++) {
      const bit = h % bits;
      if ((words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
      h = (h + h2) >>> 0;
    }
    return true;
  }
}
