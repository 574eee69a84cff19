import { closeSync, openSync, writeSync } from "node:fs";
import { BITS_PER_KEY, BloomFilter } from "./bloom-filter.ts";
import { BLOCK_BYTES, FORMAT_2, MAGIC_2, PARTITION_BLOCKS, TRAILER_2_BYTES, WRITE_CHUNK } from "./run-format.ts";
import { RunPartition } from "./run-partition.ts";
import { RecordWriter } from "./state-record.ts";

/**
 * Writes a run file (format 2, run-format.ts): add records in hash1 order, then finish().
 * Memory is bounded whatever the run's size: the block being filled, a write buffer, and the
 * current partition's hashes; each partition's filter is built and written when it ends.
 */
export class RunWriter {
  readonly #fd: number;
  readonly #block = new RecordWriter(BLOCK_BYTES * 2);
  readonly #out = new RecordWriter(WRITE_CHUNK + BLOCK_BYTES * 2);
  // The partition being written.
  #blockFirstH1s: number[] = [];
  #blockOffsets: number[] = [];
  #h1s = new Uint32Array(1 << 14);
  #h2s = new Uint32Array(1 << 14);
  #numHashes = 0;
  // The top index.
  readonly #dataStarts: number[] = [];
  readonly #metaStarts: number[] = [];
  readonly #firstH1s: number[] = [];
  readonly #firstBlocks: number[] = [];
  #blocks = 0;
  #blockFirstH1 = 0;
  #lastH1 = -1;
  #written = 0;
  #entries = 0;
  #tombstones = 0;

  /** `bitsPerKey`: of the partitions' filters (bloom-filter.ts). */
  constructor(readonly path: string, readonly bitsPerKey = BITS_PER_KEY) {
    this.#fd = openSync(path, "w");
  }

  get entries(): number {
    return this.#entries;
  }

  /** Bytes written so far (flushed or buffered). */
  get bytes(): number {
    return this.#written + this.#out.length + this.#block.length;
  }

  addKey(h1: number, h2: number, key: string | number, value: Uint8Array | null): void {
    this.#startRecord(h1, h2, value === null);
    this.#block.addKey(h1, h2, key, value);
  }

  /** Adds the record [start, end) of `chunk` (from another run; `chunkView`: dataViewOf(chunk)) with its hashes and tombstone flag. */
  addRecord(h1: number, h2: number, tombstone: boolean, chunk: Buffer, chunkView: DataView, start: number, end: number): void {
    this.#startRecord(h1, h2, tombstone);
    this.#block.addRecordFrom(chunk, chunkView, start, end);
  }

  finish(): void {
    try {
      this.#endBlock();
      this.#endPartition();
      this.#flush();
      const indexStart = this.#written;
      const n = this.#firstH1s.length;
      const trailer = Buffer.alloc(TRAILER_2_BYTES);
      trailer.writeDoubleLE(indexStart, 0);
      trailer.writeUInt32LE(n, 8);
      trailer.writeUInt32LE(this.#blocks, 12);
      trailer.writeDoubleLE(this.#entries, 16);
      trailer.writeUInt32LE(this.#tombstones, 24);
      trailer.writeUInt32LE(this.bitsPerKey, 28);
      trailer.writeUInt32LE(FORMAT_2, 32);
      trailer.writeUInt32LE(MAGIC_2, 36);
      const parts = [
        new Uint8Array(Float64Array.from([...this.#dataStarts, ...this.#metaStarts]).buffer),
        new Uint8Array(Uint32Array.from([...this.#firstH1s, ...this.#firstBlocks]).buffer),
        trailer,
      ];
      for (const part of parts) writeAll(this.#fd, part);
    } finally {
      closeSync(this.#fd);
    }
  }

  /** Gives up the file (a merge that was abandoned); the caller deletes it. */
  abandon(): void {
    closeSync(this.#fd);
  }

  #startRecord(h1: number, h2: number, tombstone: boolean): void {
    if (this.#block.length >= BLOCK_BYTES) {
      this.#endBlock();
      // A partition ends at a block boundary between two hash1s.
      if (this.#blockFirstH1s.length >= PARTITION_BLOCKS && h1 !== this.#lastH1) this.#endPartition();
    }
    if (this.#block.length === 0) this.#blockFirstH1 = h1;
    if (this.#numHashes === this.#h1s.length) {
      this.#h1s = grow(this.#h1s);
      this.#h2s = grow(this.#h2s);
    }
    this.#h1s[this.#numHashes] = h1;
    this.#h2s[this.#numHashes++] = h2;
    this.#lastH1 = h1;
    this.#entries++;
    if (tombstone) this.#tombstones++;
  }

  #endBlock(): void {
    if (this.#block.length === 0) return;
    this.#blockFirstH1s.push(this.#blockFirstH1);
    this.#blockOffsets.push(this.#written + this.#out.length);
    this.#out.addRaw(this.#block.bytes());
    this.#block.reset();
    if (this.#out.length >= WRITE_CHUNK) this.#flush();
  }

  #endPartition(): void {
    const numBlocks = this.#blockFirstH1s.length;
    if (numBlocks === 0) return;
    const metaStart = this.#written + this.#out.length;
    this.#blockOffsets.push(metaStart);
    const bloom = BloomFilter.forKeys(this.#numHashes, this.bitsPerKey);
    for (let i = 0; i < this.#numHashes; i++) bloom.add(this.#h1s[i]!, this.#h2s[i]!);
    this.#dataStarts.push(this.#blockOffsets[0]!);
    this.#metaStarts.push(metaStart);
    this.#firstH1s.push(this.#blockFirstH1s[0]!);
    this.#firstBlocks.push(this.#blocks);
    this.#out.addRaw(RunPartition.encode(this.#blocks, this.#blockOffsets, this.#blockFirstH1s, bloom));
    this.#blocks += numBlocks;
    this.#blockFirstH1s = [];
    this.#blockOffsets = [];
    this.#numHashes = 0;
    if (this.#out.length >= WRITE_CHUNK) this.#flush();
  }

  #flush(): void {
    const bytes = this.#out.bytes();
    writeAll(this.#fd, bytes);
    this.#written += bytes.length;
    this.#out.reset();
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function grow(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
