import { UTF8_KEY_MARK, type StateKey } from "../state-store.ts";
import { decodeValue } from "../value-codec.ts";
import type { BlockCache } from "./block-cache.ts";
import { BlockCursor } from "./block-cursor.ts";
import type { HashedKeys } from "./hash-order.ts";
import type { Memtable } from "./memtable.ts";
import { CHUNK_MIN_KEYS, readPartitionChunk } from "./partition-chunk.ts";
import type { FoundRecord, RunFile } from "./run-file.ts";
import type { RunPartition } from "./run-partition.ts";
import type { RunsKeyFilter } from "./runs-key-filter.ts";
import { TOMBSTONE } from "./state-record.ts";

/**
 * The newest record of `key` in the runs (newest run first) into `found`; false if no run
 * has one. A tombstone is a record too (`found.valueLength === TOMBSTONE`).
 */
export function newestInRuns(runs: readonly RunFile[], key: StateKey, h1: number, h2: number, cache: BlockCache, found: FoundRecord): boolean {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i]!.find(key, h1, h2, cache, found)) return true;
  return false;
}

/**
 * The runs' part of RunEngine.lookupHashed, for the keys of `batch` at `order`[0…numPending)
 * that no memtable answered, in hash1 order: with `decode`, out[i] becomes the value,
 * without it true, where a run holds a live record (out[i] is left as it is otherwise).
 * `order` is reused. Each run is walked partition by partition, each partition's filter
 * fetched (from the cache) once for all the keys that fall in it, and its data blocks read
 * at once when many of the keys may be there (partition-chunk.ts). Keys that `runKeys` (when
 * given: the filter of all the runs' keys) has not seen are left out first.
 */
export function lookupInRuns(
  runs: readonly RunFile[], cache: BlockCache, found: FoundRecord, batch: HashedKeys, order: Int32Array, numPending: number, out: unknown[], decode: boolean,
  runKeys: RunsKeyFilter | null,
): void {
  const { keys, h1s, h2s, utf8 } = batch;
  if (runKeys !== null) {
    let kept = 0;
    for (let o = 0; o < numPending; o++) {
      const i = order[o]!;
      if (runKeys.mayContain(h1s[i]!, h2s[i]!)) order[kept++] = i;
    }
    numPending = kept;
  }
  for (let ri = runs.length - 1; ri >= 0 && numPending > 0; ri--) {
    const run = runs[ri]!;
    let partition = null;
    let partitionEnd = -1;
    const cursor = new BlockCursor();
    let kept = 0;
    for (let o = 0; o < numPending; o++) {
      const i = order[o]!;
      const h1 = h1s[i]!;
      if (h1 >= partitionEnd) {
        const p = run.partitionFor(h1);
        partitionEnd = run.partitionEnd(p);
        partition = p < 0 ? null : run.partition(p, cache);
        if (partition !== null && keysInPartition(partition, h1s, h2s, order, o, numPending, partitionEnd) >= CHUNK_MIN_KEYS) {
          readPartitionChunk(run, partition, cursor);
        }
      }
      if (partition !== null && partition.bloom.mayContain(h1, h2s[i]!) && findBatchKey(run, partition, keys[i]!, utf8, h1, h2s[i]!, cache, found, cursor)) {
        if (found.valueLength !== TOMBSTONE) {
          out[i] = decode ? decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength)) : true;
        }
        continue;
      }
      order[kept++] = i;
    }
    numPending = kept;
  }
}

/**
 * How many of the keys at order[from…numPending) (hash1 order) fall below `end` and pass the
 * partition's filter, counted up to CHUNK_MIN_KEYS (enough to read the partition at once).
 */
function keysInPartition(partition: RunPartition, h1s: Uint32Array, h2s: Uint32Array, order: Int32Array, from: number, numPending: number, end: number): number {
  let count = 0;
  for (let o = from; o < numPending && count < CHUNK_MIN_KEYS; o++) {
    const i = order[o]!;
    const h1 = h1s[i]!;
    if (h1 >= end) break;
    if (partition.bloom.mayContain(h1, h2s[i]!)) count++;
  }
  return count;
}

