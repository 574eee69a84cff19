import { BloomFilter } from "./bloom-filter.ts";

const HEADER_BYTES = 16;

/**
 * One partition of a run's filter and index (RocksDB's partitioned filters and two-level
 * index): for about PARTITION_BLOCKS consecutive data blocks, the bloom filter of their keys,
 * each block's first hash1 and each block's offset in the file (and the end of the last). A
 * run file of format 2 stores it after the partition's blocks as a meta block:
 *
 *     u32le numBlocks  u32le bloomWords  u32le firstBlock  u32le 0
 *     f64le offsets[numBlocks + 1]  u32le firstH1[numBlocks]  u32le bloom[bloomWords]
 *
 * and reads it through the block cache; a format-1 run keeps its one whole-file partition in memory.
 */
export class RunPartition {
  constructor(
    /** The run-wide number of the partition's first block (its cache key). */
    readonly firstBlock: number,
    /** Absolute start of each block in the file, and the end of the last. */
    readonly offsets: Float64Array,
    readonly firstH1: Uint32Array,
    readonly bloom: BloomFilter,
  ) {}

  get numBlocks(): number {
    return this.firstH1.length;
  }

  get byteLength(): number {
    return this.offsets.byteLength + this.firstH1.byteLength + this.bloom.bytes + 64;
  }

  /** The first block that may hold hash1 `h1` (the block before the first one starting at ≥ h1). */
  firstBlockFor(h1: number): number {
    const firstH1 = this.firstH1;
    let lo = 0;
    let hi = firstH1.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (firstH1[mid]! < h1) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  static encodedBytes(numBlocks: number, bloomWords: number): number {
    return HEADER_BYTES + 8 * (numBlocks + 1) + 4 * numBlocks + 4 * bloomWords;
  }

  /** The meta block of a partition. */
  static encode(firstBlock: number, offsets: readonly number[], firstH1: readonly number[], bloom: BloomFilter): Uint8Array {
    const numBlocks = firstH1.length;
    const buffer = new ArrayBuffer(RunPartition.encodedBytes(numBlocks, bloom.words.length));
    new Uint32Array(buffer, 0, 4).set([numBlocks, bloom.words.length, firstBlock, 0]);
    new Float64Array(buffer, HEADER_BYTES, numBlocks + 1).set(offsets);
    const h1At = HEADER_BYTES + 8 * (numBlocks + 1);
    new Uint32Array(buffer, h1At, numBlocks).set(firstH1);
    new Uint32Array(buffer, h1At + 4 * numBlocks, bloom.words.length).set(bloom.words);
    return new Uint8Array(buffer);
  }

  /** Parses a meta block (copied into one aligned buffer); null when its sizes do not add up. */
  static decode(bytes: Uint8Array): RunPartition | null {
    if (bytes.length < HEADER_BYTES) return null;
    const buffer = new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);
    const [numBlocks, bloomWords, firstBlock] = new Uint32Array(buffer, 0, 3) as unknown as [number, number, number];
    if (RunPartition.encodedBytes(numBlocks, bloomWords) !== bytes.length) return null;
    const h1At = HEADER_BYTES + 8 * (numBlocks + 1);
    return new RunPartition(
      firstBlock,
      new Float64Array(buffer, HEADER_BYTES, numBlocks + 1),
      new Uint32Array(buffer, h1At, numBlocks),
      new BloomFilter(new Uint32Array(buffer, h1At + 4 * numBlocks, bloomWords)),
    );
  }
}
