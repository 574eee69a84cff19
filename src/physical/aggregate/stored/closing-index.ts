import { StateError } from "../../../common/errors.ts";
import type { StateKey, StateStore } from "../../../state/state-store.ts";

/**
 * Store keys of the index. Group keys are keyString's JSON arrays ("[…"), so a key that
 * starts with "#" is never a group's.
 */
const CATALOG = "#closing";
const ENTRY = "#c";

/** The index's catalog: the next entry id, and per entry [id, closesAt, number of keys], flat. */
interface Catalog { next: number; entries: number[] }

/** Whether a store key belongs to the index rather than to a group. */
export function isClosingIndexKey(key: StateKey): boolean {
  return typeof key === "string" && key.charCodeAt(0) === 35; // "#"
}

/**
 * The groups of one state partition by the event time that closes them (a window's end, or
 * an event-time key's own value), kept in the partition's store beside the groups — so that
 * the watermark's evictions read only the groups it closes, and no per-group structure stays
 * in memory between batches.
 *
 * A group is indexed once, in the batch that creates it: each batch adds one entry record
 * per closing time (`#c<id>` → the state keys of its new groups closing then), and the
 * catalog (`#closing`) lists the entries with their times. Closing at a watermark reads
 * the catalog, takes every entry at or below it whole (an entry has one time), and removes
 * those records: the cost is the closed groups', not the state's. Chosen over a typed-array
 * index in memory (one slot per group) because that would keep memory growing with the
 * number of groups, which a disk-backed store is there to avoid; the stream–stream join
 * indexes its stored rows the same way (stream-join/stored-join-side.ts).
 */
export class ClosingIndex {
  readonly #store: StateStore;
  readonly #catalog: Catalog;
  readonly #hadCatalog: boolean;
  /** Whether the store holds the catalog (or will, once this version commits). */
  #catalogStored: boolean;
  #changed = false;
  /** This batch's new groups by closing time, written as entries by `finish`. */
  readonly #pending = new Map<number, string[]>();

  constructor(store: StateStore) {
    this.#store = store;
    const catalog = store.get(CATALOG) as Catalog | undefined;
    this.#hadCatalog = catalog !== undefined;
    this.#catalogStored = this.#hadCatalog;
    this.#catalog = catalog === undefined ? { next: 0, entries: [] } : { next: catalog.next, entries: [...catalog.entries] };
  }

  /**
   * Whether the store holds groups that are not indexed: state written before the index
   * existed (rivulet kept disk-backed aggregation state in memory then). `rebuild` indexes them.
   */
  get needsRebuild(): boolean {
    return !this.#hadCatalog && this.#store.numKeys > 0;
  }

  /** Indexes every group of the store once (see needsRebuild); `closesAt` gives a group's closing time from its key values. */
  rebuild(closesAt: (key: string, value: unknown) => number): void {
    const keys: string[] = [];
    const times: number[] = [];
    for (const [key, value] of this.#store.entries()) {
      if (isClosingIndexKey(key)) continue;
      if (typeof key !== "string") throw new StateError(`the aggregation state holds a key this rivulet does not write: ${String(key)}`);
      keys.push(key);
      times.push(closesAt(key, value));
    }
    for (let j = 0; j < keys.length; j++) this.add(keys[j]!, times[j]!);
    this.#changed = true;
  }

  /** A new group, closed when the watermark reaches `closesAt` (Infinity: never, not indexed). */
  add(key: string, closesAt: number): void {
    if (closesAt === Infinity) return;
    let keys = this.#pending.get(closesAt);
    if (keys === undefined) this.#pending.set(closesAt, (keys = []));
    keys.push(key);
  }

  /**
   * The keys of the groups closing at or below `watermark` (this batch's new ones included),
   * ordered by closing time, with those times; their entries leave the index.
   */
  takeUpTo(watermark: number): { keys: string[]; times: number[] } {
    const due: Array<{ time: number; id: number }> = [];
    const kept: number[] = [];
    const entries = this.#catalog.entries;
    for (let e = 0; e < entries.length; e += 3) {
      if (entries[e + 1]! <= watermark) due.push({ id: entries[e]!, time: entries[e + 1]! });
      else kept.push(entries[e]!, entries[e + 1]!, entries[e + 2]!);
    }
    const pending: Array<{ time: number; keys: string[] }> = [];
    for (const [time, keys] of this.#pending) if (time <= watermark) pending.push({ time, keys });
    const out = { keys: [] as string[], times: [] as number[] };
    if (due.length === 0 && pending.length === 0) return out;
    due.sort((a, b) => a.time - b.time || a.id - b.id);
    const records = this.#store.getMany(due.map((d) => ENTRY + d.id)) as Array<string[] | undefined>;
    // Stored entries (older groups) before this batch's, each in time order: merged by time.
    const lists: Array<{ time: number; keys: readonly string[] }> = due.map((d, i) => {
      const keys = records[i];
      if (keys === undefined) throw new StateError(`the aggregation's event-time index lacks its entry ${d.id}: the state is damaged`);
      return { time: d.time, keys };
    });
    pending.sort((a, b) => a.time - b.time);
    lists.push(...pending);
    lists.sort((a, b) => a.time - b.time); // stable: stored entries first at one time
    for (const { time, keys } of lists) {
      for (const key of keys) {
        out.keys.push(key);
        out.times.push(time);
      }
    }
    for (const d of due) this.#store.remove(ENTRY + d.id);
    for (const { time } of pending) this.#pending.delete(time);
    if (due.length > 0) {
      this.#catalog.entries = kept;
      this.#changed = true;
    }
    return out;
  }

  /** Index records in the store (after `finish`): the catalog and its entries. */
  get numRecords(): number {
    return (this.#catalogStored ? 1 : 0) + this.#catalog.entries.length / 3;
  }

  /** Writes this batch's entries and, if it changed, the catalog. */
  finish(): void {
    for (const [time, keys] of this.#pending) {
      const id = this.#catalog.next++;
      this.#store.put(ENTRY + id, keys);
      this.#catalog.entries.push(id, time, keys.length);
      this.#changed = true;
    }
    this.#pending.clear();
    if (this.#changed) {
      this.#store.put(CATALOG, { next: this.#catalog.next, entries: this.#catalog.entries });
      this.#catalogStored = true;
    }
    this.#changed = false;
  }
}
