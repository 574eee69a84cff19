import { randomUUID } from "node:crypto";
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import type { StateKey } from "../state-store.ts";
import { decodeValue } from "../value-codec.ts";
import { BlockCache } from "./block-cache.ts";
import { MAX_KEYS, Memtable } from "./memtable.ts";
import { mergeRuns } from "./merge-runs.ts";
import { RunFile, RunWriter, type FoundRecord } from "./run-file.ts";
import { decodeKey, hashKey, keyHash, readRecord, TOMBSTONE, type RecordView } from "./state-record.ts";

/** Runs merged at once (see #compact). */
const MERGE_WIDTH = 4;
/** getMany sorts hash1 · this + key position in a Float64Array. */
const MAX_KEYS_PER_LOOKUP = 1 << 21;

/** Counters for progress (Spark's RocksDB metric names where they exist). */
export interface EngineCounters {
  flushes: number;
  flushMs: number;
  compactions: number;
  compactionMs: number;
  bytesWrittenByFlush: number;
  bytesWrittenByCompaction: number;
  bytesReadByCompaction: number;
}

/**
 * The disk engine's working state, log-structured (RocksDB's design, small): committed
 * changes go to a memtable (records in an arena, memtable.ts, bounded by bytes); a full memtable is written as a
 * sorted run file and dropped from memory; runs of about equal size are merged four at a time
 * (newer records win, removals are dropped once no older run is left), so there are
 * O(log n) runs. A lookup reads the memtable, then each run newest first, where a bloom filter
 * rejects most runs without touching the disk. Memory: the memtable, the runs' bloom
 * filters and block indexes (about 1.3 bytes a key), and the block cache.
 *
 * The engine is the local working copy only: the checkpoint (changelogs and run files
 * uploaded with a manifest) makes versions durable, and a crash rebuilds it from there.
 */
export class RunEngine {
  readonly #memtable = new Memtable(true);
  #runs: RunFile[] = [];
  /** While pinned (an upload reads them), files of merged-away runs are kept; deleted on unpin. */
  #pins = 0;
  readonly #doomed: string[] = [];
  readonly #cache: BlockCache;
  readonly #found: FoundRecord = { block: Buffer.alloc(0), valueStart: 0, valueLength: 0 };
  readonly counters: EngineCounters = {
    flushes: 0, flushMs: 0, compactions: 0, compactionMs: 0, bytesWrittenByFlush: 0, bytesWrittenByCompaction: 0, bytesReadByCompaction: 0,
  };

  /** `dir`: where run files are written; `memtableBytes`, `cacheBytes`: the memory budget's shares. */
  constructor(readonly dir: string, readonly memtableBytes: number, cacheBytes: number) {
    this.#cache = new BlockCache(cacheBytes);
  }

  /**
   * The memtable, where the store being updated appends its version's records as pending
   * ones (Memtable.addPending, putPending) until commitPending or abortPending.
   */
  get memtable(): Memtable {
    return this.#memtable;
  }

  /** The pending records become committed (the version's changelog is written meanwhile). */
  commitPending(): void {
    this.#memtable.commitPending();
    this.#flushIfFull();
  }

  abortPending(): void {
    this.#memtable.abortPending();
  }

  get cache(): BlockCache {
    return this.#cache;
  }

  /** The runs, oldest first. */
  get runs(): readonly RunFile[] {
    return this.#runs;
  }

