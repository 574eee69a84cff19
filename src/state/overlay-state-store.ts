import { getEach, type StateKey, type StateStore, type StateStoreMetrics } from "./state-store.ts";
import { ChangeOverlay, REMOVED, type StateChanges } from "./change-overlay.ts";

export { REMOVED, type Removed, type StateChanges } from "./change-overlay.ts";

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
  readonly #overlay: ChangeOverlay<V>;
  readonly #hooks: StoreHooks<V>;
  #finalMetrics: StateStoreMetrics | null = null;

  /** `what` names the store in errors, e.g. "state store state/0/0". */
  constructor(readonly version: number, base: Map<StateKey, V>, hooks: StoreHooks<V>, what: string) {
    this.#base = base;
    this.#hooks = hooks;
    this.#overlay = new ChangeOverlay(version, base.size, what);
  }

  get numKeys(): number {
    return this.#overlay.numKeys;
  }

  get(key: StateKey): V | undefined {
    const change = this.#overlay.change(key);
    if (change !== undefined) return change === REMOVED ? undefined : change;
    return this.#base.get(key);
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

  entries(): IterableIterator<[StateKey, V]> {
    return this.#overlay.entries(this.#base);
  }

  async commit(): Promise<number> {
    this.#overlay.beginCommit();
    const metrics = this.metrics();
    const newVersion = this.version + 1;
    try {
      await this.#hooks.commit(newVersion, this.#base, this.#overlay.changes);
    } catch (error) {
      this.#overlay.discard();
      this.#finalMetrics = { numRowsTotal: this.#base.size, numRowsUpdated: 0, numRowsRemoved: 0 };
      this.#hooks.abort(this.#base);
      throw error;
    }
    this.#overlay.committed();
    this.#finalMetrics = metrics;
    return newVersion;
  }

  abort(): void {
    this.#overlay.checkAbortable();
    if (!this.#overlay.discard()) return;
    this.#finalMetrics = { numRowsTotal: this.#base.size, numRowsUpdated: 0, numRowsRemoved: 0 };
    this.#hooks.abort(this.#base);
  }

  metrics(): StateStoreMetrics {
    return this.#finalMetrics ?? this.#overlay.counts();
  }
}