/** RunFile.findIn for a key of a batch (HashedKeys.utf8: a string is a UTF-8 key, looked for without its mark). */
function findBatchKey(run: RunFile, partition: RunPartition, key: StateKey, utf8: boolean, h1: number, h2: number, cache: BlockCache, found: FoundRecord, cursor: BlockCursor): boolean {
  return utf8 && typeof key === "string" ? run.findIn(partition, key, h1, h2, cache, found, true, cursor) : run.findIn(partition, key, h1, h2, cache, found, false, cursor);
}

/** A key of a batch as records name it (HashedKeys.utf8: a string is a UTF-8 key). */
export function recordKey(key: StateKey, utf8: boolean): string | number {
  return utf8 && typeof key === "string" ? UTF8_KEY_MARK + key : key;
}

/** What PastActiveProbe.state answers. */
export const NO_RECORD = 0, LIVE = 1, REMOVED = 2;

/**
 * The state of keys that the active memtable has no record of, asked one key at a time in
 * hash1 order (a batch ordered once): the sealed memtable, if any, then each run newest
 * first. Each run keeps a cursor on the partition of the last key, so a partition's filter
 * is fetched (from the cache) once for all the keys that fall in it, as lookupInRuns does
 * for a whole batch; asking key by key lets the caller add a new key while its memtable
 * slot is still in the cache.
 */
export class PastActiveProbe {
  readonly #sealed: Memtable | null;
  /** Newest first. */
  readonly #runs: RunFile[];
  readonly #partitions: Array<RunPartition | null>;
  /** Per run, the first hash1 past its current partition (0: none fetched yet). */
  readonly #ends: Float64Array;
  /** Per run, where its last lookup stopped. */
  readonly #cursors: BlockCursor[];

  /** `runKeys`: the filter of all the runs' keys (null: not usable yet), asked before any run. */
  constructor(sealed: Memtable | null, runs: readonly RunFile[], readonly cache: BlockCache, readonly found: FoundRecord, readonly runKeys: RunsKeyFilter | null = null) {
    this.#sealed = sealed;
    this.#runs = [...runs].reverse();
    this.#partitions = this.#runs.map(() => null);
    this.#ends = new Float64Array(this.#runs.length);
    this.#cursors = this.#runs.map(() => new BlockCursor());
  }

  /**
   * Loads what state() will read first for the keys at order[from…to): the sealed
   * memtable's home slots (while one is written out, every new key probes it) and the
   * filter blocks of the runs' keys (RunsKeyFilter.touch).
   */
  touch(h1s: Uint32Array, order: Int32Array, from: number, to: number): number {
    const sealed = this.#sealed === null ? 0 : this.#sealed.touchSlots(h1s, order, from, to);
    return this.runKeys === null || this.#runs.length === 0 ? sealed : (sealed + this.runKeys.touch(h1s, order, from, to)) | 0;
  }

  /** NO_RECORD, LIVE or REMOVED for `key` (hashes h1, h2; `utf8`: the UTF-8 key of that string), h1 not below the last key's. */
  state(key: StateKey, utf8: boolean, h1: number, h2: number): number {
    const sealed = this.#sealed;
    if (sealed !== null) {
      const r = utf8 ? sealed.findUtf8(key as string, h1, h2) : sealed.find(key, h1, h2);
      if (r >= 0) return sealed.isTombstone(r) ? REMOVED : LIVE;
    }
    const runs = this.#runs;
    if (runs.length === 0 || (this.runKeys !== null && !this.runKeys.mayContain(h1, h2))) return NO_RECORD;
    const ends = this.#ends;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      if (h1 >= ends[i]!) {
        const p = run.partitionFor(h1);
        ends[i] = run.partitionEnd(p);
        this.#partitions[i] = p < 0 ? null : run.partition(p, this.cache);
      }
      const partition = this.#partitions[i]!;
      if (partition !== null && partition.bloom.mayContain(h1, h2) && findBatchKey(run, partition, key, utf8, h1, h2, this.cache, this.found, this.#cursors[i]!)) {
        return this.found.valueLength === TOMBSTONE ? REMOVED : LIVE;
      }
    }
    return NO_RECORD;
  }
}
