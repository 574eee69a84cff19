import { ChangeOverlay, REMOVED, type StateBase, type StateChanges } from "../change-overlay.ts";
import type { StateKey, StateStore, StateStoreMetrics } from "../state-store.ts";
import { decodeValue } from "../value-codec.ts";
import type { Memtable } from "./memtable.ts";
import type { RunEngine } from "./run-engine.ts";
import { hashBatch, orderByHash1 } from "./hash-order.ts";
import { putAbsent } from "./put-absent.ts";
import { recordKey } from "./run-lookup.ts";
import { decodeKey, hashKey, keyHash } from "./state-record.ts";

/** The base as removeKnown's caller tells it: the key is there (entries are never asked). */
const KNOWN_BASE: StateBase<never> = { has: () => true, entries: () => [] };

/**
 * What the provider does at a commit or abort: the commit applies the memtable's pending
 * records (keys putIfAbsent added), then `changes` (which win over them), and returns the
 * commit's metrics (once durable, or once applied when `durably` is false: the provider's
 * durable() then tells when the changelog is); the abort drops the pending records too.
 */
export interface DiskStoreHooks<V> {
  commit(newVersion: number, changes: StateChanges<V>, numKeys: number, durably: boolean): Promise<Record<string, number>>;
  abort(): void;
}

/**
 * One version of the disk-backed store: this version's puts and removes stay in a write
 * batch in memory (the change overlay) over the engine, which holds the state after
 * `version`; commit hands the batch to the provider, abort drops it.
 *
 * Keys added by putIfAbsent (dropDuplicates) skip the overlay's Map: they are encoded once,
 * as changelog records, straight into the engine's memtable as pending records (typed
 * arrays and an arena, no JS string kept), which later lookups of the version see in the
 * same probe and its commit keeps without indexing them again; the overlay's changes of a
 * key, if any, are newer and win.
 */
export class DiskStateStore<V> implements StateStore<V> {
  readonly #engine: RunEngine;
  readonly #hooks: DiskStoreHooks<V>;
  readonly #what: string;
  readonly #overlay: ChangeOverlay<V>;
  readonly #base: StateBase<V>;
  /** Keys looked up and found absent in this version: a put after a miss needs no second lookup. */
  readonly #absent = new Set<StateKey>();
  /** Keys looked up and found in this version: a put after a hit needs no second lookup either. */
  readonly #present = new Set<StateKey>();
  /** The engine's memtable, where putIfAbsent appends this version's new keys as pending records. */
  readonly #mem: Memtable;
  /** Keys putIfAbsent added in this version (absent before it). */
  #addedKeys = 0;
  #finalMetrics: StateStoreMetrics | null = null;
  #gets = 0;
  readonly #cacheHitsAtLoad: number;
  readonly #cacheMissesAtLoad: number;

