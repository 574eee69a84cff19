import { InternalError } from "../common/errors.ts";
import type { StateKey, StateStore, StateStoreMetrics } from "./state-store.ts";

/** Marks a key removed in a version's changes. */
export const REMOVED: unique symbol = Symbol("removed");
export type Removed = typeof REMOVED;

/** One version's changes: the new value of each put key, REMOVED for each removed key. */
export type StateChanges<V> = ReadonlyMap<StateKey, V | Removed>;

/** What a provider does when a store it handed out is committed or aborted. */
export interface StoreHooks<V> {
  /**
   * Makes `newVersion` durable and applies `changes` to `base` (which the store owns
   * exclusively). If it throws, nothing was committed.
   */
  commit(newVersion: number, base: Map<StateKey, V>, changes: StateChanges<V>): Promise<void>;
  /** The store was aborted; values in `base` may have been mutated through `get`. */
  abort(base: Map<StateKey, V>): void;
}

/** Applies a version's changes to a map in place. */
export function applyChanges<V>(map: Map<StateKey, V>, changes: StateChanges<V>): void {
  for (const [key, change] of changes) {
    if (change === REMOVED) map.delete(key);
    else map.set(key, change);
  }
}

/**
 * A StateStore over the previous version's map, with this version's changes kept aside
 * until commit, so that loading a version costs nothing and abort discards the changes.
 */
export class OverlayStateStore<V> implements StateStore<V> {
  readonly #base: Map<StateKey, V>;
  readonly #changes = new Map<StateKey, V | Removed>();
  readonly #hooks: StoreHooks<V>;
  readonly #what: string;
  #phase: "updating" | "committing" | "committed" | "aborted" = "updating";
  #numKeys: number;
  #finalMetrics: StateStoreMetrics | null = null;

  /** `what` names the store in errors, e.g. "state store state/0/0". */
  constructor(readonly version: number, base: Map<StateKey, V>, hooks: StoreHooks<V>, what: string) {
    this.#base = base;
    this.#hooks = hooks;
    this.#what = what;
    this.#numKeys = base.size;
  }

  get numKeys(): number {
    return this.#numKeys;
  }

  get(key: StateKey): V | undefined {
    const change = this.#changes.get(key);
    if (change !== undefined) return change === REMOVED ? undefined : change;
    return this.#base.get(key);
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
    const inBase = this.#base.has(key);
    if (change === undefined && !inBase) return;
    this.#numKeys--;
    // A key put and removed within this version that did not exist before is no change at all.
    if (inBase) this.#changes.set(key, REMOVED);
    else this.#changes.delete(key);
  }

  *entries(): IterableIterator<[StateKey, V]> {
    const changes = this.#changes;
    for (const entry of this.#base) {
      if (!changes.has(entry[0])) yield entry;
    }
    for (const [key, change] of changes) {
      if (change !== REMOVED) yield [key, change];
    }
  }

  async commit(): Promise<number> {
    this.#checkUpdating("commit");
    this.#phase = "committing";
    const metrics = this.metrics();
    const newVersion = this.version + 1;
    try {
      await this.#hooks.commit(newVersion, this.#base, this.#changes);
    } catch (error) {
      this.#phase = "aborted";
      this.#finalMetrics = { numRowsTotal: this.#base.size, numRowsUpdated: 0, numRowsRemoved: 0 };
      this.#hooks.abort(this.#base);
      throw error;
    }
    this.#changes.clear();
    this.#finalMetrics = metrics;
    this.#phase = "committed";
    return newVersion;
  }

  abort(): void {
    if (this.#phase === "committed" || this.#phase === "aborted") return;
    if (this.#phase === "committing") throw new InternalError(`${this.#what}: cannot abort version ${this.version + 1} while it is being committed`);
    this.#phase = "aborted";
    this.#changes.clear();
    this.#numKeys = this.#base.size;
    this.#finalMetrics = { numRowsTotal: this.#numKeys, numRowsUpdated: 0, numRowsRemoved: 0 };
    this.#hooks.abort(this.#base);
  }

  metrics(): StateStoreMetrics {
    if (this.#finalMetrics !== null) return this.#finalMetrics;
    let numRowsUpdated = 0;
    let numRowsRemoved = 0;
    for (const change of this.#changes.values()) {
      if (change === REMOVED) numRowsRemoved++;
      else numRowsUpdated++;
    }
    return { numRowsTotal: this.#numKeys, numRowsUpdated, numRowsRemoved };
  }

  #has(key: StateKey): boolean {
    const change = this.#changes.get(key);
    return change !== undefined ? change !== REMOVED : this.#base.has(key);
  }

  #checkUpdating(operation: string): void {
    if (this.#phase !== "updating") {
      throw new InternalError(`${this.#what}: cannot ${operation} version ${this.version + 1} after it was ${this.#phase === "committing" ? "submitted for commit" : this.#phase}`);
    }
  }
}
