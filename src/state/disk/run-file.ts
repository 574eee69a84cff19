import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { StateError } from "../../common/errors.ts";
import { BlockCache } from "./block-cache.ts";
import { BloomFilter } from "./bloom-filter.ts";
import { readRecord, RecordWriter, recordKeyEquals, TOMBSTONE, type RecordView } from "./state-record.ts";

/**
 * An immutable sorted run of the disk engine (an SSTable): records sorted by hash1, in
 * blocks of about BLOCK_BYTES (a record never spans two), then a footer that open() reads
 * whole — the bloom filter, each block's first hash1 and offset — and a trailer:
 *
 *     f64le footerStart  u32le numBlocks  u32le bloomWords  f64le numEntries  u32le numTombstones  "RVRN"
 *
 * A lookup tests the bloom filter, finds the block by binary search and reads that block
 * (through the block cache) with one pread; nothing but the footer stays in memory.
 */
const BLOCK_BYTES = 4096;
const TRAILER_BYTES = 32;
const MAGIC = 0x4e525652; // "RVRN"
const WRITE_CHUNK = 1 << 20;

let nextRunNumber = 1;

/** Writes a run: add records in hash1 order, then finish(). */
export class RunWriter {
  readonly #fd: number;
  readonly #block = new RecordWriter(BLOCK_BYTES * 2);
  readonly #out = new RecordWriter(WRITE_CHUNK + BLOCK_BYTES * 2);
  readonly #bloom: BloomFilter;
  readonly #firstH1: number[] = [];
  readonly #offsets: number[] = [];
  #blockFirstH1 = 0;
  #written = 0;
  #entries = 0;
  #tombstones = 0;

  /** `maxEntries` sizes the bloom filter (an upper bound of the records to come). */
  constructor(readonly path: string, maxEntries: number) {
    this.#fd = openSync(path, "w");
    this.#bloom = BloomFilter.forKeys(maxEntries);
  }

  get entries(): number {
    return this.#entries;
  }

  addKey(h1: number, h2: number, key: string | number, value: Uint8Array | null): void {
    this.#startRecord(h1, h2, value === null);
    this.#block.addKey(h1, h2, key, value);
  }

  /** Adds the record [start, end) of `chunk` (from another run) with its hashes and tombstone flag. */
  addRecord(h1: number, h2: number, tombstone: boolean, chunk: Buffer, start: number, end: number): void {
    this.#startRecord(h1, h2, tombstone);
    this.#block.addRange(chunk, start, end);
  }