  constructor(readonly version: number, engine: RunEngine, numKeys: number, hooks: DiskStoreHooks<V>, what: string) {
    this.#engine = engine;
    this.#mem = engine.memtable;
    // A version left neither committed nor aborted (there should be none) adds nothing.
    engine.abortPending();
    this.#hooks = hooks;
    this.#what = what;
    this.#overlay = new ChangeOverlay(version, numKeys, what);
    this.#cacheHitsAtLoad = engine.cache.hits;
    this.#cacheMissesAtLoad = engine.cache.misses;
    this.#base = {
      has: (key) => this.#addedHas(key) || this.#present.has(key) || (!this.#absent.has(key) && this.#engine.has(key)),
      entries: () => this.#baseEntries(),
    };
  }

  get numKeys(): number {
    return this.#overlay.numKeys;
  }

  get(key: StateKey): V | undefined {
    this.#gets++;
    const change = this.#overlay.change(key);
    if (change !== undefined) return change === REMOVED ? undefined : change;
    const added = this.#addedValue(key);
    if (added !== undefined) return added;
    if (this.#absent.has(key)) return undefined;
    const value = this.#engine.get(key) as V | undefined;
    if (value === undefined) this.#absent.add(key);
    else this.#present.add(key);
    return value;
  }

  /**
   * The keys this version has not changed or already found absent go to the engine in one
   * batch (engine.getMany: hashed once, bloom filters per run, block reads in hash order).
   */
  getMany(keys: readonly StateKey[]): Array<V | undefined> {
    const n = keys.length;
    this.#gets += n;
    const out = new Array<V | undefined>(n);
    const ask: StateKey[] = [];
    const askAt: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const change = this.#overlay.change(key);
      if (change !== undefined) out[i] = change === REMOVED ? undefined : change;
      else if (this.#addedKeys > 0 && (out[i] = this.#addedValue(key)) !== undefined) continue;
      else if (!this.#absent.has(key)) {
        ask.push(key);
        askAt.push(i);
      }
    }
    if (ask.length === 0) return out;
    const answers = new Array<unknown>(ask.length);
    this.#engine.getMany(ask, answers);
    for (let j = 0; j < ask.length; j++) {
      const value = answers[j] as V | undefined;
      out[askAt[j]!] = value;
      if (value === undefined) this.#absent.add(ask[j]!);
      else this.#present.add(ask[j]!);
    }
    return out;
  }

  put(key: StateKey, value: V): void {
    this.#overlay.put(key, value, this.#base);
  }

  /** Adds the keys no version holds (StateStore.putIfAbsent): #putIfAbsent with keys hashed here. */
  putIfAbsent(keys: readonly StateKey[], values: ArrayLike<V>): Uint8Array {
    return this.#putIfAbsent(keys, null, values);
  }

  /** putIfAbsent of UTF-8 keys (StateStore.putIfAbsentUtf8): their hashes derive from the given ones. */
  putIfAbsentUtf8(keys: readonly (string | number)[], hashes: Int32Array, values: ArrayLike<V>): Uint8Array {
    return this.#putIfAbsent(keys, hashes, values);
  }

  /**
   * Answers the keys this version changed from the overlay, hashes the rest once
   * (`utf8Hashes`: string keys are UTF-8 keys with these string hashes) and orders them by
   * hash1 once; in that order each probes the active memtable (its slots walk forward; this
   * version's additions are its pending records), goes past it if it has no record there
   * (the sealed memtable and the runs, partition by partition), and is added in the slot its
   * probe ended at if absent (put-absent.ts): one hash1-sorted stretch of pending records,
   * which the changelog carries as it is and a flush merges without sorting. A key twice in
   * `keys`: the first adds it (the order is stable), the second adds nothing.
   */
  #putIfAbsent(keys: readonly StateKey[], utf8Hashes: Int32Array | null, values: ArrayLike<V>): Uint8Array {
    this.#overlay.checkUpdating("put");
    const n = keys.length;
    this.#gets += n;
    const out = new Uint8Array(n);
    const utf8 = utf8Hashes !== null;
    // Keys this version changed by put or remove take that path again (rare).
    const skip = this.#overlay.changes.size > 0 ? this.#putChanged(keys, utf8, values, out) : null;
    const { batch, asked, numAsked } = hashBatch(keys, utf8Hashes, skip);
    const order = orderByHash1(batch.h1s, asked, numAsked);
    const count = putAbsent(this.#mem, this.#engine.probePastActive(), batch, order, numAsked, values, out, this.#what);
    this.#addedKeys += count;
    this.#overlay.addedBeside(count);
    return out;
  }

  /** Marks the keys this version changed (put or removed), putting those it removed again (marked in out). */
  #putChanged(keys: readonly StateKey[], utf8: boolean, values: ArrayLike<V>, out: Uint8Array): Uint8Array {
    const skip = new Uint8Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const name = recordKey(keys[i]!, utf8);
      const change = this.#overlay.change(name);
      if (change === undefined) continue;
      skip[i] = 1;
      if (change === REMOVED) {
        this.put(name, values[i]!);
        out[i] = 1;
      }
    }
    return skip;
  }

  remove(key: StateKey): void {
    this.#overlay.remove(key, this.#base);
  }

  /** StateStore.removeKnown: a tombstone written without asking the engine whether the key is there. */
  removeKnown(key: StateKey): void {
    this.#overlay.remove(key, KNOWN_BASE);
  }

  entries(): IterableIterator<[StateKey, V]> {
    return this.#overlay.entries(this.#base);
  }

  commit(): Promise<number> {
    return this.#commit(true);
  }

  /** StateStore.commitInMemory: applied to the working copy; the provider's durable() waits for its changelog. */
  commitInMemory(): Promise<number> {
    return this.#commit(false);
  }

  async #commit(durably: boolean): Promise<number> {
    this.#overlay.beginCommit();
    const metrics = this.#counts();
    const reads = this.#readMetrics();
    const newVersion = this.version + 1;
    let custom: Record<string, number>;
    try {
      custom = await this.#hooks.commit(newVersion, this.#overlay.changes, this.#overlay.numKeys, durably);
    } catch (error) {
      this.#overlay.discard();
      this.#absent.clear();
      this.#present.clear();
      this.#addedKeys = 0;
      this.#finalMetrics = { numRowsTotal: this.#overlay.numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
      this.#hooks.abort();
      throw error;
    }
    this.#overlay.committed();
    this.#absent.clear();
    this.#present.clear();
    this.#addedKeys = 0;
    // The provider's own record, kept: it adds the changelog's fsync time once known.
    this.#finalMetrics = { ...metrics, memoryUsedBytes: this.#engine.memoryBytes, customMetrics: Object.assign(custom, reads) };
    return newVersion;
  }

  abort(): void {
    this.#overlay.checkAbortable();
    if (!this.#overlay.discard()) return;
    this.#absent.clear();
    this.#present.clear();
    this.#addedKeys = 0;
    this.#finalMetrics = { numRowsTotal: this.#overlay.numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
    this.#hooks.abort();
  }

  metrics(): StateStoreMetrics {
    if (this.#finalMetrics !== null) return this.#finalMetrics;
    return { ...this.#counts(), memoryUsedBytes: this.#engine.memoryBytes, customMetrics: this.#readMetrics() };
  }

  /** The overlay's counts and the keys putIfAbsent added (each a new key, unless the overlay changed it since). */
  #counts(): StateStoreMetrics {
    const counts = this.#overlay.counts();
    if (this.#addedKeys === 0) return counts;
    let addedOnly = this.#addedKeys;
    for (const key of this.#overlay.changes.keys()) if (this.#addedHas(key)) addedOnly--;
    return { ...counts, numRowsUpdated: counts.numRowsUpdated + addedOnly };
  }

  #addedHas(key: StateKey): boolean {
    if (this.#addedKeys === 0) return false;
    hashKey(key);
    return this.#mem.isPending(this.#mem.find(key, keyHash.h1, keyHash.h2));
  }

  #addedValue(key: StateKey): V | undefined {
    if (this.#addedKeys === 0) return undefined;
    hashKey(key);
    const r = this.#mem.find(key, keyHash.h1, keyHash.h2);
    return this.#mem.isPending(r) ? decodeValue<V>(this.#mem.valueOf(r)) : undefined;
  }

  /** The keys putIfAbsent added (read after the engine's entries, which keep them pending). */
  *#addedEntries(): IterableIterator<[StateKey, V]> {
    const mem = this.#mem;
    for (const r of [...mem.pendingEntries()]) {
      const chunk = mem.chunkOf(r);
      const { keyStart, keyEnd } = mem.keyOf(r);
      yield [decodeKey(chunk, keyStart, keyEnd), decodeValue<V>(mem.valueOf(r))];
    }
  }

  /** The state before this version's overlay: the engine's entries, then the keys putIfAbsent added. */
  *#baseEntries(): IterableIterator<[StateKey, V]> {
    yield* this.#engine.entries() as IterableIterator<[StateKey, V]>;
    yield* this.#addedEntries();
  }

  /** Reads of this version (Spark's RocksDB names): block reads served by the cache or the disk. */
  #readMetrics(): Record<string, number> {
    const hits = this.#engine.cache.hits - this.#cacheHitsAtLoad;
    const misses = this.#engine.cache.misses - this.#cacheMissesAtLoad;
    return {
      rocksdbGetCount: this.#gets,
      rocksdbPutCount: this.#overlay.changes.size + this.#addedKeys,
      rocksdbReadBlockCacheHitCount: hits,
      rocksdbReadBlockCacheMissCount: misses,
      stateCacheHitRatePercent: hits + misses === 0 ? 100 : Math.round((hits / (hits + misses)) * 1000) / 10,
    };
  }
}
