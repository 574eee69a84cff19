import { dataViewOf } from "./copy-bytes.ts";

/** Arena chunk size: records are appended here, never across two chunks. */
export const CHUNK_BYTES = 1 << 20;
/** A record's address: chunk number · CHUNK_ADDRESS + offset (adopted chunks may pass CHUNK_BYTES). */
const CHUNK_ADDRESS = 2 ** 32;

/** Where an arena was (RecordArena.mark), to rewind it there or list what came since. */
export interface ArenaMark {
  chunks: number;
  pos: number;
  lastUsed: number;
  bytes: number;
}

/**
 * Arena chunks given back by a cleared arena, for the next ones to take (an engine's two
 * memtables share one): a memtable fills to about the same size after every flush, so its
 * chunks are reused instead of allocated (shared memory is zeroed) and left to the
 * garbage collectors of both threads that saw them (the flush thread's collects rarely).
 */
export class ChunkPool {
  readonly #free: Buffer[] = [];

  /** `maxBytes`: the most it keeps. */
  constructor(readonly maxBytes = 0) {}

  take(): Buffer {
    return this.#free.pop() ?? Buffer.from(new SharedArrayBuffer(CHUNK_BYTES), 0, CHUNK_BYTES);
  }

  give(chunk: Buffer): void {
    if ((this.#free.length + 1) * CHUNK_BYTES <= this.maxBytes) this.#free.push(chunk);
  }

  /** Bytes kept. */
  get bytes(): number {
    return this.#free.length * CHUNK_BYTES;
  }
}

/**
 * The bytes of the memtable's records (memtable.ts): appended to 1 MiB chunks, or left
 * where they are in an adopted buffer (a changelog's bytes, indexed in place). A record
 * is named by its address, a float64 of its chunk and offset, so that the memtable keeps
 * one number per record and no JS object.
 */
export class RecordArena {
  chunks: Buffer[] = [];
  /** A DataView over each chunk (copy-bytes.ts dataViewOf), for copying records out a word at a time. */
  #views: DataView[] = [];
  /** Bytes of records in each chunk. */
  #used: number[] = [];
  /** Where the next record goes in the last chunk (CHUNK_BYTES: in a new chunk). */
  #pos = CHUNK_BYTES;
  #bytes = 0;
  /** The last buffer adopted and its chunk number. */
  #adopted: Buffer | null = null;
  #adoptedChunk = -1;
  /** The offset of the room the last `take` gave. */
  start = 0;

  constructor(readonly pool = new ChunkPool()) {}

  /** Bytes held (chunks' records and adopted buffers). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Room for a record of `length` bytes: its chunk number, its offset in `start` (until the next call). */
  take(length: number): number {
    const c = this.room(length);
    this.advance(length);
    return c;
  }

  /**
   * Room for a record of at most `maxLength` bytes, whose length is known once it is written
   * (advance then takes that much): its chunk number, its offset in `start`.
   */
  room(maxLength: number): number {
    if (this.#pos + maxLength > CHUNK_BYTES) {
      // On shared memory, so that a flush thread (background-threads.ts) reads the records where they are.
      const chunk = maxLength <= CHUNK_BYTES ? this.pool.take() : Buffer.from(new SharedArrayBuffer(maxLength), 0, maxLength);
      this.chunks.push(chunk);
      this.#views.push(dataViewOf(chunk));
      this.#used.push(0);
      this.#pos = 0;
    }
    this.start = this.#pos;
    return this.chunks.length - 1;
  }

  /** Takes `length` bytes of the room the last `room` gave (at most its maxLength). */
  advance(length: number): void {
    this.#pos += length;
    this.#used[this.chunks.length - 1] = this.#pos;
    this.#bytes += length;
  }

  /** The chunk number of `from`, kept as it is until clear() (the caller must not change it). */
  adopt(from: Buffer): number {
    if (this.#adopted !== from) {
      this.chunks.push(from);
      this.#views.push(dataViewOf(from));
      this.#used.push(from.length);
      this.#adopted = from;
      this.#adoptedChunk = this.chunks.length - 1;
      this.#pos = CHUNK_BYTES; // appends go to a fresh chunk after it
      this.#bytes += from.length;
    }
    return this.#adoptedChunk;
  }

  static address(chunk: number, offset: number): number {
    return chunk * CHUNK_ADDRESS + offset;
  }

  /** The chunk number part of an address. */
  static chunkNumber(address: number): number {
    return Math.floor(address / CHUNK_ADDRESS);
  }

  chunkAt(address: number): Buffer {
    return this.chunks[Math.floor(address / CHUNK_ADDRESS)]!;
  }

  viewAt(address: number): DataView {
    return this.#views[Math.floor(address / CHUNK_ADDRESS)]!;
  }

  /** Whether every chunk is on a SharedArrayBuffer (none adopted): another thread can read them as they are. */
  get shared(): boolean {
    return this.#adopted === null;
  }

  /** The offset part of an address: its low 32 bits (`>>> 0` is that, without the float modulo `%` would be). */
  static offsetOf(address: number): number {
    return address >>> 0;
  }

  /** Records where the arena is into `m`. */
  mark(m: ArenaMark): void {
    m.chunks = this.chunks.length;
    m.pos = this.#pos;
    m.lastUsed = m.chunks > 0 ? this.#used[m.chunks - 1]! : 0;
    m.bytes = this.#bytes;
  }

  /** Drops what was appended since `m`. */
  rewind(m: ArenaMark): void {
    this.chunks.length = m.chunks;
    this.#views.length = m.chunks;
    this.#used.length = m.chunks;
    if (m.chunks > 0) this.#used[m.chunks - 1] = m.lastUsed;
    this.#pos = m.pos;
    this.#bytes = m.bytes;
  }

  /** The bytes appended since `m`, in order, as [chunk, start, end] slices. */
  slicesSince(m: ArenaMark): Array<[Buffer, number, number]> {
    const out: Array<[Buffer, number, number]> = [];
    const last = m.chunks - 1;
    if (last >= 0 && this.#used[last]! > m.lastUsed) out.push([this.chunks[last]!, m.lastUsed, this.#used[last]!]);
    for (let c = m.chunks; c < this.chunks.length; c++) out.push([this.chunks[c]!, 0, this.#used[c]!]);
    return out;
  }

  clear(): void {
    for (const chunk of this.chunks) if (chunk.length === CHUNK_BYTES && chunk.buffer instanceof SharedArrayBuffer) this.pool.give(chunk);
    this.chunks = [];
    this.#views = [];
    this.#used = [];
    this.#adopted = null;
    this.#pos = CHUNK_BYTES;
    this.#bytes = 0;
  }
}
