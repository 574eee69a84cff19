/**
 * Recently read blocks of run files, bounded by bytes, least recently used out first (the
 * disk engine's block cache, RocksDB's LRUCache). Keyed by run number and block number.
 */
export class BlockCache {
  readonly #blocks = new Map<number, Buffer>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  static key(run: number, block: number): number {
    return run * 0x1000000 + block;
  }

  get(key: number): Buffer | undefined {
    const block = this.#blocks.get(key);
    if (block === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#blocks.delete(key);
    this.#blocks.set(key, block);
    return block;
  }

  set(key: number, block: Buffer): void {
    if (block.length > this.budgetBytes) return;
    this.#blocks.set(key, block);
    this.#bytes += block.length;
    if (this.#bytes <= this.budgetBytes) return;
    for (const [k, b] of this.#blocks) {
      if (this.#bytes <= this.budgetBytes * 0.9) break;
      this.#blocks.delete(k);
      this.#bytes -= b.length;
    }
  }

  /** Forgets a run's blocks (the run was merged away). */
  dropRun(run: number, numBlocks: number): void {
    for (let b = 0; b < numBlocks; b++) {
      const key = BlockCache.key(run, b);
      const block = this.#blocks.get(key);
      if (block === undefined) continue;
      this.#blocks.delete(key);
      this.#bytes -= block.length;
    }
  }

  clear(): void {
    this.#blocks.clear();
    this.#bytes = 0;
  }
}
