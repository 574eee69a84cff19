import type { StateKey } from "../state-store.ts";
import { copyBytes } from "./copy-bytes.ts";
import type { FlushTask } from "./flush-task.ts";
import { PendingRecords } from "./memtable-pending.ts";
import { MemtableRecords } from "./memtable-records.ts";
import { MemtableSlots } from "./memtable-slots.ts";
import { ChunkPool, RecordArena } from "./record-arena.ts";
import { mergeSegments } from "./segment-merge.ts";
import { appendRecord } from "./record-append.ts";
import {
  keyByteLength, readRecord, readU32, RECORD_HEADER_BYTES, recordKeyEquals, recordUtf8KeyEquals, TOMBSTONE,
  writeRecordAt, type RecordView,
} from "./state-record.ts";

/** A memtable's records for a flush thread (Memtable.flushInput, flush-task.ts). */
export type FlushInput = Pick<FlushTask, "chunks" | "h1" | "h2" | "at" | "len" | "superseded" | "segmentStarts" | "records" | "keys">;

/** Bytes per record beyond its own: hashes, position, length, superseded flag, and its share of the slots (2–4 slots of 8 bytes). */
const RECORD_OVERHEAD = 4 + 4 + 8 + 4 + 1 + 16;
/** The engine flushes before a memtable holds more keys (bounds a flush's run and its arrays). */
export const MAX_KEYS = 1 << 21;

/**
 * The disk engine's memtable: committed records (state-record.ts format, exactly as the
 * changelog carries them) in an arena (record-arena.ts), found through an open-addressing
 * table on their hash1 (memtable-slots.ts). No JS object or string per key: the garbage collector
 * never walks the memtable, a lookup is a typed-array probe (the key's bytes are compared
 * only when both 32-bit hashes match), and a flush copies the records to the run as they are.
 * A key written again gets a new record; the slot points at the newest, the old one is
 * marked superseded and stays garbage in the arena until the flush.
 *
 * Records arrive in segments already sorted by hash1 (a changelog is written in hash1
 * order, changelog-file.ts): a segment is a maximal stretch of consecutive records whose
 * hash1 does not decrease. A flush merges the segments (sortedRecords), reading each one
 * front to back, instead of gathering records from all over the arena in hash1 order.
 */
export class Memtable {
  /** The records' hashes, addresses, lengths, superseded flags and segments. */
  readonly #recs: MemtableRecords;
  /** The index: a slot per key, pointing at its newest record. */
  readonly #slots = new MemtableSlots();
  /** The record the last #probe found (-1: none). */
  #hit = -1;
  readonly #arena: RecordArena;
  readonly #view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
  /** The records of the version being updated (memtable-pending.ts). */
  readonly #pending = new PendingRecords();

  /**
   * `keepIndex`: clear() keeps the index arrays however large they grew (zeroed): the
   * engine's memtable fills to about the same size after every flush, and growing its
   * slots from scratch each time rehashes every key about twice.
   */
  constructor(readonly keepIndex = false, chunks = new ChunkPool()) {
    this.#recs = new MemtableRecords(keepIndex);
    this.#arena = new RecordArena(chunks);
  }

  /** Distinct keys held (removals included). */
  get size(): number {
    return this.#slots.used;
  }

  /** Records appended since the last clear (a key written twice counts twice). */
  get records(): number {
    return this.#recs.count;
  }

  /** Memory held: arena chunks, per-record arrays and slots. */
  get bytes(): number {
    return this.#arena.bytes + this.#recs.count * RECORD_OVERHEAD;
  }

  /** The newest record of `key` (hashes h1, h2), as a record index, or -1. */
  find(key: StateKey, h1: number, h2: number): number {
    this.#probe(key, false, h1, h2);
    return this.#hit;
  }

  /** find() of the UTF-8 key of string `s` (state-record.ts), without making its in-memory form. */
  findUtf8(s: string, h1: number, h2: number): number {
    this.#probe(s, true, h1, h2);
    return this.#hit;
  }

