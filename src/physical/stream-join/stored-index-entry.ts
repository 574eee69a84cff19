import type { StateKey } from "../../state/state-store.ts";

/**
 * An index entry (stored-join-side.ts): the store keys of the rows one batch buffered and their eviction times,
 * ordered by time; as stored, the keys are a Float64Array when all are numbers (a single
 * integral join key), else a JSON array, so that the entry is a few arrays, not a value per row.
 * `sole[j]` (layout 5, absent when none) is 1 when row j was its record's only row when
 * written: a key new in its batch, with one row; `from` (absent: 0) is the position row 0
 * had when the entry was made (a compacted entry drops its passed rows), which the rows'
 * matched-flag locators name.
 */
export interface IndexEntry { keys: ArrayLike<StateKey>; times: Float64Array; sole?: Uint8Array | undefined; from?: number | undefined }
export interface StoredIndexEntry { keys: Float64Array | string; times: Float64Array; sole?: Uint8Array; from?: number }

export function storedEntry(keys: StateKey[], times: Float64Array, sole: Uint8Array | undefined, from = 0): StoredIndexEntry {
  const withSole = (e: StoredIndexEntry): StoredIndexEntry => (sole !== undefined && sole.includes(1) ? { ...e, sole, ...(from > 0 ? { from } : {}) } : e);
  const numbers = new Float64Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!;
    if (typeof k !== "number") return withSole({ keys: JSON.stringify(keys), times });
    numbers[j] = k;
  }
  return withSole({ keys: numbers, times });
}
export const loadedEntry = (e: StoredIndexEntry): IndexEntry =>
  ({ keys: typeof e.keys === "string" ? JSON.parse(e.keys) as StateKey[] : e.keys, times: e.times, sole: e.sole, from: e.from });
