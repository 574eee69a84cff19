import { commitApplied, type StateStore, type StateStoreMetrics, type StateStoreProvider } from "../state/state-store.ts";
import type { StateContext } from "./exec-operator.ts";

/**
 * The versioned state of one stateful operator: its store providers (one per state
 * partition, each checkpointed in its own directory, as Spark's per-shuffle-partition
 * stores) and the version its in-memory copy reflects. Before batch N the copy must be at
 * version N (a restart or a re-run of an uncommitted batch reloads it); after the batch
 * its changes are committed as version N + 1 in every partition. Without a state context
 * (no streaming) nothing is kept.
 *
 * Operators whose state may outgrow memory keep no copy (`restore` null) and work on the
 * stores themselves with `update`: a batch reads and writes only the keys it touches.
 *
 * Commits are applied, not necessarily durable (commitApplied): the executor waits for the
 * providers' durable() before it writes the batch's commit log, so the sink runs meanwhile.
 */
export class OperatorState {
  #providers: StateStoreProvider[] = [];
  #version = -1;
  #durable = true;
  #lastMetrics: StateStoreMetrics[] = [];

  /** `restore` rebuilds the operator's in-memory copy from the loaded stores (by partition); null: no copy. */
  constructor(
    readonly operatorId: number,
    readonly restore: ((stores: readonly StateStore[]) => void) | null,
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
    if (this.restore !== null) await this.#load(state.startVersion);
  }

  /** The version the operator's state is at (the next batch's id), or -1 before the first batch. */
  get version(): number {
    return this.#version;
  }

  /**
   * Runs batch `batchId` on the stores loaded at `batchId` (the state after the batch before):
   * `body` reads and writes them; then every partition commits as the next version. If
   * `body` throws, the changes are discarded.
   */
  async update<R>(batchId: number, body: (stores: readonly StateStore[]) => R | Promise<R>): Promise<R> {
    const stores = await Promise.all(this.#providers.map((p) => p.load(batchId)));
    let result: R;
    try {
      result = await body(stores);
    } catch (error) {
      for (const store of stores) store.abort();
      this.#version = -1;
      throw error;
    }
    await Promise.all(stores.map(commitApplied));
    this.#lastMetrics = stores.map((s) => s.metrics());
    this.#version = batchId + 1;
    return result;
  }

  /** The stores' provider-specific metrics of the last commit, summed over partitions. */
  customMetrics(): Record<string, number> {
    const sum: Record<string, number> = {};
    for (const m of this.#lastMetrics) {
      for (const [k, v] of Object.entries(m.customMetrics ?? {})) sum[k] = (sum[k] ?? 0) + v;
    }
    if (this.#lastMetrics.length > 1 && "stateCacheHitRatePercent" in sum) {
      const hits = sum.rocksdbReadBlockCacheHitCount ?? 0;
      const reads = hits + (sum.rocksdbReadBlockCacheMissCount ?? 0);
      sum.stateCacheHitRatePercent = reads === 0 ? 0 : Math.round((hits / reads) * 1000) / 10;
    }
    return sum;
  }

  /** Memory the stores reported for the last commit. */
  memoryUsedBytes(): number {
    return this.#lastMetrics.reduce((n, m) => n + (m.memoryUsedBytes ?? 0), 0);
  }

  /** Marks the in-memory copy as at no version (a batch failed half-way through it): the next batch reloads it. */
  invalidate(): void {
    this.#version = -1;
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
    await Promise.all(stores.map(commitApplied));
    this.#lastMetrics = stores.map((s) => s.metrics());
    this.#version = batchId + 1;
  }

  async close(): Promise<void> {
    await Promise.all(this.#providers.map((p) => p.close()));
  }

  async #load(version: number): Promise<void> {
    const stores = await Promise.all(this.#providers.map((p) => p.load(version)));
    this.restore?.(stores);
    for (const store of stores) store.abort();
    this.#version = version;
  }
}
