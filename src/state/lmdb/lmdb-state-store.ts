import { InternalError } from "../../common/errors.ts";
import { REMOVED } from "../overlay-state-store.ts";
import type { Removed, StateChanges } from "../overlay-state-store.ts";
import type { StateKey, StateStore, StateStoreMetrics } from "../state-store.ts";
import type { LmdbDatabase } from "./lmdb-engine.ts";
import { decodeValue } from "./value-codec.ts";
import type { ValueCache } from "./value-cache.ts";

/** What the provider does when a store it handed out is committed or aborted. */
export interface LmdbStoreHooks<V> {
  /** Makes `newVersion` durable and applies `changes` to the database; returns the store's custom metrics. */
  commit(newVersion: number, changes: StateChanges<V>, numKeys: number): Promise<Record<string, number>>;
  abort(): void;
}

/**
 * One version of a disk-backed store: reads go to this version's write batch, then the
 * value cache, then the database (the state after `version`); puts and removes stay in the
 * write batch, in memory, until commit writes them out (abort discards them).
 */
export class LmdbStateStore<V> implements StateStore<V> {
  readonly #db: LmdbDatabase;
  readonly #cache: ValueCache<V>;
  readonly #hooks: LmdbStoreHooks<V>;
  readonly #what: string;
  readonly #changes = new Map<StateKey, V | Removed>();
  /** Keys read and found absent from the database in this version: a put after a miss needs no second lookup. */
  readonly #absent = new Set<StateKey>();
  #phase: "updating" | "committing" | "committed" | "aborted" = "updating";
  #numKeys: number;
  readonly #baseNumKeys: number;
  #finalMetrics: StateStoreMetrics | null = null;
  #gets = 0;
  #hits = 0;

  constructor(readonly version: number, db: LmdbDatabase, numKeys: number, cache: ValueCache<V>, hooks: LmdbStoreHooks<V>, what: string) {
    this.#db = db;
    this.#numKeys = numKeys;
    this.#baseNumKeys = numKeys;
    this.#cache = cache;
    this.#hooks = hooks;
    this.#what = what;
  }

  get numKeys(): number {
    return this.#numKeys;
  }

  get(key: StateKey): V | undefined {
    this.#gets++;
    const change = this.#changes.get(key);
    if (change !== undefined) {
      this.#hits++;
      return change === REMOVED ? undefined : change;
    }
    return this.#readBase(key);
  }

  put(key: StateKey, value: V): void {
    this.#checkUpdating("put");
    if (value === undefined) throw new InternalError(`${this.#what}: cannot put undefined for key ${String(key)}; use remove`);
    if (typeof key !== "string" && typeof key !== "number") {
      throw new InternalError(`${this.#what}: keys must be strings or numbers, not ${typeof key}`);
    }
    if (!this.#has(key)) this.#numKeys++;
    this.#changes.set(key, value);
  }

  remove(key: StateKey): void {
    this.#checkUpdating("remove");
    const change = this.#changes.get(key);
    if (change === REMOVED) return;
    const inBase = this.#baseHas(key);
    if (change === undefined && !inBase) return;
    this.#numKeys--;
    if (inBase) this.#changes.set(key, REMOVED);
    else this.#changes.delete(key);
  }

  *entries(): IterableIterator<[StateKey, V]> {
    const changes = this.#changes;
    for (const { key, value } of this.#db.getRange({})) {
      const k = key as StateKey;
      if (!changes.has(k)) yield [k, decodeValue<V>(value as Uint8Array)];
    }
    for (const [key, change] of changes) {
      if (change !== REMOVED) yield [key, change];
    }
  }

  async commit(): Promise<number> {
    this.#checkUpdating("commit");
    this.#phase = "committing";
    const metrics = this.metrics();
    const reads = this.#readMetrics();
    const newVersion = this.version + 1;
    let custom: Record<string, number>;
    try {
      custom = await this.#hooks.commit(newVersion, this.#changes, this.#numKeys);
    } catch (error) {
      this.#phase = "aborted";
      this.#numKeys = this.#baseNumKeys;
      this.#finalMetrics = { numRowsTotal: this.#numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
      this.#hooks.abort();
      throw error;
    }
    this.#changes.clear();
    this.#absent.clear();
    this.#finalMetrics = { ...metrics, customMetrics: { ...custom, ...reads } };
    this.#phase = "committed";
    return newVersion;
  }

  abort(): void {
    if (this.#phase === "committed" || this.#phase === "aborted") return;
    if (this.#phase === "committing") throw new InternalError(`${this.#what}: cannot abort version ${this.version + 1} while it is being committed`);
    this.#phase = "aborted";
    this.#changes.clear();
    this.#absent.clear();
    this.#numKeys = this.#baseNumKeys;
    this.#finalMetrics = { numRowsTotal: this.#numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
    this.#hooks.abort();
  }

  metrics(): StateStoreMetrics {
    if (this.#finalMetrics !== null) return this.#finalMetrics;
    let numRowsUpdated = 0;
    let numRowsRemoved = 0;
    for (const change of this.#changes.values()) {
      if (change === REMOVED) numRowsRemoved++;
      else numRowsUpdated++;
    }
    return { numRowsTotal: this.#numKeys, numRowsUpdated, numRowsRemoved, memoryUsedBytes: this.#cache.bytes, customMetrics: this.#readMetrics() };
  }

  #readMetrics(): Record<string, number> {
    return {
      rocksdbGetCount: this.#gets,
      rocksdbReadBlockCacheHitCount: this.#hits,
      rocksdbReadBlockCacheMissCount: this.#gets - this.#hits,
      stateCacheHitRatePercent: this.#gets === 0 ? 0 : Math.round((this.#hits / this.#gets) * 1000) / 10,
      rocksdbPutCount: this.#changes.size,
    };
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

  #baseHas(key: StateKey): boolean {
    if (this.#absent.has(key)) return false;
    return this.#db.doesExist(key);
  }

  #has(key: StateKey): boolean {
    const change = this.#changes.get(key);
    return change !== undefined ? change !== REMOVED : this.#baseHas(key);
  }

  #checkUpdating(operation: string): void {
    if (this.#phase !== "updating") {
      throw new InternalError(`${this.#what}: cannot ${operation} version ${this.version + 1} after it was ${this.#phase === "committing" ? "submitted for commit" : this.#phase}`);
    }
  }
}
