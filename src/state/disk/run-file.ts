import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StateError } from "../../common/errors.ts";
import { BlockCache } from "./block-cache.ts";
import { BloomFilter } from "./bloom-filter.ts";
import type { BlockCursor } from "./block-cursor.ts";
import { dataViewOf } from "./copy-bytes.ts";
import { FORMAT_2, MAGIC_1, MAGIC_2, TRAILER_1_BYTES, TRAILER_2_BYTES, WRITE_CHUNK } from "./run-format.ts";
import { RunPartition } from "./run-partition.ts";
import { readRecord, readU32, RECORD_HEADER_BYTES, recordKeyEquals, recordUtf8KeyEquals, TOMBSTONE, type RecordView } from "./state-record.ts";

let nextRunNumber = 1;

/** What RunFile.find reports: the record's block and where its value is. */
export interface FoundRecord {
  block: Buffer;
  valueStart: number;
  /** TOMBSTONE when the run records the key as removed. */
  valueLength: number;
}

/** Where a run's partitions are (run-format.ts). */
interface RunLayout {
  readonly format: number;
  readonly numEntries: number;
  readonly numTombstones: number;
  readonly numBlocks: number;
  readonly firstH1: Uint32Array;
  readonly dataStart: Float64Array;
  readonly metaStart: Float64Array;
  readonly indexStart: number;
  /** Format 1: the whole-file filter and index, held in memory. */
  readonly pinned: RunPartition | null;
}

/**
 * An open run (an SSTable, run-format.ts): only its top index (some 24 bytes a partition of
 * 256 KiB) stays in memory. A lookup finds the key's partition there, reads the partition's
 * filter and block index through the block cache, and, when the filter lets the key
 * through, the one block that may hold it.
 */
export class RunFile {
  readonly number = nextRunNumber++;
  readonly #view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
  readonly #layout: RunLayout;
  /** Filter and index partitions read from the file (cache misses included). */
  partitionReads = 0;
  /** Partitions' data blocks read at once (readPartitionData). */
  chunkReads = 0;

  private constructor(readonly path: string, readonly name: string, readonly fd: number, readonly fileBytes: number, layout: RunLayout) {
    this.#layout = layout;
  }

  static open(path: string, name: string): RunFile {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      const corrupt = (what: string): StateError => new StateError(`state run file ${path} is corrupt: ${what}`);
      if (size < TRAILER_1_BYTES) throw corrupt("it is shorter than its trailer");
      const magic = Buffer.alloc(4);
      readSync(fd, magic, 0, 4, size - 4);
      const layout = magic.readUInt32LE(0) === MAGIC_2 ? readLayout2(fd, size, corrupt)
        : magic.readUInt32LE(0) === MAGIC_1 ? readLayout1(fd, size, corrupt)
        : null;
      if (layout === null) throw corrupt("it does not end with a run trailer (truncated?)");
      return new RunFile(path, name, fd, size, layout);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The run format the file was written in (1: whole-file filter in memory; 2: partitioned). */
  get format(): number {
    return this.#layout.format;
  }

  get numEntries(): number {
    return this.#layout.numEntries;
  }

  get numTombstones(): number {
    return this.#layout.numTombstones;
  }

  get numBlocks(): number {
    return this.#layout.numBlocks;
  }

  get numPartitions(): number {
    return this.#layout.firstH1.length;
  }

  /** Memory the run keeps outside the block cache: its top index (format 1: its whole filter and index). */
  get memoryBytes(): number {
    const l = this.#layout;
    return l.pinned?.byteLength ?? l.firstH1.byteLength + l.dataStart.byteLength + l.metaStart.byteLength;
  }

  /** The partition that may hold hash1 `h1` (-1 for an empty run). */
  partitionFor(h1: number): number {
    const firstH1 = this.#layout.firstH1;
    let lo = 0;
    let hi = firstH1.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (firstH1[mid]! <= h1) lo = mid + 1;
      else hi = mid;
    }
    return firstH1.length === 0 ? -1 : Math.max(0, lo - 1);
  }

  /** The first hash1 of partition p + 1 (Infinity after the last): keys below it are in p. */
  partitionEnd(p: number): number {
    const firstH1 = this.#layout.firstH1;
    return p + 1 < firstH1.length ? firstH1[p + 1]! : Infinity;
  }

  /** Partition p's filter and block index, through `cache` (null: read without caching, as a merge does). */
  partition(p: number, cache: BlockCache | null): RunPartition {
    const l = this.#layout;
    if (l.pinned !== null) return l.pinned;
    const key = BlockCache.partitionKey(this.number, p);
    const cached = cache?.get<RunPartition>(key);
    if (cached !== undefined) return cached;
    const start = l.metaStart[p]!;
    const end = p + 1 < l.firstH1.length ? l.dataStart[p + 1]! : l.indexStart;
    const bytes = Buffer.allocUnsafe(end - start);
    this.#readFully(bytes, bytes.length, start);
    this.partitionReads++;
    const partition = RunPartition.decode(bytes);
    if (partition === null) throw new StateError(`state run file ${this.path} is corrupt: partition ${p}'s filter and index do not add up`);
    cache?.set(key, partition);
    return partition;
  }

