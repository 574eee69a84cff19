import { InternalError } from "../../common/errors.ts";
import { ChangeOverlay, REMOVED, type StateBase, type StateChanges } from "../change-overlay.ts";
import { UTF8_KEY_MARK, type StateKey, type StateStore, type StateStoreMetrics } from "../state-store.ts";
import { decodeValue, encodeNumberInto, encodeValueShared } from "../value-codec.ts";
import type { Memtable } from "./memtable.ts";
import type { RunEngine } from "./run-engine.ts";
import { orderByHash } from "./changelog-file.ts";
import { decodeKey, hashKey, keyHash, utf8KeyHashes } from "./state-record.ts";

/** What the provider does when a store it handed out is committed or aborted. */
export interface DiskStoreHooks<V> {
  /**
   * Makes `newVersion` durable and commits it in the engine — the memtable's pending
   * records (keys putIfAbsent added), then `changes` (which win over them) — and returns
   * the store's custom metrics.
   */
  commit(newVersion: number, changes: StateChanges<V>, numKeys: number): Promise<Record<string, number>>;
  /** Drops the version: the engine's pending records too. */
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

  /**
   * Hashes each key once, answers those this version changed from the overlay, those it
   * added from #added, the rest from the engine in one presence-only pass (no value
   * decoded), and encodes each absent key's record straight into #added.
   */
  putIfAbsent(keys: readonly StateKey[], values: ArrayLike<V>): Uint8Array {
    this.#overlay.checkUpdating("put");
    const n = keys.length;
    this.#gets += n;
    const out = new Uint8Array(n);
    const h1s = new Uint32Array(n);
    const h2s = new Uint32Array(n);
    const pending = new Int32Array(n);
    let numPending = 0;
    const overlay = this.#overlay;
    const checkOverlay = overlay.changes.size > 0;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (checkOverlay) {
        const change = overlay.change(key);
        if (change !== undefined) {
          // Changed by put or remove in this version: that path again (rare).
          if (change === REMOVED) {
            this.put(key, values[i]!);
            out[i] = 1;
          }
          continue;
        }
      }
      hashKey(key);
      h1s[i] = keyHash.h1;
      h2s[i] = keyHash.h2;
      pending[numPending++] = i;
    }
    // Keys this version added are the memtable's pending records: found there, as present.
    const found = new Array<unknown>(n);
    this.#engine.lookupHashed(keys, h1s, h2s, pending.slice(0, numPending), numPending, found, false);
    let numAbsent = 0;
    for (let p = 0; p < numPending; p++) if (found[pending[p]!] === undefined) pending[numAbsent++] = pending[p]!;
    this.#addAbsent(keys as readonly (string | number)[], h1s, h2s, pending, numAbsent, values, out, false);
    return out;
  }

  /**
   * putIfAbsent of UTF-8 keys (StateStore.putIfAbsentUtf8): their hashes derive from the
   * given ones, and the active memtable is probed with the strings as they are; the keys it
   * does not answer go to the engine named by their record form (#absentFromRuns).
   */
  putIfAbsentUtf8(keys: readonly (string | number)[], hashes: Int32Array, values: ArrayLike<V>): Uint8Array {
    this.#overlay.checkUpdating("put");
    const n = keys.length;
    this.#gets += n;
    const out = new Uint8Array(n);
    const h1s = new Uint32Array(n);
    const h2s = new Uint32Array(n);
    // Keys the memtable does not answer (to look up in the runs), then the absent ones.
    const pending = new Int32Array(n);
    const absent = new Int32Array(n);
    let numPending = 0;
    let numAbsent = 0;
    const overlay = this.#overlay;
    const checkOverlay = overlay.changes.size > 0;
    const mem = this.#mem;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (checkOverlay) {
        const change = overlay.change(typeof key === "string" ? UTF8_KEY_MARK + key : key);
        if (change !== undefined) {
          // Changed by put or remove in this version: that path again (rare).
          if (change === REMOVED) {
            this.put(typeof key === "string" ? UTF8_KEY_MARK + key : key, values[i]!);
            out[i] = 1;
          }
          continue;
        }
      }
      if (typeof key === "string") utf8KeyHashes(hashes[i]!);
      else hashKey(key);
      const h1 = (h1s[i] = keyHash.h1);
      const h2 = (h2s[i] = keyHash.h2);
      // The memtable holds the newest record of a key it has (this version's included).
      const r = typeof key === "string" ? mem.findUtf8(key, h1, h2) : mem.find(key, h1, h2);
      if (r < 0) pending[numPending++] = i;
      else if (mem.isTombstone(r)) absent[numAbsent++] = i;
    }
    numAbsent = this.#absentFromRuns(keys, h1s, h2s, pending, numPending, absent, numAbsent);
    this.#addAbsent(keys, h1s, h2s, absent, numAbsent, values, out, true);
    return out;
  }

  /**
   * Adds the keys at absent[0…numAbsent) as this version's pending records, in hash1 order:
   * each call appends one sorted stretch to the memtable, which the changelog carries as it
   * is and a flush merges without sorting. `utf8`: string keys are UTF-8 keys. Marks out[i].
   */
  #addAbsent(
    keys: readonly StateKey[], h1s: Uint32Array, h2s: Uint32Array, absent: Int32Array, numAbsent: number, values: ArrayLike<V>, out: Uint8Array, utf8: boolean,
  ): void {
    const mem = this.#mem;
    const absentH1 = new Uint32Array(numAbsent);
    for (let p = 0; p < numAbsent; p++) absentH1[p] = h1s[absent[p]!]!;
    const order = orderByHash(absentH1);
    const scratch = Buffer.allocUnsafe(9);
    let count = 0;
    for (let o = 0; o < numAbsent; o++) {
      const i = absent[order[o]!]!;
      const key = keys[i]!;
      const value = values[i]!;
      if (value === undefined) throw new InternalError(`${this.#what}: cannot put undefined for key ${String(key)}; use remove`);
      if (typeof key !== "string" && typeof key !== "number") throw new InternalError(`${this.#what}: keys must be strings or numbers, not ${typeof key}`);
      const bytes = typeof value === "number" ? encodeNumberInto(scratch, value) : encodeValueShared(value);
      // A key twice in `keys`: the first one added it (the order is stable), the second adds nothing.
      if (!(utf8 && typeof key === "string" ? mem.addPendingUtf8(key, h1s[i]!, h2s[i]!, bytes) : mem.addPending(key, h1s[i]!, h2s[i]!, bytes))) continue;
      out[i] = 1;
      count++;
    }
    this.#addedKeys += count;
    this.#overlay.addedBeside(count);
  }

  /**
   * Appends to `absent` (from `numAbsent`) the keys at pending[0…numPending), which the
   * active memtable does not hold (the caller probed it), that neither the engine's other
   * memtable (one being flushed) nor any run holds, or whose newest record
   * removes them; returns the new count. The engine's lookup walks them in hash1 order,
   * partition by partition; a string key is named by its record form (UTF8_KEY_MARK + key).
   */
  #absentFromRuns(
    keys: readonly (string | number)[], h1s: Uint32Array, h2s: Uint32Array, pending: Int32Array, numPending: number, absent: Int32Array, numAbsent: number,
  ): number {
    if (numPending === 0) return numAbsent;
    const recordKeys: (string | number)[] = new Array(keys.length);
    for (let p = 0; p < numPending; p++) {
      const i = pending[p]!;
      const key = keys[i]!;
      recordKeys[i] = typeof key === "string" ? UTF8_KEY_MARK + key : key;
    }
    const asked = pending.slice(0, numPending);
    const present: unknown[] = new Array(keys.length);
    this.#engine.lookupPastActive(recordKeys, h1s, h2s, pending, numPending, present, false);
    for (let p = 0; p < asked.length; p++) if (present[asked[p]!] === undefined) absent[numAbsent++] = asked[p]!;
    return numAbsent;
  }

  remove(key: StateKey): void {
    this.#overlay.remove(key, this.#base);
  }

  entries(): IterableIterator<[StateKey, V]> {
    return this.#overlay.entries(this.#base);
  }

  async commit(): Promise<number> {
    this.#overlay.beginCommit();
    const metrics = this.#counts();
    const reads = this.#readMetrics();
    const newVersion = this.version + 1;
    let custom: Record<string, number>;
    try {
      custom = await this.#hooks.commit(newVersion, this.#overlay.changes, this.#overlay.numKeys);
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
    this.#finalMetrics = { ...metrics, memoryUsedBytes: this.#engine.memoryBytes, customMetrics: { ...reads, ...custom } };
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
