import { InternalError } from "../common/errors.ts";
import { applyChanges, OverlayStateStore } from "./overlay-state-store.ts";
import type { StoreHooks } from "./overlay-state-store.ts";
import type { StateKey, StateStore, StateStoreProvider } from "./state-store.ts";

/**
 * State kept only in memory, for queries without a checkpoint location: it holds the
 * latest committed version and nothing older, so only that version can be loaded.
 *
 * Abort discards puts and removes, but not in-place mutations of values obtained by
 * `get`; without a checkpoint a failed batch ends the query anyway.
 */
export class MemoryStateStoreProvider<V = unknown> implements StateStoreProvider<V> {
  #version = 0;
  #map = new Map<StateKey, V>();
  #updating = false;
  #closed = false;

  constructor(readonly name = "in-memory state") {}

  /** The latest committed version. */
  get latestVersion(): number {
    return this.#version;
  }

  async load(version: number): Promise<StateStore<V>> {
    if (this.#closed) throw new InternalError(`${this.name}: provider is closed`);
    if (version !== this.#version) {
      throw new InternalError(
        `${this.name} holds version ${this.#version} only and cannot load version ${version}; ` +
          `re-running an earlier batch needs a checkpoint location`,
      );
    }
    if (this.#updating) throw new InternalError(`${this.name}: version ${version + 1} is already being updated by another store`);
    this.#updating = true;
    const hooks: StoreHooks<V> = {
      commit: async (newVersion, map, changes) => {
        if (this.#closed) throw new InternalError(`${this.name}: provider is closed`);
        applyChanges(map, changes);
        this.#version = newVersion;
        this.#updating = false;
      },
      abort: () => {
        this.#updating = false;
      },
    };
    return new OverlayStateStore<V>(version, this.#map, hooks, this.name);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#map = new Map();
  }
}
