import type { StateKey } from "../state-store.ts";
import { decodeValue } from "../value-codec.ts";
import { BlockCache } from "./block-cache.ts";
import { MAX_KEYS, Memtable } from "./memtable.ts";
import { MemtableFlush } from "./memtable-flush.ts";
import { FlushScratch, ThreadedFlush } from "./threaded-flush.ts";
import { flushThreadStarted } from "./background-threads.ts";
import { ChunkPool } from "./record-arena.ts";
import { mergeRuns } from "./merge-runs.ts";
import { RunFile, type FoundRecord } from "./run-file.ts";
import { newestInRuns, PastActiveProbe } from "./run-lookup.ts";
import { hashBatch, orderByHash1, type HashedKeys } from "./hash-order.ts";
import { lookupInMemtablesAndRuns } from "./engine-lookup.ts";
import { KeyFilterBacklog } from "./key-filter-backlog.ts";
import { RunsKeyFilter } from "./runs-key-filter.ts";
import { RunStack } from "./run-stack.ts";
import { newEngineCounters, type EngineCounters } from "./engine-counters.ts";
import { decodeKey, hashKey, keyHash, readRecord, TOMBSTONE, type RecordView } from "./state-record.ts";

export type { EngineCounters };

/** Default ceiling of a merge's output (compaction-policy.ts). */
export const DEFAULT_MAX_RUN_BYTES = 512 * 1024 * 1024;

/**
 * The disk engine's working state, log-structured (RocksDB's design, small): committed
 * changes go to a memtable (records in an arena, memtable.ts, bounded by bytes); a full memtable is written as a
 * sorted run file and dropped from memory; runs of about equal size are merged eight at a time
 * (newer records win, removals are dropped once no older run is left) up to a ceiling
 * (compaction-policy.ts), all rewritten when mostly dead, in steps paced by the commits (run-stack.ts). A lookup reads the
 * memtable, then each run newest first, where a partitioned bloom filter rejects most runs
 * without reading a data block. Memory: the memtable, the block cache (data blocks and the
 * runs' filter and index partitions, run-partition.ts), and each run's small top index.
 *
 * The engine is the local working copy only: the checkpoint (changelogs and run files
 * uploaded with a manifest) makes versions durable, and a crash rebuilds it from there.
 */
export class RunEngine {
  #memtable: Memtable;
  /** The other memtable: sealed and being written out in steps (#sealed), or empty and ready to take over. */
  #spare: Memtable;
  /**
   * Called as soon as a sealed memtable's run is added, before anything else changes the runs
   * (which then hold exactly the version it was sealed at): wherever that happens — a commit's
   * share, a slice of background work, or maybeFlush finishing it before it seals the next.
   */
  onSealedFlushed: () => void = () => {};
  /** The arrays the flush thread fills, kept from one flush to the next. */
  readonly #flushScratch = new FlushScratch();
  /** The memtables' arena chunks, kept when one is cleared for the other to take. */
  readonly #chunks: ChunkPool;
  #sealed: MemtableFlush | ThreadedFlush | null = null;
  /** The memtables to look in, newest first: the memtable, and the sealed one while it is being written out. */
  #memtables: Memtable[];
  readonly #cache: BlockCache;
  /** The runs, oldest first, and their merging. */
  readonly #stack: RunStack;
  /** Every key the runs hold (and maybe more): a key it has not seen skips the runs. */
  readonly #keys: RunsKeyFilter;
  /** Runs whose keys #keys lacks (opened from a checkpoint): while any, #keys is not asked. */
  readonly #backlog = new KeyFilterBacklog();
  readonly #found: FoundRecord = { block: Buffer.alloc(0), valueStart: 0, valueLength: 0 };
  readonly counters: EngineCounters = newEngineCounters();

  /**
   * `dir`: where run files are written; `memtableBytes`, `cacheBytes`: the memory budget's
   * shares; `maxRunBytes`: the most one merge writes; `threadedFlushes`: a sealed memtable is
   * written out by the flush thread (threaded-flush.ts) rather than in steps on this one.
   */
  constructor(
    readonly dir: string, readonly memtableBytes: number, cacheBytes: number, readonly maxRunBytes = DEFAULT_MAX_RUN_BYTES, readonly threadedFlushes = true,
  ) {
    // A memtable is sealed past half the memtables' share: about that much comes back at a flush (none for small budgets).
    this.#chunks = new ChunkPool(memtableBytes / 2);
    this.#memtable = new Memtable(true, this.#chunks);
    this.#spare = new Memtable(true, this.#chunks);
    this.#memtables = [this.#memtable];
    // Started now (once a process), so that it is up by the first seal.
    if (threadedFlushes) flushThreadStarted();
    this.#cache = new BlockCache(cacheBytes);
    // Half the memtable's share (an eighth of the budget), from the budget's part beside the memtable and cache.
    this.#keys = new RunsKeyFilter(Math.max(1 << 16, Math.floor(memtableBytes / 2)));
    this.#stack = new RunStack(dir, maxRunBytes, this.#cache, this.#backlog, this.counters, this.#keys);
    // A memtable written out in steps adds its keys to the filter as it goes: a rebuild started meanwhile would miss some.
    this.#stack.canStartRewrite = () => this.#backlog.empty && !(this.#sealed instanceof MemtableFlush);
  }