  finish(): void {
    try {
      this.#endBlock();
      this.#flush();
      const footerStart = this.#written;
      this.#offsets.push(footerStart);
      const numBlocks = this.#firstH1.length;
      const trailer = Buffer.alloc(TRAILER_BYTES);
      trailer.writeDoubleLE(footerStart, 0);
      trailer.writeUInt32LE(numBlocks, 8);
      trailer.writeUInt32LE(this.#bloom.words.length, 12);
      trailer.writeDoubleLE(this.#entries, 16);
      trailer.writeUInt32LE(this.#tombstones, 24);
      trailer.writeUInt32LE(MAGIC, 28);
      const parts = [
        new Uint8Array(this.#bloom.words.buffer),
        new Uint8Array(Uint32Array.from(this.#firstH1).buffer),
        new Uint8Array(Float64Array.from(this.#offsets).buffer),
        trailer,
      ];
      for (const part of parts) writeSync(this.#fd, part);
    } finally {
      closeSync(this.#fd);
    }
  }

  #startRecord(h1: number, h2: number, tombstone: boolean): void {
    if (this.#block.length >= BLOCK_BYTES) this.#endBlock();
    if (this.#block.length === 0) this.#blockFirstH1 = h1;
    this.#bloom.add(h1, h2);
    this.#entries++;
    if (tombstone) this.#tombstones++;
  }

  #endBlock(): void {
    if (this.#block.length === 0) return;
    this.#firstH1.push(this.#blockFirstH1);
    this.#offsets.push(this.#written + this.#out.length);
    this.#out.addRaw(this.#block.bytes());
    this.#block.reset();
    if (this.#out.length >= WRITE_CHUNK) this.#flush();
  }

  #flush(): void {
    const bytes = this.#out.bytes();
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done);
    this.#written += bytes.length;
    this.#out.reset();
  }
}

/** What RunFile.find reports: the record's block and where its value is. */
export interface FoundRecord {
  block: Buffer;
  valueStart: number;
  /** TOMBSTONE when the run records the key as removed. */
  valueLength: number;
}

/** An open run: its footer in memory, its blocks on disk. */
export class RunFile {
  readonly number = nextRunNumber++;
  readonly #view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };

  private constructor(
    readonly path: string,
    readonly name: string,
    readonly fd: number,
    readonly fileBytes: number,
    readonly numEntries: number,
    readonly numTombstones: number,
    readonly bloom: BloomFilter,
    readonly firstH1: Uint32Array,
    /** Start of each block, and the end of the last. */
    readonly offsets: Float64Array,
  ) {}

  static open(path: string, name: string): RunFile {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      const corrupt = (what: string): StateError => new StateError(`state run file ${path} is corrupt: ${what}`);
      if (size < TRAILER_BYTES) throw corrupt("it is shorter than its trailer");
      const trailer = Buffer.alloc(TRAILER_BYTES);
      readSync(fd, trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
      if (trailer.readUInt32LE(28) !== MAGIC) throw corrupt("it does not end with the run trailer (truncated?)");
      const footerStart = trailer.readDoubleLE(0);
      const numBlocks = trailer.readUInt32LE(8);
      const bloomWords = trailer.readUInt32LE(12);
      const footerBytes = bloomWords * 4 + numBlocks * 4 + (numBlocks + 1) * 8;
      if (footerStart + footerBytes + TRAILER_BYTES !== size) throw corrupt("its footer does not add up to its size");
      const footer = Buffer.alloc(footerBytes);
      readSync(fd, footer, 0, footerBytes, footerStart);
      // Copies into fresh, aligned arrays.
      const bloom = new Uint32Array(bloomWords);
      new Uint8Array(bloom.buffer).set(footer.subarray(0, bloomWords * 4));
      const firstH1 = new Uint32Array(numBlocks);
      new Uint8Array(firstH1.buffer).set(footer.subarray(bloomWords * 4, bloomWords * 4 + numBlocks * 4));
      const offsets = new Float64Array(numBlocks + 1);
      new Uint8Array(offsets.buffer).set(footer.subarray(bloomWords * 4 + numBlocks * 4));
      return new RunFile(path, name, fd, size, trailer.readDoubleLE(16), trailer.readUInt32LE(24), new BloomFilter(bloom), firstH1, offsets);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get numBlocks(): number {
    return this.firstH1.length;
  }

  /** Memory the run keeps (bloom filter and block index). */
  get memoryBytes(): number {
    return this.bloom.bytes + this.firstH1.byteLength + this.offsets.byteLength;
  }

  /** Finds `key` (with hashes h1, h2): true and `out` filled when the run has a record of it. */
  find(key: string | number, h1: number, h2: number, cache: BlockCache, out: FoundRecord): boolean {
    return this.bloom.mayContain(h1, h2) && this.findAfterFilter(key, h1, h2, cache, out);
  }

  /** find() for a key the bloom filter has let through already. */
  findAfterFilter(key: string | number, h1: number, h2: number, cache: BlockCache, out: FoundRecord): boolean {
    // The first block whose first hash1 is ≥ h1; the key's records may begin in the block before.
    const firstH1 = this.firstH1;
    let lo = 0;
    let hi = firstH1.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (firstH1[mid]! < h1) lo = mid + 1;
      else hi = mid;
    }
    const view = this.#view;
    for (let b = Math.max(0, lo - 1); b < firstH1.length; b++) {
      if (firstH1[b]! > h1) return false;
      const block = this.readBlock(b, cache);
      for (let pos = 0; pos < block.length; pos = view.end) {
        readRecord(block, pos, view);
        if (view.h1 > h1) return false;
        if (view.h1 === h1 && view.h2 === h2 && recordKeyEquals(block, view, key)) {
          out.block = block;
          out.valueStart = view.keyEnd;
          out.valueLength = view.valueLength;
          return true;
        }
      }
    }
    return false;
  }

  readBlock(b: number, cache: BlockCache | null): Buffer {
    const key = BlockCache.key(this.number, b);
    const cached = cache?.get(key);
    if (cached !== undefined) return cached;
    const start = this.offsets[b]!;
    const block = Buffer.allocUnsafe(this.offsets[b + 1]! - start);
    readSync(this.fd, block, 0, block.length, start);
    cache?.set(key, block);
    return block;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads a run's records in order, a few hundred blocks at a time (merges and scans). */
export class RunCursor {
  readonly view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
  /** The chunk the current record is in. */
  chunk: Buffer = Buffer.alloc(0);
  #pos = 0;
  #nextBlock = 0;
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
    if (this.#pos >= this.chunk.length) {
      const run = this.run;
      if (this.#nextBlock >= run.numBlocks) {
        this.done = true;
        return;
      }
      const from = this.#nextBlock;
      let to = from + 1;
      while (to < run.numBlocks && run.offsets[to]! - run.offsets[from]! < WRITE_CHUNK) to++;
      const start = run.offsets[from]!;
      this.chunk = Buffer.allocUnsafe(run.offsets[to]! - start);
      readSync(run.fd, this.chunk, 0, this.chunk.length, start);
      this.#nextBlock = to;
      this.#pos = 0;
    }
    readRecord(this.chunk, this.#pos, this.view);
  }
}
