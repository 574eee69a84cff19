import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { StateStore } from "../state/state-store.ts";
import { ClosingIndex, isClosingIndexKey } from "./aggregate/stored/closing-index.ts";
import type { BatchContext } from "./exec-operator.ts";
import type { KeyState, SessionGroups } from "./session-groups.ts";
import type { KeySession } from "./session-merging.ts";
import { statePartitionOf } from "./state-partitioning.ts";

/** A partition's count of sessions, beside its keys (a "#" key: never a group's, skipped as the index's are). */
const SESSION_COUNT = "#sessions";

type Emitted = { key: string; session: KeySession };

/**
 * Session ends are all but unique per key, and the index keeps one entry per time: keys are
 * indexed at their end rounded down to the minute, so the index has a few entries per minute
 * of open sessions rather than one per key. An entry may come early (see the rule below).
 */
const INDEX_GRANULE_MICROS = 60_000_000;
const granuleOf = (end: number): number => Math.floor(end / INDEX_GRANULE_MICROS) * INDEX_GRANULE_MICROS;

/** What a stored batch needs of the session-window operator. */
export interface StoredSessionBatch {
  readonly groups: SessionGroups;
  readonly ctx: BatchContext;
  readonly watermark: number;
  readonly started: number;
  readonly numPartitions: number;
  readonly emitsEvicted: boolean;
  readonly emitsAll: boolean;
  input(): Promise<ColumnBatch[]>;
  consume(batch: ColumnBatch, touched: Map<string, number>, changedSlots: Set<number>, load: (keys: readonly string[]) => void): number;
  closeSessions(keys: Iterable<string>, emitted: Emitted[] | null, evicted: KeySession[]): string[];
  output(emitted: readonly Emitted[]): ColumnBatch;
  /** The batch's counts once its changes are written (`writeStarted`: when writing began, for the commit time). */
  finish(numSessions: number, updated: number, removed: number, dropped: number, updateMs: number, writeStarted: number): void;
}

/**
 * One streaming batch of the session-window aggregation on a provider that keeps state on
 * disk (Spark's SessionWindowStateStoreRestore/Save reading its store by key): the batch's
 * keys are read from the stores with one getMany per input batch and partition, and the
 * keys whose sessions the watermark closes come from an event-time index kept in each store
 * (closing-index.ts), so nothing is held between batches and the cost follows the batch.
 *
 * The index holds, for every stored key, at least one entry at or before the end of its
 * earliest session: a key is indexed when it is new or its earliest end moves earlier, and
 * re-indexed whenever the watermark takes its entries (an entry may be early — the session
 * grew, or the minute began before the end — and then closes nothing; a key whose minute
 * the watermark already passed is indexed at its exact end, so it is not read again before).
 */
export function runStoredSessionBatch(batch: StoredSessionBatch, stores: readonly StateStore[]): Promise<ColumnBatch[]> {
  return new StoredSessionRun(batch, stores).run();
}

class StoredSessionRun {
  readonly #b: StoredSessionBatch;
  readonly #stores: readonly StateStore[];
  readonly #indexes: ClosingIndex[];
  /** Sessions per partition when this batch read its keys, and the stored counts. */
  readonly #loaded = new Map<string, number>();
  readonly #counts: number[];
  /** Partitions whose count changed (or was first counted) in this batch. */
  readonly #countChanged = new Set<number>();

