import type { StateStore } from "../../../state/state-store.ts";
import { statePartitionOf } from "../../state-partitioning.ts";
import { ClosingIndex, isClosingIndexKey } from "./closing-index.ts";

/** What the state store keeps per group: the key values and each accumulator's buffer. */
export type GroupState = [keyValues: unknown[], buffers: unknown[]];

/**
 * An aggregation's groups in its state stores for one batch (one store per state
 * partition, a group in the partition of its key): the batch's lookups, writes and
 * evictions go to the stores, and nothing of the groups is kept once the batch commits.
 * With `indexed`, each partition also keeps its groups by closing time (closing-index.ts).
 */
export class StoredGroups {
  readonly #stores: readonly StateStore[];
  readonly #indexes: readonly ClosingIndex[] | null;

  constructor(stores: readonly StateStore[], indexed: boolean) {
    this.#stores = stores;
    this.#indexes = indexed ? stores.map((s) => new ClosingIndex(s)) : null;
  }

  #storeOf(key: string): StateStore {
    return this.#stores[statePartitionOf(key, this.#stores.length)]!;
  }

  /** The stored states of `keys` (undefined for groups the state does not hold), looked up together in each partition. */
  getMany(keys: readonly string[]): Array<GroupState | undefined> {
    const p = this.#stores.length;
    if (p === 1) return this.#stores[0]!.getMany(keys) as Array<GroupState | undefined>;
    const byPartition = Array.from({ length: p }, () => ({ keys: [] as string[], at: [] as number[] }));
    for (let i = 0; i < keys.length; i++) {
      const part = byPartition[statePartitionOf(keys[i]!, p)]!;
      part.keys.push(keys[i]!);
      part.at.push(i);
    }
    const out = new Array<GroupState | undefined>(keys.length);
    byPartition.forEach((part, q) => {
      if (part.keys.length === 0) return;
      const found = this.#stores[q]!.getMany(part.keys) as Array<GroupState | undefined>;
      for (let j = 0; j < found.length; j++) out[part.at[j]!] = found[j];
    });
    return out;
  }

  put(key: string, state: GroupState): void {
    this.#storeOf(key).put(key, state);
  }

  remove(key: string): void {
    this.#storeOf(key).remove(key);
  }

  /** Whether some partition holds groups written before the closing index existed (see ClosingIndex.needsRebuild). */
  get needsIndexRebuild(): boolean {
    return this.#indexes?.some((index) => index.needsRebuild) ?? false;
  }

  /** Indexes the groups of the partitions that need it; `closesAt` gives a group's closing time from its state. */
  rebuildIndex(closesAt: (state: GroupState) => number): void {
    for (const index of this.#indexes ?? []) if (index.needsRebuild) index.rebuild((_, value) => closesAt(value as GroupState));
  }

  /** A group new in this batch, closed when the watermark reaches `closesAt` (Infinity: never). */
  index(key: string, closesAt: number): void {
    this.#indexes?.[statePartitionOf(key, this.#stores.length)]!.add(key, closesAt);
  }

  /** The groups closing at or below `watermark` (see ClosingIndex.takeUpTo), all partitions', ordered by closing time. */
  takeClosed(watermark: number): { keys: string[]; times: number[] } {
    if (this.#indexes === null) return { keys: [], times: [] };
    const parts = this.#indexes.map((index) => index.takeUpTo(watermark));
    if (parts.length === 1) return parts[0]!;
    const order: Array<{ key: string; time: number }> = [];
    for (const part of parts) for (let j = 0; j < part.keys.length; j++) order.push({ key: part.keys[j]!, time: part.times[j]! });
    order.sort((a, b) => a.time - b.time);
    return { keys: order.map((o) => o.key), times: order.map((o) => o.time) };
  }

  /** Writes the index's changes of this batch: call once, after the last `index` and `takeClosed`. */
  finish(): void {
    for (const index of this.#indexes ?? []) index.finish();
  }

  /** Groups held, all partitions (after `finish`). */
  get numGroups(): number {
    let n = 0;
    this.#stores.forEach((store, q) => { n += store.numKeys - (this.#indexes?.[q]!.numRecords ?? 0); });
    return n;
  }

  /** Every group held, partition by partition (complete mode; after `finish`, with no put or remove while it runs). */
  *groups(): IterableIterator<GroupState> {
    for (const store of this.#stores) {
      for (const [key, value] of store.entries()) if (!isClosingIndexKey(key)) yield value as GroupState;
    }
  }
}
