import { ChangeOverlay, REMOVED, type OverlayStoreHooks, type StateBase } from "../change-overlay.ts";
import { getEach, type StateKey, type StateStore, type StateStoreMetrics } from "../state-store.ts";
import type { LmdbDatabase } from "./lmdb-engine.ts";
import { decodeValue } from "../value-codec.ts";
import type { ValueCache } from "./value-cache.ts";

/** A base holding every key asked: what removeKnown's caller vouches for. */
const KNOWN_BASE: StateBase<never> = { has: () => true, entries: () => [] };

/** What the provider does at a commit (the changes applied to the database) or an abort. */
export type LmdbStoreHooks<V> = OverlayStoreHooks<V>;

/**
 * One version of a disk-backed store: reads go to this version's write batch, then the
 * value cache, then the database (the state after `version`); puts and removes stay in the
 * write batch, in memory, until commit writes them out (abort discards them).
 */
export class LmdbStateStore<V> implements StateStore<V> {
  readonly #db: LmdbDatabase;
  readonly #cache: ValueCache<V>;
  readonly #hooks: LmdbStoreHooks<V>;
  readonly #overlay: ChangeOverlay<V>;
  /** The database as the overlay's base: the state after `version`. */
  readonly #base: StateBase<V>;
  /** Keys read and found absent from the database in this version: a put after a miss needs no second lookup. */
  readonly #absent = new Set<StateKey>();
  #finalMetrics: StateStoreMetrics | null = null;
  #gets = 0;
  #hits = 0;

  constructor(readonly version: number, db: LmdbDatabase, numKeys: number, cache: ValueCache<V>, hooks: LmdbStoreHooks<V>, what: string) {
    this.#db = db;
    this.#cache = cache;
    this.#hooks = hooks;
    this.#overlay = new ChangeOverlay(version, numKeys, what);
    this.#base = {
      has: (key) => !this.#absent.has(key) && this.#db.doesExist(key),
      entries: () => this.#dbEntries(),
    };
  }

  get numKeys(): number {
    return this.#overlay.numKeys;
  }

  get(key: StateKey): V | undefined {
    this.#gets++;
    const change = this.#overlay.change(key);
    if (change !== undefined) {
      this.#hits++;
      return change === REMOVED ? undefined : change;
    }
    return this.#readBase(key);
  }

  getMany(keys: readonly StateKey[]): Array<V | undefined> {
    return getEach(this, keys);
  }

  put(key: StateKey, value: V): void {
    this.#overlay.put(key, value, this.#base);
  }

  remove(key: StateKey): void {
    this.#overlay.remove(key, this.#base);
  }

  /** StateStore.removeKnown: the key is removed without asking the database whether it holds it (a cold page read saved). */
  removeKnown(key: StateKey): void {
    this.#overlay.remove(key, KNOWN_BASE);
  }

  entries(): IterableIterator<[StateKey, V]> {
    return this.#overlay.entries(this.#base);
  }

  async commit(): Promise<number> {
    this.#overlay.beginCommit();
    const metrics = this.metrics();
    const reads = this.#readMetrics();
    const newVersion = this.version + 1;
    let custom: Record<string, number>;
    try {
      custom = await this.#hooks.commit(newVersion, this.#overlay.changes, this.#overlay.numKeys);
    } catch (error) {
      this.#overlay.discard();
      this.#absent.clear();
      this.#finalMetrics = { numRowsTotal: this.#overlay.numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
      this.#hooks.abort();
      throw error;
    }
    this.#overlay.committed();
    this.#absent.clear();
    this.#finalMetrics = { ...metrics, customMetrics: { ...custom, ...reads } };
    return newVersion;
  }

  abort(): void {
    this.#overlay.checkAbortable();
    if (!this.#overlay.discard()) return;
    this.#absent.clear();
    this.#finalMetrics = { numRowsTotal: this.#overlay.numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
    this.#hooks.abort();
  }

  metrics(): StateStoreMetrics {
    if (this.#finalMetrics !== null) return this.#finalMetrics;
    return { ...this.#overlay.counts(), memoryUsedBytes: this.#cache.bytes, customMetrics: this.#readMetrics() };
  }

  #readMetrics(): Record<string, number> {
    return {
      rocksdbGetCount: this.#gets,
      rocksdbReadBlockCacheHitCount: this.#hits,
      rocksdbReadBlockCacheMissCount: this.#gets - this.#hits,
      stateCacheHitRatePercent: this.#gets === 0 ? 0 : Math.round((this.#hits / this.#gets) * 1000) / 10,
      rocksdbPutCount: this.#overlay.changes.size,
    };
  }

  *#dbEntries(): IterableIterator<[StateKey, V]> {
    for (const { key, value } of this.#db.getRange({})) yield [key as StateKey, decodeValue<V>(value as Uint8Array)];
  }

  /** The value in the database (the state after `version`), through the cache. */
  #readBase(key: StateKey): V | undefined {
    if (this.#absent.has(key)) return undefined;
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      this.#hits++;
      return cached;
    }
    const bytes = this.#db.getBinaryFast(key);
    if (bytes === undefined) {
      this.#absent.add(key);
      return undefined;
    }
    const value = decodeValue<V>(bytes);
    // Numbers decode for nothing: only structured values are worth the cache's memory.
    if (typeof value === "object" && value !== null) this.#cache.set(key, value, bytes.length);
    return value;
  }
}
