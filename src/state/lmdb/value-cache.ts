import type { StateKey } from "../state-store.ts";

/** Per-entry bookkeeping bytes beyond the encoded value (Map slot, key, boxed value). */
const ENTRY_OVERHEAD = 96;

/**
 * Decoded values of recently read keys, bounded by bytes (least recently used first out):
 * the disk-backed store's block cache. Values are counted by their encoded size.
 */
export class ValueCache<V> {
  readonly #entries = new Map<StateKey, { value: V; bytes: number }>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get(key: StateKey): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: StateKey, value: V, encodedBytes: number): void {
    const bytes = encodedBytes + ENTRY_OVERHEAD + (typeof key === "string" ? key.length * 2 : 8);
    if (bytes > this.budgetBytes) return;
    this.delete(key);
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    if (this.#bytes <= this.budgetBytes) return;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.budgetBytes * 0.9) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
  }

  delete(key: StateKey): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