  /** Memory held: memtable, run footers, cached blocks. */
  get memoryBytes(): number {
    let bytes = this.#memtable.bytes + this.#cache.bytes;
    for (const run of this.#runs) bytes += run.memoryBytes;
    return bytes;
  }

  /** Bytes of run files on local disk. */
  get diskBytes(): number {
    let bytes = 0;
    for (const run of this.#runs) bytes += run.fileBytes;
    return bytes;
  }

  /** Adds runs restored from a checkpoint (oldest first), before any change. */
  openRuns(files: ReadonlyArray<{ path: string; name: string }>): void {
    for (const f of files) this.#runs.push(RunFile.open(f.path, f.name));
  }

  get(key: StateKey): unknown {
    hashKey(key);
    const { h1, h2 } = keyHash;
    const mem = this.#memtable.find(key, h1, h2);
    if (mem >= 0) return this.#memtable.isTombstone(mem) ? undefined : decodeValue(this.#memtable.valueOf(mem));
    const runs = this.#runs;
    const found = this.#found;
    for (let i = runs.length - 1; i >= 0; i--) {
      if (!runs[i]!.find(key, h1, h2, this.#cache, found)) continue;
      if (found.valueLength === TOMBSTONE) return undefined;
      return decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength));
    }
    return undefined;
  }

  /** Whether the key has a committed value (get without decoding it). */
  has(key: StateKey): boolean {
    hashKey(key);
    const { h1, h2 } = keyHash;
    const mem = this.#memtable.find(key, h1, h2);
    if (mem >= 0) return !this.#memtable.isTombstone(mem);
    const runs = this.#runs;
    for (let i = runs.length - 1; i >= 0; i--) {
      if (runs[i]!.find(key, h1, h2, this.#cache, this.#found)) return this.#found.valueLength !== TOMBSTONE;
    }
    return false;
  }

  /**
   * The values of many keys (undefined where absent) into `out` at the same positions,
   * looked up together: each key is hashed once and probed in the memtable; the keys left
   * go through each run's bloom filter (newest run first) in one pass, and only the few the
   * filter lets through (about 1%, plus the keys that are there) read blocks, in hash1 order,
   * so that keys of one block share its read.
   */
  getMany(keys: readonly StateKey[], out: unknown[]): void {
    const n = keys.length;
    const h1s = new Uint32Array(n);
    const h2s = new Uint32Array(n);
    const pending = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      hashKey(keys[i]!);
      h1s[i] = keyHash.h1;
      h2s[i] = keyHash.h2;
      pending[i] = i;
    }
    this.lookupHashed(keys, h1s, h2s, pending, n, out, true);
  }

  /**
   * getMany of the keys at positions pending[0…numPending) of `keys`, their hashes given:
   * with `decode`, out[i] is the value or undefined; without, out[i] is true where the key
   * has a value and undefined where not (no value is decoded). `pending` is reused.
   */
  lookupHashed(keys: readonly StateKey[], h1s: Uint32Array, h2s: Uint32Array, pending: Int32Array, numPending: number, out: unknown[], decode: boolean): void {
    const mem = this.#memtable;
    let left = 0;
    for (let p = 0; p < numPending; p++) {
      const i = pending[p]!;
      const r = mem.find(keys[i]!, h1s[i]!, h2s[i]!);
      if (r >= 0) {
        out[i] = mem.isTombstone(r) ? undefined : decode ? decodeValue(mem.valueOf(r)) : true;
        continue;
      }
      out[i] = undefined;
      pending[left++] = i;
    }
    numPending = left;
    const found = this.#found;
    const candidates = new Float64Array(numPending);
    const resolved = new Uint8Array(keys.length);
    for (let ri = this.#runs.length - 1; ri >= 0 && numPending > 0; ri--) {
      const run = this.#runs[ri]!;
      const bloom = run.bloom;
      let numCandidates = 0;
      for (let p = 0; p < numPending; p++) {
        const i = pending[p]!;
        if (bloom.mayContain(h1s[i]!, h2s[i]!)) candidates[numCandidates++] = h1s[i]! * MAX_KEYS_PER_LOOKUP + i;
      }
      if (numCandidates === 0) continue;
      const sorted = candidates.subarray(0, numCandidates).sort();
      for (let c = 0; c < numCandidates; c++) {
        const packed = sorted[c]!;
        const i = packed - Math.floor(packed / MAX_KEYS_PER_LOOKUP) * MAX_KEYS_PER_LOOKUP;
        if (!run.findAfterFilter(keys[i]!, h1s[i]!, h2s[i]!, this.#cache, found)) continue;
        resolved[i] = 1;
        if (found.valueLength !== TOMBSTONE) {
          out[i] = decode ? decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength)) : true;
        }
      }
      let kept = 0;
      for (let p = 0; p < numPending; p++) if (resolved[pending[p]!] === 0) pending[kept++] = pending[p]!;
      numPending = kept;
    }
  }

  /**
   * Applies one committed change already encoded as a record: bytes [start, end) of a
   * changelog, which the memtable keeps instead of copying (`from` must not change).
   */
  setRecord(from: Buffer, start: number, end: number): void {
    this.#memtable.putRecordKeeping(from, start, end);
    this.#flushIfFull();
  }

  /** Keeps run files on disk until unpinFiles, even those merged away meanwhile. */
  pinFiles(): void {
    this.#pins++;
  }

  unpinFiles(): void {
    if (--this.#pins > 0) return;
    for (const path of this.#doomed.splice(0)) unlinkQuietly(path);
  }

  /** Memory the memtable holds (estimated). */
  get memtableBytesUsed(): number {
    return this.#memtable.bytes;
  }

  /** Writes the memtable as a run if it is over its budget. */
  maybeFlush(): void {
    if (this.#memtable.bytes > this.memtableBytes) this.flush();
  }

  /** A flush sorts at most MAX_KEYS keys (memtable.ts): one is due before a change could pass that. */
  #flushIfFull(): void {
    if (this.#memtable.size >= MAX_KEYS - 1) this.flush();
  }

  /** Writes the memtable as a run (merging runs of about its size) and empties it. */
  flush(): void {
    if (this.#memtable.size === 0) return;
    const started = performance.now();
    const mem = this.#memtable;
    const order = mem.sortedRecords();
    const dropRemovals = this.#runs.length === 0;
    const name = `${randomUUID()}.run`;
    const writer = new RunWriter(join(this.dir, name), order.length);
    for (let j = 0; j < order.length; j++) {
      const r = order[j]!;
      const tombstone = mem.isTombstone(r);
      if (tombstone && dropRemovals) continue;
      writer.addRecord(mem.hash1(r), mem.hash2(r), tombstone, mem.chunkOf(r), mem.offsetOf(r), mem.endOf(r));
    }
    writer.finish();
    mem.clear();
    const run = RunFile.open(join(this.dir, name), name);
    this.#runs.push(run);
    this.counters.flushes++;
    this.counters.bytesWrittenByFlush += run.fileBytes;
    this.counters.flushMs += performance.now() - started;
    this.#compact();
  }

  /**
   * Every committed entry, in no particular order (eviction scans): the memtable is
   * written out first, then the runs are merged on the fly, newest record of a key first.
   */
  *entries(): IterableIterator<[StateKey, unknown]> {
    this.#flushCommitted();
    const runs = [...this.#runs];
    for (const record of mergeRuns(runs, true)) {
      if (record.tombstone) continue;
      const { chunk, view } = record.cursor;
      yield [decodeKey(chunk, view.keyStart, view.keyEnd), decodeValue(chunk.subarray(view.keyEnd, view.end))];
    }
  }

  close(): void {
    for (const run of this.#runs) run.close();
    this.#runs = [];
    this.#memtable.clear();
    this.#cache.clear();
  }

  /**
   * Writes the memtable's committed records out as a run and keeps its pending ones (a
   * version that scans its state before committing): they are copied aside, dropped, and
   * appended again as pending records of the emptied memtable, where they still hide the
   * older records of their keys (now in runs) and an abort still drops them.
   */
  #flushCommitted(): void {
    const mem = this.#memtable;
    if (mem.pendingRecords === 0) {
      this.flush();
      return;
    }
    const slices = mem.pendingSlices();
    const held = Buffer.concat(slices.map(([chunk, start, end]) => chunk.subarray(start, end)));
    const count = mem.pendingRecords;
    mem.abortPending();
    this.flush();
    const view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
    let pos = 0;
    for (let i = 0; i < count; i++) {
      readRecord(held, pos, view);
      mem.putPendingRecord(held, pos, view.end);
      pos = view.end;
    }
  }

  /**
   * Size-tiered merging: whenever the newest MERGE_WIDTH runs are within a factor of
   * MERGE_WIDTH in size, they become one. Each record is rewritten about log4(n / memtable)
   * times, and a lookup probes at most MERGE_WIDTH − 1 runs a tier.
   */
  #compact(): void {
    for (;;) {
      const runs = this.#runs;
      if (runs.length < MERGE_WIDTH) return;
      const from = runs.length - MERGE_WIDTH;
      let min = Infinity;
      let max = 0;
      for (let i = from; i < runs.length; i++) {
        min = Math.min(min, runs[i]!.fileBytes);
        max = Math.max(max, runs[i]!.fileBytes);
      }
      // Runs of uneven sizes (small ones from snapshots of a small memtable) are merged too once there are many.
      if (max > MERGE_WIDTH * min && runs.length < 3 * MERGE_WIDTH) return;
      this.#merge(from);
    }
  }

  /** Replaces runs[from…] by one run. */
  #merge(from: number): void {
    const started = performance.now();
    const group = this.#runs.slice(from);
    const name = `${randomUUID()}.run`;
    let maxEntries = 0;
    for (const run of group) {
      maxEntries += run.numEntries;
      this.counters.bytesReadByCompaction += run.fileBytes;
    }
    const writer = new RunWriter(join(this.dir, name), maxEntries);
    for (const record of mergeRuns(group, from === 0)) {
      const c = record.cursor;
      writer.addRecord(c.view.h1, c.view.h2, record.tombstone, c.chunk, c.start, c.view.end);
    }
    writer.finish();
    const merged = RunFile.open(join(this.dir, name), name);
    for (const run of group) {
      this.#cache.dropRun(run.number, run.numBlocks);
      run.close();
      if (this.#pins > 0) this.#doomed.push(run.path);
      else unlinkQuietly(run.path);
    }
    this.#runs = [...this.#runs.slice(0, from), merged];
    this.counters.compactions++;
    this.counters.bytesWrittenByCompaction += merged.fileBytes;
    this.counters.compactionMs += performance.now() - started;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (or its directory was dropped): nothing to free.
  }
}
