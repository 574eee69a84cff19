import { InternalError } from "../common/errors.ts";
import type { StateKey, StateStoreMetrics } from "./state-store.ts";

/** Marks a key removed in a version's changes. */
export const REMOVED: unique symbol = Symbol("removed");
export type Removed = typeof REMOVED;

/** One version's changes: the new value of each put key, REMOVED for each removed key. */
export type StateChanges<V> = ReadonlyMap<StateKey, V | Removed>;

/** Where the previous version's state is, as the overlay needs to see it. */
export interface StateBase<V> {
  has(key: StateKey): boolean;
  entries(): Iterable<[StateKey, V]>;
}

/**
 * What a provider does when a store over a change overlay (disk, lmdb) is committed or
 * aborted: commit makes `newVersion` durable with the version's `changes` and returns the
 * store's custom metrics; abort drops what the version left in the engine.
 */
export interface OverlayStoreHooks<V> {
  commit(newVersion: number, changes: StateChanges<V>, numKeys: number): Promise<Record<string, number>>;
  abort(): void;
}

/**
 * One version's puts and removes kept aside from the previous version's state (its base)
 * until commit, with the version's lifecycle (updating → committing → committed, or
 * aborted) and its key count. The in-memory and the disk-backed stores differ only in
 * their base; this is the part they share.
 */
export class ChangeOverlay<V> {
  readonly #changes = new Map<StateKey, V | Removed>();
  #phase: "updating" | "committing" | "committed" | "aborted" = "updating";
  #numKeys: number;

  /** `what` names the store in errors, e.g. "state store state/0/0". */
  constructor(readonly version: number, readonly baseNumKeys: number, readonly what: string) {
    this.#numKeys = baseNumKeys;
  }

  get changes(): StateChanges<V> {
    return this.#changes;
  }

  get numKeys(): number {
    return this.#numKeys;
  }

  /** The key's change in this version: its new value, REMOVED, or undefined when unchanged. */
  change(key: StateKey): V | Removed | undefined {
    return this.#changes.get(key);
  }

  put(key: StateKey, value: V, base: StateBase<V>): void {
    this.#checkUpdating("put");
    if (value === undefined) throw new InternalError(`${this.what}: cannot put undefined for key ${String(key)}; use remove`);
    if (typeof key !== "string" && typeof key !== "number") {
      throw new InternalError(`${this.what}: keys must be strings or numbers, not ${typeof key}`);
    }
    if (!this.#has(key, base)) this.#numKeys++;
    this.#changes.set(key, value);
  }

  remove(key: StateKey, base: StateBase<V>): void {
    this.#checkUpdating("remove");
    const change = this.#changes.get(key);
    if (change === REMOVED) return;
    const inBase = base.has(key);
    if (change === undefined && !inBase) return;
    this.#numKeys--;
    // A key put and removed within this version that did not exist before is no change at all.
    if (inBase) this.#changes.set(key, REMOVED);
    else this.#changes.delete(key);
  }

  /**
   * `count` keys that were absent were added beside this overlay (the disk store's
   * putIfAbsent keeps them in a table of its own): the key count follows.
   */
  addedBeside(count: number): void {
    this.#checkUpdating("put");
    this.#numKeys += count;
  }

  /** Throws unless the version still accepts updates. */
  checkUpdating(operation: string): void {
    this.#checkUpdating(operation);
  }

  /** The version's entries: the base's unchanged ones, then the changed ones. */
  *entries(base: StateBase<V>): IterableIterator<[StateKey, V]> {
    const changes = this.#changes;
    for (const entry of base.entries()) {
      if (!changes.has(entry[0])) yield entry;
    }
    for (const [key, change] of changes) {
      if (change !== REMOVED) yield [key, change];
    }
  }

  /** The row counts of the version so far. */
  counts(): StateStoreMetrics {
    let numRowsUpdated = 0;
    let numRowsRemoved = 0;
    for (const change of this.#changes.values()) {
      if (change === REMOVED) numRowsRemoved++;
      else numRowsUpdated++;
    }
    return { numRowsTotal: this.#numKeys, numRowsUpdated, numRowsRemoved };
  }

  /** Moves to `committing`; only an updating version may commit. */
  beginCommit(): void {
    this.#checkUpdating("commit");
    this.#phase = "committing";
  }

  /** The commit succeeded: the changes now are the base's. */
  committed(): void {
    this.#changes.clear();
    this.#phase = "committed";
  }

  /**
   * Discards the changes (abort, or a commit that failed); false when the version had
   * already ended. The counts of an aborted version are the base's.
   */
  discard(): boolean {
    if (this.#phase === "committed" || this.#phase === "aborted") return false;
    this.#phase = "aborted";
    this.#changes.clear();
    this.#numKeys = this.baseNumKeys;
    return true;
  }

  /** abort() is refused while a commit is under way. */
  checkAbortable(): void {
    if (this.#phase === "committing") throw new InternalError(`${this.what}: cannot abort version ${this.version + 1} while it is being committed`);
  }

  #has(key: StateKey, base: StateBase<V>): boolean {
    const change = this.#changes.get(key);
    return change !== undefined ? change !== REMOVED : base.has(key);
  }

  #checkUpdating(operation: string): void {
    if (this.#phase !== "updating") {
      throw new InternalError(`${this.what}: cannot ${operation} version ${this.version + 1} after it was ${this.#phase === "committing" ? "submitted for commit" : this.#phase}`);
    }
  }
}