  /** Finds `key` (with hashes h1, h2): true and `out` filled when the run has a record of it. */
  find(key: string | number, h1: number, h2: number, cache: BlockCache, out: FoundRecord): boolean {
    const p = this.partitionFor(h1);
    if (p < 0) return false;
    const partition = this.partition(p, cache);
    return partition.bloom.mayContain(h1, h2) && this.findIn(partition, key, h1, h2, cache, out);
  }

  /**
   * find() in the key's partition, whose filter has let the key through already. `utf8`: `key`
   * is the string of a UTF-8 key, without its mark (no marked string made per lookup).
   * `cursor` (this run's, for keys asked in hash1 order): where the last lookup stopped,
   * scanned from instead of the block's start when the key falls in the same block (block-cursor.ts).
   */
  findIn(partition: RunPartition, key: string | number, h1: number, h2: number, cache: BlockCache, out: FoundRecord, utf8 = false, cursor: BlockCursor | null = null): boolean {
    const firstH1 = partition.firstH1;
    const view = this.#view;
    for (let b = partition.firstBlockFor(h1); b < firstH1.length; b++) {
      if (firstH1[b]! > h1) return false;
      const number = partition.firstBlock + b;
      let block: Buffer;
      let pos = 0;
      let n: number;
      if (cursor !== null && cursor.block === number && cursor.h1 <= h1) {
        block = cursor.bytes;
        pos = cursor.pos;
        n = cursor.end;
      } else if (cursor !== null && cursor.chunkFirstBlock === partition.firstBlock) {
        // The partition's blocks read at once: the block is a range of the chunk.
        block = cursor.chunk;
        pos = partition.offsets[b]! - cursor.chunkStart;
        n = partition.offsets[b + 1]! - cursor.chunkStart;
      } else {
        block = this.readBlock(partition, b, cache);
        n = block.length;
      }
      // The records below h1: only their hash1 and lengths read.
      while (pos < n) {
        if (readU32(block, pos) >= h1) break;
        const valueLength = readU32(block, pos + 10);
        pos += RECORD_HEADER_BYTES + (block[pos + 8]! | (block[pos + 9]! << 8)) + (valueLength === TOMBSTONE ? 0 : valueLength);
      }
      if (cursor !== null) {
        cursor.block = number;
        cursor.bytes = block;
        cursor.end = n;
        cursor.pos = pos;
        cursor.h1 = h1;
      }
      for (; pos < n; pos = view.end) {
        readRecord(block, pos, view);
        if (view.h1 > h1) return false;
        if (view.h2 === h2 && (utf8 ? recordUtf8KeyEquals(block, view, key as string) : recordKeyEquals(block, view, key))) {
          out.block = block;
          out.valueStart = view.keyEnd;
          out.valueLength = view.valueLength;
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Reads all of a partition's data blocks with one pread into `into` (grown when short),
   * as partition-chunk.ts asks; returns the buffer read into.
   */
  readPartitionData(partition: RunPartition, into: Buffer): Buffer {
    const offsets = partition.offsets;
    const start = offsets[0]!;
    const bytes = offsets[offsets.length - 1]! - start;
    const buffer = into.length >= bytes ? into : Buffer.allocUnsafe(Math.max(bytes, into.length * 2));
    this.#readFully(buffer, bytes, start);
    this.chunkReads++;
    return buffer;
  }

  /**
   * Reads `bytes` bytes at `position` into the start of `into`; a file shorter than its
   * index says (truncated on local disk) is an error, never bytes left from an earlier read.
   */
  #readFully(into: Buffer, bytes: number, position: number): void {
    const read = readSync(this.fd, into, 0, bytes, position);
    if (read !== bytes) throw new StateError(`state run file ${this.path} is truncated: read ${read} of ${bytes} bytes at offset ${position}`);
  }

  /** Block b of a partition (its number within the partition). */
  readBlock(partition: RunPartition, b: number, cache: BlockCache | null): Buffer {
    const key = BlockCache.key(this.number, partition.firstBlock + b);
    const cached = cache?.get<Buffer>(key);
    if (cached !== undefined) return cached;
    const start = partition.offsets[b]!;
    const block = Buffer.allocUnsafe(partition.offsets[b + 1]! - start);
    this.#readFully(block, block.length, start);
    cache?.set(key, block);
    return block;
  }

  /**
   * The next chunk of records for a sequential read from (partition p, its block b), about
   * WRITE_CHUNK bytes of whole blocks: format 2 reads a partition's blocks at once, without
   * its meta block; format 1 walks its in-memory block index.
   */
  readChunk(p: number, b: number): { chunk: Buffer; p: number; b: number } {
    const l = this.#layout;
    let start: number;
    let end: number;
    if (l.pinned === null) {
      start = l.dataStart[p]!;
      end = l.metaStart[p]!;
      p++;
    } else {
      const offsets = l.pinned.offsets;
      let to = b + 1;
      while (to < l.numBlocks && offsets[to]! - offsets[b]! < WRITE_CHUNK) to++;
      start = offsets[b]!;
      end = offsets[to]!;
      b = to;
      if (b >= l.numBlocks) p++;
    }
    const chunk = Buffer.allocUnsafe(end - start);
    this.#readFully(chunk, chunk.length, start);
    return { chunk, p, b };
  }

  close(): void {
    closeSync(this.fd);
  }
}

type Corrupt = (what: string) => StateError;

function readLayout2(fd: number, size: number, corrupt: Corrupt): RunLayout {
  if (size < TRAILER_2_BYTES) throw corrupt("it is shorter than its trailer");
  const trailer = Buffer.alloc(TRAILER_2_BYTES);
  readSync(fd, trailer, 0, TRAILER_2_BYTES, size - TRAILER_2_BYTES);
  if (trailer.readUInt32LE(32) !== FORMAT_2) throw corrupt(`its trailer names run format ${trailer.readUInt32LE(32)}, not ${FORMAT_2}`);
  const indexStart = trailer.readDoubleLE(0);
  const n = trailer.readUInt32LE(8);
  const indexBytes = n * 24;
  if (indexStart + indexBytes + TRAILER_2_BYTES !== size) throw corrupt("its top index does not add up to its size");
  const buffer = new ArrayBuffer(indexBytes);
  readSync(fd, new Uint8Array(buffer), 0, indexBytes, indexStart);
  return {
    format: FORMAT_2,
    numEntries: trailer.readDoubleLE(16),
    numTombstones: trailer.readUInt32LE(24),
    numBlocks: trailer.readUInt32LE(12),
    dataStart: new Float64Array(buffer, 0, n),
    metaStart: new Float64Array(buffer, n * 8, n),
    firstH1: new Uint32Array(buffer, n * 16, n),
    indexStart,
    pinned: null,
  };
}

function readLayout1(fd: number, size: number, corrupt: Corrupt): RunLayout {
  const trailer = Buffer.alloc(TRAILER_1_BYTES);
  readSync(fd, trailer, 0, TRAILER_1_BYTES, size - TRAILER_1_BYTES);
  const footerStart = trailer.readDoubleLE(0);
  const numBlocks = trailer.readUInt32LE(8);
  const bloomWords = trailer.readUInt32LE(12);
  const footerBytes = bloomWords * 4 + numBlocks * 4 + (numBlocks + 1) * 8;
  if (footerStart + footerBytes + TRAILER_1_BYTES !== size) throw corrupt("its footer does not add up to its size");
  const footer = Buffer.alloc(footerBytes);
  readSync(fd, footer, 0, footerBytes, footerStart);
  // Copies into fresh, aligned arrays.
  const bloom = new Uint32Array(bloomWords);
  new Uint8Array(bloom.buffer).set(footer.subarray(0, bloomWords * 4));
  const firstH1 = new Uint32Array(numBlocks);
  new Uint8Array(firstH1.buffer).set(footer.subarray(bloomWords * 4, bloomWords * 4 + numBlocks * 4));
  const offsets = new Float64Array(numBlocks + 1);
  new Uint8Array(offsets.buffer).set(footer.subarray(bloomWords * 4 + numBlocks * 4));
  const empty = numBlocks === 0;
  return {
    format: 1,
    numEntries: trailer.readDoubleLE(16),
    numTombstones: trailer.readUInt32LE(24),
    numBlocks,
    firstH1: empty ? new Uint32Array(0) : Uint32Array.of(0),
    dataStart: Float64Array.of(0),
    metaStart: Float64Array.of(footerStart),
    indexStart: footerStart,
    pinned: new RunPartition(0, offsets, firstH1, new BloomFilter(bloom)),
  };
}

/** Reads a run's records in order, a partition (or about a MiB of blocks) at a time (merges and scans). */
export class RunCursor {
  readonly view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
  /** The chunk the current record is in. */
  chunk: Buffer = Buffer.alloc(0);
  /** A DataView over `chunk` (copy-bytes.ts dataViewOf). */
  chunkView: DataView = dataViewOf(this.chunk);
  #pos = 0;
  #p = 0;
  #b = 0;
  done = false;

  constructor(readonly run: RunFile) {
    this.next();
  }

  get tombstone(): boolean {
    return this.view.valueLength === TOMBSTONE;
  }

  /** Offset of the current record in `chunk`. */
  get start(): number {
    return this.#pos;
  }

  /** Moves to the next record; `done` after the last. */
  next(): void {
    if (this.done) return;
    if (this.#pos > 0 || this.chunk.length > 0) this.#pos = this.view.end;
    while (this.#pos >= this.chunk.length) {
      if (this.#p >= this.run.numPartitions) {
        this.done = true;
        return;
      }
      const { chunk, p, b } = this.run.readChunk(this.#p, this.#b);
      this.chunk = chunk;
      this.chunkView = dataViewOf(chunk);
      this.#p = p;
      this.#b = b;
      this.#pos = 0;
    }
    readRecord(this.chunk, this.#pos, this.view);
  }
}
