import { dictInternedIdsOf } from "../../columnar/dict-interned-ids.ts";
import type { StrVec } from "../../columnar/vector.ts";
import { FRESH, ScratchArrays } from "../scratch-arrays.ts";
import type { KeyDictionary } from "./key-dictionary.ts";

/**
 * A batch's rows of a string key grouped by the column's own codes (key-dictionary.ts): a
 * dictionary that repeats a string gives it one id without a map built per batch, and what
 * each of the vector's codes became is kept for encoding the local groups' keys after.
 */
export class StringLocalIds {
  /** The last vector grouped: its dictionary and each of its codes' own code (−1 if unused). */
  #codesOf: { dict: readonly string[]; mine: Int32Array } | null = null;
  /** Dense ids by own code, valid where #stamp holds the call's epoch (reused across batches). */
  #dense = new Int32Array(16);
  #stamp = new Uint32Array(16);
  #epoch = 0;
  /**
   * Own code + 1 (0: not seen) per id of the byte interner whose strings the vectors carry
   * (dict-interned-ids.ts), for its generation #internedGeneration: a string seen before
   * costs one index, not a hash lookup of the string (with many distinct strings, each
   * such lookup is a few cache misses).
   */
  #codeOfInterned = new Int32Array(0);
  #internedGeneration = -1;
  /** The ids' arrays when they are transient. */
  readonly #scratch = new ScratchArrays();

  constructor(readonly dictionary: KeyDictionary) {}

  /**
   * Local group ids of `n` rows of `vec` (row i at `rows[i]`, or i): 0 for null, then 1, 2, …
   * in order of first occurrence. Interns the rows' strings (each group they form will hold
   * them). `transient`: the ids are needed only until the next call (scratch arrays, reused).
   */
  of(vec: StrVec, n: number, rows: Int32Array | null, transient: boolean): { ids: Int32Array; cardinality: number } {
    const dict = vec.dict, codes = vec.codes, valid = vec.valid;
    const scratch = transient ? this.#scratch : FRESH;
    const mine = new Int32Array(dict.length).fill(-1);
    const local = scratch.int32("localIds.local", dict.length, true); // local id per dict code, 0 until seen
    if (++this.#epoch === 0xffffffff) { this.#stamp.fill(0); this.#epoch = 1; }
    const epoch = this.#epoch;
    const ids = scratch.int32("localIds.ids", n);
    const interned = dictInternedIdsOf(dict);
    if (interned !== undefined && interned.generation !== this.#internedGeneration) {
      this.#codeOfInterned = new Int32Array(Math.max(256, dict.length));
      this.#internedGeneration = interned.generation;
    }
    let next = 1;
    for (let i = 0; i < n; i++) {
      const r = rows === null ? i : rows[i]!;
      if (valid !== null && valid[r] === 0) { ids[i] = 0; continue; }
      const c = codes[r]!;
      let d = local[c]!;
      if (d === 0) {
        const g = interned === undefined ? this.dictionary.internString(dict[c]!) : this.#internInterned(dict, c, interned.ids[c]!);
        mine[c] = g;
        if (g >= this.#stamp.length) this.#growDense(g + 1);
        if (this.#stamp[g] !== epoch) { this.#stamp[g] = epoch; this.#dense[g] = next++; }
        d = this.#dense[g]!;
        local[c] = d;
      }
      ids[i] = d;
    }
    this.#codesOf = { dict, mine };
    return { ids, cardinality: next };
  }

  /**
   * The own code of each of `dict`'s codes (−1: not interned yet) when `dict` is the last
   * vector's, else a fresh array of −1; either way the caller's from now on.
   */
  takeCodes(dict: readonly string[]): Int32Array {
    const kept = this.#codesOf;
    this.#codesOf = null;
    return kept?.dict === dict ? kept.mine : new Int32Array(dict.length).fill(-1);
  }

  /** The dictionary's codes changed: nothing kept holds. */
  forget(): void {
    this.#codesOf = null;
    this.#internedGeneration = -1;
  }

  /** The code of dict[c], whose interner id (in #internedGeneration) is `id`, or -1 for none. */
  #internInterned(dict: readonly string[], c: number, id: number): number {
    if (id < 0) return this.dictionary.internString(dict[c]!);
    let map = this.#codeOfInterned;
    if (id >= map.length) {
      const grown = new Int32Array(Math.max(map.length * 2, id + 1));
      grown.set(map);
      map = this.#codeOfInterned = grown;
    }
    let g = map[id]! - 1;
    if (g < 0) {
      g = this.dictionary.internString(dict[c]!);
      map[id] = g + 1;
    }
    return g;
  }

  #growDense(n: number): void {
    const cap = Math.max(n, this.#stamp.length * 2);
    const stamp = new Uint32Array(cap);
    stamp.set(this.#stamp);
    this.#stamp = stamp;
    const dense = new Int32Array(cap);
    dense.set(this.#dense);
    this.#dense = dense;
  }
}
