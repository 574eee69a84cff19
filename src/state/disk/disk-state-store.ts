import { ChangeOverlay, REMOVED, type StateBase, type StateChanges } from "../change-overlay.ts";
import { type StateKey, type StateStore, type StateStoreMetrics } from "../state-store.ts";
import type { RunEngine } from "./run-engine.ts";

/** What the provider does when a store it handed out is committed or aborted. */
export interface DiskStoreHooks<V> {
  /** Makes `newVersion` durable and applies `changes` to the engine; returns the store's custom metrics. */
  commit(newVersion: number, changes: StateChanges<V>, numKeys: number): Promise<Record<string, number>>;
  abort(): void;
}

/**
 * One version of the disk-backed store: this version's puts and removes stay in a write
 * batch in memory (the change overlay) over the engine, which holds the state after
 * `version`; commit hands the batch to the provider, abort drops it.
 */
export class DiskStateStore<V> implements StateStore<V> {
  readonly #engine: RunEngine;
  readonly #hooks: DiskStoreHooks<V>;
  readonly #overlay: ChangeOverlay<V>;
  readonly #base: StateBase<V>;
  /** Keys looked up and found absent in this version: a put after a miss needs no second lookup. */
  readonly #absent = new Set<StateKey>();
  /** Keys looked up and found in this version: a put after a hit needs no second lookup either. */
  readonly #present = new Set<StateKey>();
  #finalMetrics: StateStoreMetrics | null = null;
  #gets = 0;
  readonly #cacheHitsAtLoad: number;
  readonly #cacheMissesAtLoad: number;

  constructor(readonly version: number, engine: RunEngine, numKeys: number, hooks: DiskStoreHooks<V>, what: string) {
    this.#engine = engine;
    this.#hooks = hooks;
    this.#overlay = new ChangeOverlay(version, numKeys, what);
    this.#cacheHitsAtLoad = engine.cache.hits;
    this.#cacheMissesAtLoad = engine.cache.misses;
    this.#base = {
      has: (key) => this.#present.has(key) || (!this.#absent.has(key) && this.#engine.has(key)),
      entries: () => this.#engine.entries() as IterableIterator<[StateKey, V]>,
    };
  }

  get numKeys(): number {
    return this.#overlay.numKeys;
  }

  get(key: StateKey): V | undefined {
    this.#gets++;
    const change = this.#overlay.change(key);
    if (change !== undefined) return change === REMOVED ? undefined : change;
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

  remove(key: StateKey): void {
    this.#overlay.remove(key, this.#base);
  }

  entries(): IterableIterator<[StateKey, V]> {
    return this.#overlay.entries(this.#base);
  }

  async commit(): Promise<number> {
    this.#overlay.beginCommit();
    const metrics = this.#overlay.counts();
    const reads = this.#readMetrics();
    const newVersion = this.version + 1;
    let custom: Record<string, number>;
    try {
      custom = await this.#hooks.commit(newVersion, this.#overlay.changes, this.#overlay.numKeys);
    } catch (error) {
      this.#overlay.discard();
      this.#absent.clear();
      this.#present.clear();
      this.#finalMetrics = { numRowsTotal: this.#overlay.numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
      this.#hooks.abort();
      throw error;
    }
    this.#overlay.committed();
    this.#absent.clear();
    this.#present.clear();
    this.#finalMetrics = { ...metrics, memoryUsedBytes: this.#engine.memoryBytes, customMetrics: { ...reads, ...custom } };
    return newVersion;
  }

  abort(): void {
    this.#overlay.checkAbortable();
    if (!this.#overlay.discard()) return;
    this.#absent.clear();
    this.#present.clear();
    this.#finalMetrics = { numRowsTotal: this.#overlay.numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
    this.#hooks.abort();
  }

  metrics(): StateStoreMetrics {
    if (this.#finalMetrics !== null) return this.#finalMetrics;
    return { ...this.#overlay.counts(), memoryUsedBytes: this.#engine.memoryBytes, customMetrics: this.#readMetrics() };
  }

  /** Reads of this version (Spark's RocksDB names): block reads served by the cache or the disk. */
  #readMetrics(): Record<string, number> {
    const hits = this.#engine.cache.hits - this.#cacheHitsAtLoad;
    const misses = this.#engine.cache.misses - this.#cacheMissesAtLoad;
    return {
      rocksdbGetCount: this.#gets,
      rocksdbPutCount: this.#overlay.changes.size,
      rocksdbReadBlockCacheHitCount: hits,
      rocksdbReadBlockCacheMissCount: misses,
      stateCacheHitRatePercent: hits + misses === 0 ? 100 : Math.round((hits / (hits + misses)) * 1000) / 10,
    };
  }
}