  /** The filter of the runs' keys, or null while it lacks some (a restart's runs not yet read). */
  get #keyFilter(): RunsKeyFilter | null {
    return this.#backlog.empty ? this.#keys : null;
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
    return this.#stack.runs;
  }

  get #runs(): readonly RunFile[] {
    return this.#stack.runs;
  }

  /** Memory held: memtable, run footers, cached blocks. */
  get memoryBytes(): number {
    let bytes = this.#memtable.bytes + this.#spare.bytes + this.#chunks.bytes + this.#cache.bytes + this.#keys.bytes;
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
    for (const f of files) {
      const run = RunFile.open(f.path, f.name);
      this.#stack.add(run);
      this.#backlog.add(run);
    }
  }

  get(key: StateKey): unknown {
    hashKey(key);
    const { h1, h2 } = keyHash;
    for (const m of this.#memtables) {
      const r = m.find(key, h1, h2);
      if (r >= 0) return m.isTombstone(r) ? undefined : decodeValue(m.valueOf(r));
    }
    const found = this.#found;
    if (this.#keyFilter?.mayContain(h1, h2) === false) return undefined;
    if (!newestInRuns(this.#runs, key, h1, h2, this.#cache, found) || found.valueLength === TOMBSTONE) return undefined;
    return decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength));
  }

  /** Whether the key has a committed value (get without decoding it). */
  has(key: StateKey): boolean {
    hashKey(key);
    const { h1, h2 } = keyHash;
    for (const m of this.#memtables) {
      const r = m.find(key, h1, h2);
      if (r >= 0) return !m.isTombstone(r);
    }
    if (this.#keyFilter?.mayContain(h1, h2) === false) return false;
    return newestInRuns(this.#runs, key, h1, h2, this.#cache, this.#found) && this.#found.valueLength !== TOMBSTONE;
  }

  /**
   * The values of many keys (undefined where absent) into `out` at the same positions,
   * looked up together: each key is hashed once and probed in the memtable; the keys left
   * go, sorted by hash1, through each run (newest first) in one pass over its partitions:
   * each partition's filter is fetched once, and only the keys it lets through (about 1%,
   * plus the keys that are there) read blocks, in hash1 order, so that keys of one block share its read.
   */
  getMany(keys: readonly StateKey[], out: unknown[]): void {
    const { batch, asked, numAsked } = hashBatch(keys, null, null);
    this.lookupHashed(batch, asked, numAsked, out, true);
  }

  /**
   * getMany of the keys of `batch` at positions pending[0…numPending): with `decode`, out[i]
   * is the value or undefined; without, out[i] is true where the key has a value and
   * undefined where not (no value is decoded).
   */
  lookupHashed(batch: HashedKeys, pending: Int32Array, numPending: number, out: unknown[], decode: boolean): void {
    lookupInMemtablesAndRuns(this.#memtables, this.#runs, this.#cache, this.#found, this.#keyFilter, batch, orderByHash1(batch.h1s, pending, numPending), numPending, out, decode);
  }

  /**
   * For keys the caller has probed the active memtable for already (and found no record
   * of), asked one at a time in hash1 order: the sealed memtable, if any, and the runs.
   */
  probePastActive(): PastActiveProbe {
    return new PastActiveProbe(this.#sealed?.mem ?? null, this.#runs, this.#cache, this.#found, this.#keyFilter);
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
    this.#stack.pin();
  }

  unpinFiles(): void {
    this.#stack.unpin();
  }

  /** Memory the memtable holds (estimated). */
  get memtableBytesUsed(): number {
    return this.#memtable.bytes;
  }

  /**
   * Between versions: when the memtable is over its half of the budget, seals it (it is
   * written out in steps by the commits that follow, flushStep) and lets the other one take
   * the next versions. True when it sealed. A sealed memtable still being written out is
   * finished first (the commits outpaced the flush).
   */
  maybeFlush(): boolean {
    if (this.#memtable.bytes <= this.memtableBytes / 2) return false;
    this.#finishSealed();
    const sealed = this.#memtable;
    this.#memtable = this.#spare;
    this.#spare = sealed;
    // The memtable taking over fills about as far as the sealed one did.
    this.#memtable.presize(sealed.slotCapacity);
    const dropRemovals = this.#runs.length === 0;
    this.#sealed = this.threadedFlushes && sealed.flushInput() !== null && flushThreadStarted()
      ? new ThreadedFlush(sealed, dropRemovals, ...this.#stack.newRunFile(), this.#keys, this.#flushScratch)
      : new MemtableFlush(sealed, dropRemovals, ...this.#stack.newRunFile(), this.#keys);
    this.#memtables = [this.#memtable, sealed];
    return true;
  }

  /** Writes about `budgetBytes` more of the sealed memtable: true when that finished it (a new run). */
  flushStep(budgetBytes: number): boolean {
    const flush = this.#sealed;
    if (flush === null) return false;
    const started = performance.now();
    const done = flush.step(budgetBytes);
    if (done) this.#addFlushed(flush);
    this.counters.flushMs += performance.now() - started;
    return done;
  }

  /** Whether a sealed memtable is being written out. */
  get flushing(): boolean {
    return this.#sealed !== null;
  }

  /** Whether a flushStep now would do work: a sealed memtable written out on this thread, or one the flush thread has finished. */
  get flushStepReady(): boolean {
    return this.#sealed !== null && (!(this.#sealed instanceof ThreadedFlush) || this.#sealed.ready);
  }

  /** A flush sorts at most MAX_KEYS keys (memtable.ts): one is due before a change could pass that. */
  #flushIfFull(): void {
    if (this.#memtable.size >= MAX_KEYS - 1) this.flush();
  }

  /** Writes the memtables out now (a sealed one first) and empties them; the memtable stays the same object. */
  flush(): void {
    this.#finishSealed();
    if (this.#memtable.size === 0) return;
    const started = performance.now();
    const flush = new MemtableFlush(this.#memtable, this.#runs.length === 0, ...this.#stack.newRunFile(), this.#keys);
    flush.step(Infinity);
    this.#addFlushed(flush);
    this.counters.flushMs += performance.now() - started;
  }

  #finishSealed(): void {
    if (this.#sealed !== null) this.flushStep(Infinity);
  }

  #addFlushed(flush: MemtableFlush | ThreadedFlush): void {
    const sealed = flush === this.#sealed;
    if (sealed) {
      this.#sealed = null;
      this.#memtables = [this.#memtable];
    }
    flush.mem.clear();
    const run = RunFile.open(flush.path, flush.name);
    this.#stack.add(run);
    this.counters.flushes++;
    this.counters.bytesWrittenByFlush += run.fileBytes;
    if (sealed) this.onSealedFlushed();
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
    this.#stack.close();
    this.#sealed?.abandon();
    this.#sealed = null;
    this.#memtables = [this.#memtable];
    this.#spare.clear();
    this.#keys.clear();
    this.#backlog.clear();
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
   * Between commits, about `budgetBytes` of background work (a commit's share, proportional to
   * its changes): first reading a restart's runs into the key filter, then merging (run-stack.ts).
   */
  compact(budgetBytes: number): void {
    const started = performance.now();
    try {
      if (!this.#backlog.empty) this.#backlog.step(this.#keys, budgetBytes);
      this.#stack.compact(budgetBytes);
    } finally {
      this.counters.compactionMs += performance.now() - started;
    }
  }

  /** The state's keys after the latest commit: rewrites of the runs are judged by the records beyond them (run-stack.ts). */
  set liveKeys(keys: number) {
    this.#stack.liveKeys = keys;
  }

  /** Rewrites of the runs finished (in all), and since the last takeRewrites; whether one is in progress. */
  get rewrites(): number {
    return this.#stack.rewrites;
  }
  takeRewrites(): number {
    return this.#stack.takeRewrites();
  }
  get rewriting(): boolean {
    return this.#stack.rewriting;
  }

  /** Keys the filter of the runs' keys answered "maybe" since the last call. */
  takeKeyFilterMaybe(): number {
    return this.#keys.takeMaybe();
  }

  /** Whether a merge is in progress. */
  get merging(): boolean {
    return this.#stack.merging;
  }

  /** Whether compact has work left (a restart's backlog, a merge in progress or due). */
  get hasCompactionWork(): boolean {
    return !this.#backlog.empty || this.#stack.hasWork;
  }
}