  constructor(batch: StoredSessionBatch, stores: readonly StateStore[]) {
    this.#b = batch;
    this.#stores = stores;
    this.#indexes = stores.map((s) => new ClosingIndex(s));
    this.#counts = stores.map((s) => (s.get(SESSION_COUNT) as number | undefined) ?? 0);
    this.#indexes.forEach((index, p) => {
      if (!index.needsRebuild) return;
      // A checkpoint whose sessions were held in memory (no index yet): indexed once, and counted.
      let sessions = 0;
      index.rebuild((_key, value) => {
        const stored = (value as KeyState)[1];
        sessions += stored.length;
        return stored.length === 0 ? Infinity : granuleOf(stored[0]![1]);
      });
      this.#counts[p] = sessions;
      this.#countChanged.add(p);
    });
  }

  #partition(key: string): number {
    return statePartitionOf(key, this.#b.numPartitions);
  }

  /** Reads `keys` (not at hand) from their partitions' stores. */
  #load(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const byPartition = new Map<number, string[]>();
    for (const key of keys) {
      const p = this.#partition(key);
      let list = byPartition.get(p);
      if (list === undefined) byPartition.set(p, (list = []));
      list.push(key);
    }
    for (const [p, list] of byPartition) {
      const values = this.#stores[p]!.getMany(list);
      list.forEach((key, i) => {
        const value = values[i] as KeyState | undefined;
        this.#loaded.set(key, value === undefined ? 0 : value[1].length);
        if (value !== undefined) this.#b.groups.adopt(key, value);
      });
    }
  }

  async run(): Promise<ColumnBatch[]> {
    const b = this.#b;
    const groups = b.groups;
    groups.clear();
    try {
      const touched = new Map<string, number>();
      const changedSlots = new Set<number>();
      let dropped = 0;
      for (const input of await b.input()) {
        if (input.numRows > 0) dropped += b.consume(input, touched, changedSlots, (keys) => this.#load(keys));
      }
      const emitted: Emitted[] = [];
      const evicted: KeySession[] = [];
      const taken = new Set<string>();
      if (b.emitsAll) {
        this.#loadEverything();
        for (const [key, group] of groups.byKey) for (const session of group.sessions) emitted.push({ key, session });
      } else if (b.watermark > -Infinity) {
        for (const index of this.#indexes) for (const key of index.takeUpTo(b.watermark).keys) taken.add(key);
        this.#load([...taken].filter((k) => !groups.byKey.has(k)));
        for (const key of b.closeSessions(taken, b.emitsEvicted ? emitted : null, evicted)) touched.set(key, touched.get(key) ?? Infinity);
      }
      const output = b.output(emitted);
      const updateMs = performance.now() - b.started;
      const writeStarted = performance.now();
      this.#write(touched, taken);
      b.finish(this.#counts.reduce((a, c) => a + c, 0), changedSlots.size, evicted.length, dropped, updateMs, writeStarted);
      return output.numRows > 0 ? [output] : [];
    } finally {
      groups.clear();
    }
  }

  /** Complete mode: every stored key joins the batch's (the state is the answer). */
  #loadEverything(): void {
    for (const store of this.#stores) {
      for (const [key, value] of store.entries()) {
        if (isClosingIndexKey(key) || this.#b.groups.byKey.has(key as string)) continue;
        this.#loaded.set(key as string, (value as KeyState)[1].length);
        this.#b.groups.adopt(key as string, value as KeyState);
      }
    }
  }

  /** Puts back the keys the batch changed, indexes them as the index's rule asks, and stores the counts. */
  #write(touched: ReadonlyMap<string, number>, taken: ReadonlySet<string>): void {
    const groups = this.#b.groups;
    for (const [key, endBefore] of touched) {
      const p = this.#partition(key);
      const group = groups.byKey.get(key)!;
      const sessions = group.sessions.length;
      const delta = sessions - (this.#loaded.get(key) ?? 0);
      if (delta !== 0) { this.#counts[p]! += delta; this.#countChanged.add(p); }
      if (sessions === 0) { this.#stores[p]!.remove(key); continue; }
      this.#stores[p]!.put(key, groups.stateOf(group));
      const endNow = group.sessions[0]!.end;
      if (!taken.has(key) && endNow < endBefore) this.#indexes[p]!.add(key, granuleOf(endNow));
    }
    // Every key the watermark took lost its entries at or before it: index what is left of it.
    for (const key of taken) {
      const group = groups.byKey.get(key);
      if (group === undefined || group.sessions.length === 0) continue;
      const end = group.sessions[0]!.end;
      this.#indexes[this.#partition(key)]!.add(key, granuleOf(end) > this.#b.watermark ? granuleOf(end) : end);
    }
    for (const index of this.#indexes) index.finish();
    for (const p of this.#countChanged) this.#stores[p]!.put(SESSION_COUNT, this.#counts[p]!);
  }
}
