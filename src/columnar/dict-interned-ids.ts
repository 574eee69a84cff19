/**
 * Per dictionary (a StrVec's `dict`), the interner id of each entry, where the vector's
 * producer got its strings from a decoder's byte interner (vec-builder.ts, appendInterned):
 * a consumer that codes strings itself (a group table's key column) then maps an id it has
 * seen before to its own code by index, without hashing the string again.
 */
export interface DictInternedIds {
  /**
   * The numbering the ids belong to: ByteInterner.generation, unique within a thread (a
   * new interner, or one cleared, starts a new one), so equal generations mean equal ids
   * name equal strings.
   */
  readonly generation: number;
  /** Per dictionary entry its id, or -1 where the entry did not come from the interner. */
  readonly ids: Int32Array;
}

const byDict = new WeakMap<readonly string[], DictInternedIds>();

/** Records the interner ids of `dict`'s entries (`ids[c]` for entry c, -1 for none). */
export function setDictInternedIds(dict: readonly string[], generation: number, ids: Int32Array): void {
  byDict.set(dict, { generation, ids });
}

/** The interner ids of `dict`'s entries, if its producer recorded them; else undefined. */
export function dictInternedIdsOf(dict: readonly string[]): DictInternedIds | undefined {
  const known = byDict.get(dict);
  return known !== undefined && known.ids.length >= dict.length ? known : undefined;
}
