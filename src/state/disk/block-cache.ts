/** What the cache holds: a data block's bytes, or a parsed index/filter partition (run-partition.ts). */
export interface Cacheable {
  readonly byteLength: number;
}

/**
 * Recently read blocks of run files, bounded by bytes, least recently used out first (the
 * disk engine's block cache, RocksDB's LRUCache). It holds the runs' data blocks and their
 * filter and index partitions alike, so the memory budget bounds both; index and filter
 * partitions have the high priority (RocksDB's cache_index_and_filter_blocks_with_high_priority):
 * data blocks are evicted first, since a lookup of an absent key (most of a dropDuplicates
 * batch) reads only a filter partition, and losing it costs a read for every such key.
 *
 * Keys: a data block is BlockCache.key(run, block), a partition BlockCache.partitionKey(run, p).
 */
export class BlockCache {
  /** Data blocks, least recently used first. */
  readonly #low = new Map<number, Cacheable>();
  /** Filter and index partitions, least recently used first. */
  readonly #high = new Map<number, Cacheable>();
  #bytes = 0;
  #highBytes = 0;
  hits = 0;
  misses = 0;
  /** Partitions evicted (each costs a read again later): a sign the budget is too small for the filters. */
  highEvictions = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of filter and index partitions held. */
  get highPriorityBytes(): number {
    return this.#highBytes;
  }

  static key(run: number, block: number): number {
    return run * 0x1000000 + block;
  }

  static partitionKey(run: number, partition: number): number {
    return -(run * 0x1000000 + partition) - 1;
  }

  get<T extends Cacheable>(key: number): T | undefined {
    const map = key < 0 ? this.#high : this.#low;
    const entry = map.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    map.delete(key);
    map.set(key, entry);
    return entry as T;
  }

  set(key: number, entry: Cacheable): void {
    if (entry.byteLength > this.budgetBytes) return;
    const high = key < 0;
    const map = high ? this.#high : this.#low;
    const old = map.get(key);
    if (old !== undefined) this.#forget(map, key, old);
    map.set(key, entry);
    this.#bytes += entry.byteLength;
    if (high) this.#highBytes += entry.byteLength;
    if (this.#bytes <= this.budgetBytes) return;
    const target = this.budgetBytes * 0.9;
    for (const [k, e] of this.#low) {
      if (this.#bytes <= target) return;
      this.#forget(this.#low, k, e);
    }
    for (const [k, e] of this.#high) {
      if (this.#bytes <= target) return;
      this.#forget(this.#high, k, e);
      this.highEvictions++;
    }
  }

  /** Forgets a run's blocks and partitions (the run was merged away). */
  dropRun(run: number, numBlocks: number, numPartitions: number): void {
    for (let b = 0; b < numBlocks; b++) {
      const key = BlockCache.key(run, b);
      const entry = this.#low.get(key);
      if (entry !== undefined) this.#forget(this.#low, key, entry);
    }
    for (let p = 0; p < numPartitions; p++) {
      const key = BlockCache.partitionKey(run, p);
      const entry = this.#high.get(key);
      if (entry !== undefined) this.#forget(this.#high, key, entry);
    }
  }

  clear(): void {
    this.#low.clear();
    this.#high.clear();
    this.#bytes = 0;
    this.#highBytes = 0;
  }

  #forget(map: Map<number, Cacheable>, key: number, entry: Cacheable): void {
    map.delete(key);
    this.#bytes -= entry.byteLength;
    if (map === this.#high) this.#highBytes -= entry.byteLength;
  }
}
