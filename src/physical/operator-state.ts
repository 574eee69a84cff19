import type { StateStore, StateStoreProvider } from "../state/state-store.ts";
import type { StateContext } from "./exec-operator.ts";

/**
 * The versioned state of one stateful operator: its store provider and the version its
 * in-memory copy reflects. Before batch N the copy must be at version N (a restart or a
 * re-run of an uncommitted batch reloads it); after the batch its changes are committed
 * as version N + 1. Without a state context (no streaming) nothing is kept.
 */
export class OperatorState {
  #provider: StateStoreProvider | null = null;
  #version = -1;

  /** `restore` rebuilds the operator's in-memory copy from a loaded store. */
  constructor(readonly operatorId: number, readonly restore: (store: StateStore) => void) {}

  get enabled(): boolean {
    return this.#provider !== null;
  }

  async open(state: StateContext | null): Promise<void> {
    if (state === null) return;
    this.#provider = state.provider(this.operatorId, 0);
    await this.#load(state.startVersion);
  }

  /** Before running batch `batchId`: reloads when the in-memory copy is at another version. */
  async ensureAt(batchId: number): Promise<void> {
    if (this.#provider !== null && this.#version !== batchId) await this.#load(batchId);
  }

  /** After batch `batchId`: `write` puts and removes this batch's changes, then they commit as the next version. */
  async commit(batchId: number, write: (store: StateStore) => void): Promise<void> {
    if (this.#provider === null) return;
    const store = await this.#provider.load(batchId);
    write(store);
    await store.commit();
    this.#version = batchId + 1;
  }

  async close(): Promise<void> {
    await this.#provider?.close();
  }

  async #load(version: number): Promise<void> {
    const store = await this.#provider!.load(version);
    this.restore(store);
    store.abort();
    this.#version = version;
  }
}
