import { RecordArena } from "./record-arena.ts";

/** Records up to which clear() keeps the arrays (unless keepArrays). */
const CLEAR_KEEP = 1 << 17;
const INITIAL = 1024;

/**
 * The memtable's per-record arrays (memtable.ts), one entry per record appended since the
 * last clear, in the order appended: its hashes, its address in the arena, its length
 * (negated for a removal), whether a later record of its key replaced it, and where each
 * run of records sorted by hash1 (a segment) begins. Typed arrays, grown by doubling: no
 * JS object per record; on shared memory (a flush thread reads them). Fields are public for the memtable's probe loops; they are
 * replaced when the arrays grow.
 */
export class MemtableRecords {
  h1!: Uint32Array;
  h2!: Uint32Array;
  /** Each record's address in the arena (RecordArena.address). */
  at!: Float64Array;
  /** Each record's length in bytes, negated for a removal. */
  len!: Int32Array;
  /** 1 where a later record of the same key replaced this one. */
  superseded!: Uint8Array;
  /** The first record of each hash1-sorted segment, in record order. */
  segmentStarts: number[] = [];
  /** Records held. */
  count = 0;

  /** `keepArrays`: clear() keeps the arrays however large they grew. */
  constructor(readonly keepArrays: boolean) {
    this.#allocate(INITIAL);
  }

  /** Appends a record (at arena address `address`, `length` bytes); returns its index. */
  add(address: number, h1: number, h2: number, length: number, tombstone: boolean): number {
    const r = this.count;
    if (r === this.h1.length) this.#grow();
    this.h1[r] = h1;
    this.h2[r] = h2;
    this.at[r] = address;
    this.len[r] = tombstone ? -length : length;
    this.superseded[r] = 0;
    if (r === 0 || h1 < this.h1[r - 1]!) this.segmentStarts.push(r);
    this.count++;
    return r;
  }

  isTombstone(r: number): boolean {
    return this.len[r]! < 0;
  }

  /** Record `r`'s length in bytes. */
  lengthOf(r: number): number {
    return Math.abs(this.len[r]!);
  }

  /** Record `r`'s offset in its arena chunk. */
  offsetOf(r: number): number {
    return RecordArena.offsetOf(this.at[r]!);
  }

  /** Drops the records from `count` on (and the segments from `segments` on). */
  rewind(count: number, segments: number): void {
    this.count = count;
    this.segmentStarts.length = segments;
  }

  /** Drops every record; arrays over CLEAR_KEEP entries are let go unless keepArrays (then true). */
  clear(): boolean {
    this.count = 0;
    this.segmentStarts = [];
    if (this.h1.length <= CLEAR_KEEP || this.keepArrays) return false;
    this.#allocate(INITIAL);
    return true;
  }

  #grow(): void {
    const { h1, h2, at, len, superseded } = this;
    this.#allocate(h1.length * 2);
    this.h1.set(h1);
    this.h2.set(h2);
    this.at.set(at);
    this.len.set(len);
    this.superseded.set(superseded);
  }

  // On shared memory, so that a flush thread (flush-task.ts) reads them as they are.
  #allocate(n: number): void {
    this.h1 = new Uint32Array(new SharedArrayBuffer(4 * n));
    this.h2 = new Uint32Array(new SharedArrayBuffer(4 * n));
    this.at = new Float64Array(new SharedArrayBuffer(8 * n));
    this.len = new Int32Array(new SharedArrayBuffer(4 * n));
    this.superseded = new Uint8Array(new SharedArrayBuffer(n));
  }
}
