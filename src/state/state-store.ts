/** State keys: a group key (and window) encoded by the operator as a string or number. */
export type StateKey = string | number;

/** Counts for progress reporting (Spark's StateStoreMetrics / StateOperatorProgress). */
export interface StateStoreMetrics {
  /** Keys in the store after this version's changes. */
  readonly numRowsTotal: number;
  /** Keys put in this version (each key counted once). */
  readonly numRowsUpdated: number;
  /** Keys removed in this version that existed before it. */
  readonly numRowsRemoved: number;
  readonly memoryUsedBytes?: number;
  /** Provider-specific counters for progress (Spark's StateStoreCustomMetric), e.g. rocksdbCommitWriteBatchLatency. */
  readonly customMetrics?: Readonly<Record<string, number>>;
}

/**
 * One version of one operator partition's state (Spark's StateStore): a key → value map
 * loaded at `version`, updated by a batch, then committed as `version + 1` or aborted.
 * Values are any structured-clone-able value (numbers, strings, bigint, arrays, typed
 * arrays, Maps, Sets, plain objects); `undefined` is not a value.
 *
 * Operators may mutate a value obtained by `get` and then `put` it: that is the update
 * path. A value mutated but not put back is not part of the committed version.
 */
export interface StateStore<V = unknown> {
  /** The version this store was loaded at; `commit()` makes `version + 1`. */
  readonly version: number;
  get(key: StateKey): V | undefined;
  /**
   * The values of many keys at once (undefined where absent), in order: an operator asks
   * once per batch, so that a store can look the keys up together. The disk store does
   * (run-engine.ts getMany); the file, memory and lmdb stores answer key by key (`getEach`).
   */
  getMany(keys: readonly StateKey[]): Array<V | undefined>;
  put(key: StateKey, value: V): void;
  /**
   * Puts values[i] for each keys[i] that has no value (in this version so far, earlier
   * positions of `keys` included) and returns 1 at the positions it put, 0 elsewhere:
   * dropDuplicates' lookup and insert in one pass. Optional; `putIfAbsentEach` does it
   * with getMany and put for stores without it.
   */
  putIfAbsent?(keys: readonly StateKey[], values: ArrayLike<V>): Uint8Array;
  /**
   * putIfAbsent of *UTF-8 keys*: a string keys[i] stands for the key utf8StateKey(keys[i]),
   * hashed over its UTF-8 bytes, whose utf8-hash.ts hashString the caller gives as hashes[i]
   * (the JSON decoder computed it: the store hashes and copies no string); a number stands
   * for itself. get, remove and entries name such a key by utf8StateKey. Optional: only a
   * store whose records carry their hashes (the disk store) has it.
   */
  putIfAbsentUtf8?(keys: readonly (string | number)[], hashes: Int32Array, values: ArrayLike<V>): Uint8Array;
  remove(key: StateKey): void;
  /**
   * remove of a key the caller knows held a value in the version loaded (committed before
   * it; this version may have put it since): the store need not look it up to keep numKeys,
   * so a cold key costs no read. Optional; `removeKnownKey` falls back to remove.
   */
  removeKnown?(key: StateKey): void;
  /** All current entries, in no particular order. Do not put or remove while iterating. */
  entries(): IterableIterator<[StateKey, V]>;
  readonly numKeys: number;
  /** Makes `version + 1` durable and returns it; the store accepts no more updates. */
  commit(): Promise<number>;
  /**
   * Optional: commit, returning once `version + 1` is applied (its provider's next load sees
   * it) but maybe before it is durable; the provider's `durable()` says when it is. For a
   * caller that waits for `durable()` before anything names the version (the executor, before
   * `commits/<id>`), so that the sink runs while the fsync is in flight. `commitApplied` falls
   * back to commit.
   */
  commitInMemory?(): Promise<number>;
  /** Discards this version's changes; the store accepts no more updates. */
  abort(): void;
  /** This version's counts (valid before and after commit). */
  metrics(): StateStoreMetrics;
}

/**
 * The first character of a UTF-8 key's string form (putIfAbsentUtf8): the key of string s
 * is UTF8_KEY_MARK + s, apart from every other string key (none starts with U+0001).
 */
export const UTF8_KEY_MARK = "\u0001";

export function utf8StateKey(s: string): string {
  return UTF8_KEY_MARK + s;
}

/** Makes stores for one operator partition (Spark's StateStoreProvider). */
export interface StateStoreProvider<V = unknown> {
  /** The state after version `version` (0: empty, before the first batch), ready to update. */
  load(version: number): Promise<StateStore<V>>;
  /** Optional: deletes checkpoint files not needed to load any version ≥ `minVersionToRetain`. */
  purge?(minVersionToRetain: number): Promise<void>;
  /**
   * Optional: resolves once every version committed so far (by `commitInMemory` too) is
   * durable; rejects with the failure if one cannot be. Without it, commit is durable.
   */
  durable?(): Promise<void>;
  close(): Promise<void>;
}

/** commitInMemory where the store has it, else commit: the version may not be durable until its provider's durable(). */
export function commitApplied(store: Pick<StateStore, "commit" | "commitInMemory">): Promise<number> {
  return store.commitInMemory !== undefined ? store.commitInMemory() : store.commit();
}

/** `getMany` answered key by key, for stores whose engine has no batched lookup. */
export function getEach<V>(store: Pick<StateStore<V>, "get">, keys: readonly StateKey[]): Array<V | undefined> {
  const out = new Array<V | undefined>(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = store.get(keys[i]!);
  return out;
}

/** removeKnown where the store has it, else remove. */
export function removeKnownKey(store: Pick<StateStore, "remove" | "removeKnown">, key: StateKey): void {
  if (store.removeKnown !== undefined) store.removeKnown(key);
  else store.remove(key);
}

/** putIfAbsent by getMany and put, for stores without a method of their own. */
export function putIfAbsentEach<V>(store: Pick<StateStore<V>, "getMany" | "put">, keys: readonly StateKey[], values: ArrayLike<V>): Uint8Array {
  const known = store.getMany(keys);
  const added = new Uint8Array(keys.length);
  const seen = new Set<StateKey>();
  for (let i = 0; i < keys.length; i++) {
    if (known[i] !== undefined || seen.has(keys[i]!)) continue;
    seen.add(keys[i]!);
    store.put(keys[i]!, values[i]!);
    added[i] = 1;
  }
  return added;
}
