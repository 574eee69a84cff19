import type { StateStore, StateStoreProvider } from "../state/state-store.ts";
import type { StateContext } from "./exec-operator.ts";

/**
 * The versioned state of one stateful operator: its store providers (one per state
 * partition, each checkpointed in its own directory, as Spark's per-shuffle-partition
 * stores) and the version its in-memory copy reflects. Before batch N the copy must be at
 * version N (a restart or a re-run of an uncommitted batch reloads it); after the batch
 * its changes are committed as version N + 1 in every partition. Without a state context
 * (no streaming) nothing is kept.
 */
export class OperatorState {
  #providers: StateStoreProvider[] = [];
  #version = -1;
  #durable = true;

  /** `restore` rebuilds the operator's in-memory copy from the loaded stores (by partition). */
  constructor(
    readonly operatorId: number,
    readonly restore: (stores: readonly StateStore[]) => void,
    readonly numPartitions = 1,
  ) {}

  get enabled(): boolean {
    return this.#providers.length > 0;
  }

  /** Whether the stores outlive the query (see StateContext.durable). */
  get durable(): boolean {
    return this.#durable;
  }

  async open(state: StateContext | null): Promise<void> {
    if (state === null) return;
    this.#durable = state.durable ?? true;
    this.#providers = Array.from({ length: this.numPartitions }, (_, p) => state.provider(this.operatorId, p));
    await this.#load(state.startVersion);
  }

  /** Before running batch `batchId`: reloads when the in-memory copy is at another version. */
  async ensureAt(batchId: number): Promise<void> {
    if (this.enabled && this.#version !== batchId) await this.#load(batchId);
  }

  /**
   * After batch `batchId`: `write` puts and removes this batch's changes (with the store of
   * each partition at hand), then every partition commits them as the next version.
   */
  async commit(batchId: number, write: (stores: readonly StateStore[]) => void): Promise<void> {
    if (!this.enabled) return;
    const stores = await Promise.all(this.#providers.map((p) => p.load(batchId)));
    write(stores);
    await Promise.all(stores.map((s) => s.commit()));
    this.#version = batchId + 1;
  }

  async close(): Promise<void> {
    await Promise.all(this.#providers.map((p) => p.close()));
  }

  async #load(version: number): Promise<void> {
    const stores = await Promise.all(this.#providers.map((p) => p.load(version)));
    this.restore(stores);
    for (const store of stores) store.abort();
    this.#version = version;
  }
}