  /**
   * The slot of `key` (`utf8`: the UTF-8 key of that string), or the empty slot where its
   * probe ends; #hit is set to its record or -1. Only a slot of the same hash1 reads the
   * record's hash2, and only a match of both its bytes.
   */
  #probe(key: StateKey, utf8: boolean, h1: number, h2: number): number {
    const t = this.#slots.table;
    const mask = this.#slots.mask;
    for (let s = this.#slots.home(h1); ; s = (s + 1) & mask) {
      const r = t[2 * s]! - 1;
      if (r < 0) {
        this.#hit = -1;
        return s;
      }
      if (t[2 * s + 1] === h1 && this.#recs.h2[r] === h2 &&
        (utf8 ? recordUtf8KeyEquals(this.chunkOf(r), this.#viewOf(r), key as string) : recordKeyEquals(this.chunkOf(r), this.#viewOf(r), key))) {
        this.#hit = r;
        return s;
      }
    }
  }

  /** Record `r`'s key bytes: [keyStart, keyEnd) of chunkOf(r) (a shared view, valid until the next call). */
  keyOf(r: number): RecordView {
    return this.#viewOf(r);
  }

  /** Whether record `r` is a removal. */
  isTombstone(r: number): boolean {
    return this.#recs.len[r]! < 0;
  }

  /** The value bytes of record `r` (a view into the arena). */
  valueOf(r: number): Buffer {
    const view = this.#viewOf(r);
    return this.chunkOf(r).subarray(view.keyEnd, view.end);
  }

  /** Appends a committed record of `key` with `value` (null: removed), encoded straight into the arena. */
  putKey(key: StateKey, h1: number, h2: number, value: Uint8Array | null): void {
    this.#pending.checkNone();
    this.#appendKey(key, h1, h2, value);
  }

  #appendKey(key: StateKey, h1: number, h2: number, value: Uint8Array | null): void {
    const keyBytes = keyByteLength(key);
    const length = RECORD_HEADER_BYTES + keyBytes + (value === null ? 0 : value.length);
    const c = this.#arena.take(length);
    const chunk = this.#arena.chunks[c]!;
    const start = this.#arena.start;
    writeRecordAt(chunk, start, h1, h2, key, keyBytes, value);
    this.#index(c, start, chunk, length);
  }

  /** Appends the committed record [start, end) of `from` (copied), replacing the key's older one. */
  putRecord(from: Buffer, start: number, end: number): void {
    this.#pending.checkNone();
    this.#appendRecord(from, start, end);
  }

