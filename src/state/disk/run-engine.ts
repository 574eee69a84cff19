import { randomUUID } from "node:crypto";
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import type { StateKey } from "../state-store.ts";
import { decodeValue, encodeNumberInto, encodeValue } from "../value-codec.ts";
import { BlockCache } from "./block-cache.ts";
import { RunCursor, RunFile, RunWriter, type FoundRecord } from "./run-file.ts";
import { decodeKey, hashKey, keyHash, TOMBSTONE } from "./state-record.ts";

/**
 * A committed value in the memtable: where its encoding is in the arena, or REMOVED_AT.
 * Values are encoded once (so a caller cannot mutate them) into arena chunks: no object per
 * entry beyond the Map's slot and the key, and positions are small integers.
 */
const REMOVED_AT = -1;
const ARENA_CHUNK = 1 << 20;

/** Bytes a memtable entry costs beyond its key's and its encoded value's (Map slot, key header). */
const ENTRY_OVERHEAD = 64;
/** The flush sorts entries by hash1 · 2^21 + index in a Float64Array: at most 2^21 entries per run. */
const MAX_MEMTABLE_ENTRIES = 1 << 21;
/** Runs merged at once (see #compact). */
const MERGE_WIDTH = 4;

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
 * changes go to a memtable (a Map, bounded by bytes); a full memtable is written as a
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
  readonly #memtable = new Map<StateKey, number>();
  #memBytes = 0;
  #arena: Buffer[] = [];
  #arenaPos = ARENA_CHUNK;
  readonly #scratch = Buffer.allocUnsafe(9);
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

  get cache(): BlockCache {
    return this.#cache;
  }

  /** The runs, oldest first. */
  get runs(): readonly RunFile[] {
    return this.#runs;
  }

  /** Memory held: memtable, run footers, cached blocks. */
  get memoryBytes(): number {
    let bytes = this.#memBytes + this.#cache.bytes;
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
    const mem = this.#memtable.get(key);
    if (mem !== undefined) return mem === REMOVED_AT ? undefined : decodeValue(this.#valueAt(mem));
    const runs = this.#runs;
    if (runs.length === 0) return undefined;
    hashKey(key);
    const { h1, h2 } = keyHash;
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
    const mem = this.#memtable.get(key);
    if (mem !== undefined) return mem !== REMOVED_AT;
    const runs = this.#runs;
    if (runs.length === 0) return false;
    hashKey(key);
    const { h1, h2 } = keyHash;
    for (let i = runs.length - 1; i >= 0; i--) {
      if (runs[i]!.find(key, h1, h2, this.#cache, this.#found)) return this.#found.valueLength !== TOMBSTONE;
    }
    return false;
  }

  /** Applies one committed change; may write the memtable out as a run. */
  set(key: StateKey, value: unknown): void {
    this.#setMem(key, this.#append(typeof value === "number" ? encodeNumberInto(this.#scratch, value) : encodeValue(value)));
  }

  delete(key: StateKey): void {
    this.#setMem(key, REMOVED_AT);
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
    return this.#memBytes;
  }

  /** Writes the memtable as a run if it is over its budget. */
  maybeFlush(): void {
    if (this.#memBytes > this.memtableBytes || this.#memtable.size >= MAX_MEMTABLE_ENTRIES) this.flush();
  }

  /** Writes the memtable as a run (merging runs of about its size) and empties it. */
  flush(): void {
    if (this.#memtable.size === 0) return;
    const started = performance.now();
    const n = this.#memtable.size;
    const keys: StateKey[] = new Array(n);
    const values = new Float64Array(n);
    const h2s = new Uint32Array(n);
    const order = new Float64Array(n);
    let i = 0;
    for (const [key, value] of this.#memtable) {
      hashKey(key);
      keys[i] = key;
      values[i] = value;
      h2s[i] = keyHash.h2;
      order[i] = keyHash.h1 * 2 ** 21 + i;
      i++;
    }
    order.sort();
    const dropRemovals = this.#runs.length === 0;
    const name = `${randomUUID()}.run`;
    const writer = new RunWriter(join(this.dir, name), n);
    for (let j = 0; j < n; j++) {
      const packed = order[j]!;
      const h1 = Math.floor(packed / 2 ** 21);
      const k = packed - h1 * 2 ** 21;
      const value = values[k]!;
      if (value === REMOVED_AT) {
        if (!dropRemovals) writer.addKey(h1, h2s[k]!, keys[k]!, null);
      } else {
        writer.addKey(h1, h2s[k]!, keys[k]!, this.#valueAt(value));
      }
    }
    writer.finish();
    this.#clearMemtable();
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
    this.flush();
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
    this.#clearMemtable();
    this.#cache.clear();
  }

  #setMem(key: StateKey, at: number): void {
    const size = this.#memtable.size;
    this.#memtable.set(key, at);
    if (this.#memtable.size !== size) this.#memBytes += ENTRY_OVERHEAD + (typeof key === "string" ? key.length : 8);
  }

  /** Copies `bytes` (length-prefixed) into the arena; returns its position. */
  #append(bytes: Uint8Array): number {
    const need = 4 + bytes.length;
    if (this.#arenaPos + need > ARENA_CHUNK || this.#arena.length === 0) {
      this.#arena.push(Buffer.allocUnsafe(Math.max(ARENA_CHUNK, need)));
      this.#arenaPos = 0;
    }
    const chunk = this.#arena[this.#arena.length - 1]!;
    const at = (this.#arena.length - 1) * ARENA_CHUNK + this.#arenaPos;
    chunk.writeUInt32LE(bytes.length, this.#arenaPos);
    chunk.set(bytes, this.#arenaPos + 4);
    this.#arenaPos += need;
    this.#memBytes += need;
    return at;
  }

  #valueAt(at: number): Buffer {
    const chunk = this.#arena[Math.floor(at / ARENA_CHUNK)]!;
    const offset = at % ARENA_CHUNK;
    return chunk.subarray(offset + 4, offset + 4 + chunk.readUInt32LE(offset));
  }

  #clearMemtable(): void {
    this.#memtable.clear();
    this.#arena = [];
    this.#arenaPos = ARENA_CHUNK;
    this.#memBytes = 0;
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

/** The record a merge is at: the cursor positioned on it. */
interface MergedRecord {
  cursor: RunCursor;
  tombstone: boolean;
}

/**
 * Walks runs (oldest first) in hash1 order, yielding each key's newest record once; with
 * `dropRemovals`, removals are skipped (no older run is left for them to hide). The
 * yielded cursor is valid until the next step.
 */
function* mergeRuns(runs: readonly RunFile[], dropRemovals: boolean): IterableIterator<MergedRecord> {
  // Newest first: within a hash1, the first record of a key wins.
  const cursors = runs.map((r) => new RunCursor(r)).reverse();
  // Keys already yielded for the current hash1 (only looked at when a hash1 has several records).
  const seenChunks: Buffer[] = [];
  const seenStarts: number[] = [];
  const seenEnds: number[] = [];
  const out: MergedRecord = { cursor: cursors[0]!, tombstone: false };
  for (;;) {
    let min = Infinity;
    for (const c of cursors) if (!c.done && c.view.h1 < min) min = c.view.h1;
    if (min === Infinity) return;
    seenChunks.length = 0;
    seenStarts.length = 0;
    seenEnds.length = 0;
    for (const c of cursors) {
      while (!c.done && c.view.h1 === min) {
        const { keyStart, keyEnd } = c.view;
        let seen = false;
        for (let i = 0; i < seenChunks.length && !seen; i++) {
          seen = seenEnds[i]! - seenStarts[i]! === keyEnd - keyStart && seenChunks[i]!.compare(c.chunk, keyStart, keyEnd, seenStarts[i]!, seenEnds[i]!) === 0;
        }
        if (!seen) {
          seenChunks.push(c.chunk);
          seenStarts.push(keyStart);
          seenEnds.push(keyEnd);
          const tombstone = c.tombstone;
          if (!(tombstone && dropRemovals)) {
            out.cursor = c;
            out.tombstone = tombstone;
            yield out;
          }
        }
        c.next();
      }
    }
  }
}