  #appendRecord(from: Buffer, start: number, end: number): void {
    const length = end - start;
    const c = this.#arena.take(length);
    const chunk = this.#arena.chunks[c]!;
    const at = this.#arena.start;
    copyBytes(from, start, end, chunk, at);
    this.#index(c, at, chunk, length);
  }

  /**
   * Indexes the record [start, end) of `from` where it is, without copying it: the memtable
   * keeps `from` (a changelog's bytes) until it is cleared, so the caller must not change it.
   */
  putRecordKeeping(from: Buffer, start: number, end: number): void {
    this.#pending.checkNone();
    this.#index(this.#arena.adopt(from), start, from, end - start);
  }

  /** Record `r`'s entries in the per-record arrays (its bytes at `start` of chunk `c`); returns r. */
  #addRecord(c: number, start: number, h1: number, h2: number, length: number): number {
    return this.#recs.add(RecordArena.address(c, start), h1, h2, length, readU32(this.#arena.chunks[c]!, start + 10) === TOMBSTONE);
  }

  #index(c: number, start: number, from: Buffer, length: number): void {
    const h1 = readU32(from, start);
    const h2 = readU32(from, start + 4);
    const r = this.#addRecord(c, start, h1, h2, length);
    const keyStart = start + RECORD_HEADER_BYTES;
    const keyEnd = keyStart + (from[start + 8]! | (from[start + 9]! << 8));
    const t = this.#slots.table;
    const mask = this.#slots.mask;
    let s = this.#slots.home(h1);
    for (; ; s = (s + 1) & mask) {
      const o = t[2 * s]! - 1;
      if (o < 0) break;
      if (t[2 * s + 1] === h1 && this.#recs.h2[o] === h2) {
        const ov = this.#viewOf(o);
        if (this.chunkOf(o).compare(from, keyStart, keyEnd, ov.keyStart, ov.keyEnd) === 0) {
          this.#slots.set(s, r, h1, false);
          // A pending record hides a committed one until it commits (an abort brings the older one back).
          if (o < this.#pending.from) this.#pending.shadow(o);
          else this.#recs.superseded[o] = 1;
          return;
        }
      }
    }
    this.#slots.set(s, r, h1, true);
  }

  /**
   * Pending records: the version being updated appends its new keys here (putIfAbsent)
   * and, at its commit, its puts and removes, so that lookups find them with the committed
   * ones in one probe, and committing them is a mark, not a second indexing. They form the
   * arena's tail, which the version's changelog copies as it is (pendingSlices).
   */
  get pendingRecords(): number {
    return this.#pending.count(this.#recs.count);
  }

  isPending(r: number): boolean {
    return this.#pending.has(r);
  }

  /**
   * Appends a pending record of `key` (`utf8`: the UTF-8 key of that string, state-record.ts,
   * written from the string), which no committed record holds (or one removes); false,
   * appending nothing, if a pending record of `key` is there already.
   */
  addPending(key: StateKey, h1: number, h2: number, value: Uint8Array, utf8 = false): boolean {
    // One probe finds the key's record, or the empty slot to take.
    const s = this.#probe(key, utf8, h1, h2);
    if (this.isPending(this.#hit)) return false;
    this.addPendingAt(s, key, h1, h2, value, utf8);
    return true;
  }

  /**
   * The slot of `key` (`utf8`: the UTF-8 key of that string), or the empty slot where its
   * probe ends, for addPendingAt; `hit` is then its newest record, or -1.
   */
  slotOf(key: StateKey, utf8: boolean, h1: number, h2: number): number {
    return this.#probe(key, utf8, h1, h2);
  }

  /**
   * Loads the home slots of the keys at order[from…to) and, for string keys, their strings'
   * ends, so that the probes that follow, one key after another with much work between them,
   * find them in the cache (MemtableSlots.touchHomes). Returns a value made of what it read.
   */
  touch(keys: readonly StateKey[], h1s: Uint32Array, order: Int32Array, from: number, to: number): number {
    let acc = this.#slots.touchHomes(h1s, order, from, to);
    for (let o = from; o < to; o++) {
      const key = keys[order[o]!]!;
      // A string's last code unit: its characters' end, often a cache line past its header.
      if (typeof key === "string" && key.length > 0) acc = (acc + key.charCodeAt(key.length - 1)) | 0;
    }
    return acc;
  }

  /** touch() of the home slots only: for the sealed memtable, asked next for the keys the active one lacks. */
  touchSlots(h1s: Uint32Array, order: Int32Array, from: number, to: number): number {
    return this.#slots.touchHomes(h1s, order, from, to);
  }

  /** The record the last find, findUtf8 or slotOf found (-1: none). */
  get hit(): number {
    return this.#hit;
  }

  /**
   * addPending of a key that slotOf has just probed for (slot `s`, no record added since)
   * and found no pending record of: one probe serves the lookup and the addition.
   */
  addPendingAt(s: number, key: StateKey, h1: number, h2: number, value: Uint8Array, utf8: boolean): void {
    this.#pending.begin(this.#recs, this.#arena);
    const o = this.#slots.table[2 * s]! - 1;
    const length = appendRecord(this.#arena, key, utf8, h1, h2, value);
    const r = this.#addRecord(this.#arena.chunks.length - 1, this.#arena.start, h1, h2, length);
    this.#slots.set(s, r, h1, o < 0);
    // A committed record of the key (a removal) stays hidden until the commit.
    if (o >= 0) this.#pending.shadow(o);
  }

  /** Appends a pending record of `key` with `value` (null: removed) that replaces any other of its key. */
  putPending(key: StateKey, h1: number, h2: number, value: Uint8Array | null): void {
    this.#pending.begin(this.#recs, this.#arena);
    this.#appendKey(key, h1, h2, value);
  }

  /** Appends the encoded record [start, end) of `from` (copied) as a pending one that replaces any other of its key. */
  putPendingRecord(from: Buffer, start: number, end: number): void {
    this.#pending.begin(this.#recs, this.#arena);
    this.#appendRecord(from, start, end);
  }

  /** The live pending records, in the order appended. */
  *pendingEntries(): IterableIterator<number> {
    const recs = this.#recs;
    if (this.#pending.from < 0) return;
    for (let r = this.#pending.from; r < recs.count; r++) if (recs.superseded[r] === 0) yield r;
  }

  /** The pending records' bytes, in the order appended (superseded ones included), as [chunk, start, end] slices of the arena. */
  pendingSlices(): Array<[Buffer, number, number]> {
    return this.#pending.from < 0 ? [] : this.#arena.slicesSince(this.#pending.arena);
  }

  /** The pending records become committed. */
  commitPending(): void {
    this.#pending.commit(this.#recs);
  }

  /** Drops the pending records: the memtable is as it was before the first (its slots rebuilt from the committed records). */
  abortPending(): void {
    const recs = this.#recs;
    if (!this.#pending.abort(recs, this.#arena)) return;
    this.#slots.clear();
    for (let r = 0; r < recs.count; r++) if (recs.superseded[r] === 0) this.#slots.insert(r, recs.h1[r]!);
  }


  /**
   * The newest record of every key, sorted by hash1: the hash1-sorted segments merged
   * (mergeSegments), superseded records skipped.
   */
  sortedRecords(): Int32Array {
    this.#pending.checkNone();
    const recs = this.#recs;
    return mergeSegments(recs.h1, recs.superseded, recs.segmentStarts, recs.count, this.size);
  }

  /** The arena chunk of record `r`, and its offset there. */
  chunkOf(r: number): Buffer {
    return this.#arena.chunkAt(this.#recs.at[r]!);
  }

  /** A DataView over chunkOf(r) (copy-bytes.ts dataViewOf). */
  chunkViewOf(r: number): DataView {
    return this.#arena.viewAt(this.#recs.at[r]!);
  }

  /** Record `r`'s length in bytes. */
  lengthOf(r: number): number {
    return this.#recs.lengthOf(r);
  }

  offsetOf(r: number): number {
    return this.#recs.offsetOf(r);
  }

  hash1(r: number): number {
    return this.#recs.h1[r]!;
  }

  hash2(r: number): number {
    return this.#recs.h2[r]!;
  }

  /**
   * What a flush thread needs to write the memtable out (flush-task.ts): the arena's chunks
   * and the per-record arrays, as they are (shared memory, not copied: the memtable must not
   * change until the flush is done); null when a chunk is not shared (a changelog's bytes
   * indexed in place: the engine's thread writes that memtable out).
   */
  flushInput(): FlushInput | null {
    this.#pending.checkNone();
    if (!this.#arena.shared) return null;
    const recs = this.#recs;
    return {
      chunks: this.#arena.chunks, h1: recs.h1, h2: recs.h2, at: recs.at, len: recs.len,
      superseded: recs.superseded, segmentStarts: recs.segmentStarts.slice(), records: recs.count, keys: this.size,
    };
  }

  /** The record at `r`, read into a shared view (valid until the next call). */
  #viewOf(r: number): RecordView {
    readRecord(this.chunkOf(r), this.offsetOf(r), this.#view);
    return this.#view;
  }

  /** Record `r`'s end offset in its chunk. */
  endOf(r: number): number {
    return this.offsetOf(r) + this.#recs.lengthOf(r);
  }

  /** Index slots (a power of two; at most half are used before it grows). */
  get slotCapacity(): number {
    return this.#slots.capacity;
  }

  /**
   * An empty memtable's index made `capacity` slots at once (when smaller), so that its
   * first fill does not grow it from scratch, rehashing every key about twice.
   */
  presize(capacity: number): void {
    if (this.#slots.used === 0 && this.#slots.capacity < capacity) this.#slots.clear(capacity);
  }

  /** Empties the memtable; its index arrays are kept (zeroed) for the next fill, up to a size unless keepIndex (memtable-records.ts). */
  clear(): void {
    this.#pending.reset();
    this.#arena.clear();
    if (this.#recs.clear()) this.#slots.clear(2048);
    else this.#slots.clear();
  }
}
