import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type StrVec, type Vec } from "../../columnar/vector.ts";
import type { DataType } from "../../types/data-types.ts";
import { KeyDictionary } from "./key-dictionary.ts";
import { keyShapeOf, TAG_NAN, TAG_NULL, TAG_OTHER, TAG_VALUE, type KeyColumnData, type KeyShape } from "./key-encoding.ts";
import { ListCodes } from "./list-codes.ts";
import { StringLocalIds } from "./string-local-ids.ts";

export { TAG_NAN, TAG_NULL, TAG_OTHER, TAG_VALUE, type EncodedKeys, type KeyColumnData } from "./key-encoding.ts";

/** One grouping column of a group table: the encoded key of every slot (key-encoding.ts), and what decodes it. */
export class KeyColumn {
  readonly shape: KeyShape;
  tags = new Uint8Array(16);
  words = new Float64Array(16);
  readonly dictionary = new KeyDictionary();
  readonly #localIds = new StringLocalIds(this.dictionary);
  /** What other tables' string lists' codes became here (importWords). */
  readonly #listCodes = new ListCodes();

  constructor(readonly type: DataType) {
    this.shape = keyShapeOf(type);
  }

  /** Strings (shape "str") by code. */
  get strings(): readonly string[] {
    return this.dictionary.strings;
  }

  /** Other values (TAG_OTHER) by code. */
  get others(): readonly unknown[] {
    return this.dictionary.others;
  }

  /**
   * Local group ids of `n` rows of a string vector (row i at `rows[i]`, or i): 0 for null,
   * then 1, 2, … in order of first occurrence, by way of this column's own codes
   * (string-local-ids.ts), kept for encodeRows. `transient`: the ids are needed only until the
   * next call (they are then this column's scratch arrays, reused).
   */
  localIds(vec: StrVec, n: number, rows: Int32Array | null, transient = false): { ids: Int32Array; cardinality: number } {
    return this.#localIds.of(vec, n, rows, transient);
  }

  resize(n: number): void {
    if (this.tags.length >= n) return;
    const cap = Math.max(n, this.tags.length * 2);
    const tags = new Uint8Array(cap);
    tags.set(this.tags);
    const words = new Float64Array(cap);
    words.set(this.words);
    this.tags = tags;
    this.words = words;
  }

  /**
   * Encodes row `at[j]` of `vec` into tags[j], words[j] for j < m: the key of each of a
   * batch's local groups, read at one of its rows.
   */
  encodeRows(vec: Vec, at: Int32Array, m: number, tags: Uint8Array, words: Float64Array): void {
    const valid = vec.valid;
    if (this.shape === "str" && vec.kind === "str") {
      const codes = vec.codes, dict = vec.dict;
      const mine = this.#localIds.takeCodes(dict);
      for (let j = 0; j < m; j++) {
        const r = at[j]!;
        if (valid !== null && valid[r] === 0) { tags[j] = TAG_NULL; words[j] = 0; continue; }
        const c = codes[r]!;
        let g = mine[c]!;
        if (g < 0) { g = this.dictionary.internString(dict[c]!); mine[c] = g; }
        tags[j] = TAG_VALUE;
        words[j] = g;
      }
      return;
    }
    if (this.shape === "num" && vec.kind === "num" && vec.exact === undefined) {
      const values = vec.values;
      for (let j = 0; j < m; j++) {
        const r = at[j]!;
        if (valid !== null && valid[r] === 0) { tags[j] = TAG_NULL; words[j] = 0; continue; }
        const x = values[r]!;
        if (x !== x) { tags[j] = TAG_NAN; words[j] = 0; continue; }
        tags[j] = TAG_VALUE;
        words[j] = x === 0 ? 0 : x;
      }
      return;
    }
    if (this.shape === "bool" && vec.kind === "bool") {
      const values = vec.values;
      for (let j = 0; j < m; j++) {
        const r = at[j]!;
        if (valid !== null && valid[r] === 0) { tags[j] = TAG_NULL; words[j] = 0; continue; }
        tags[j] = TAG_VALUE;
        words[j] = values[r]!;
      }
      return;
    }
    for (let j = 0; j < m; j++) this.encodeValue(valueAt(vec, at[j]!), tags, words, j);
  }

  /** Encodes one value (as valueAt gives it, or as the state keeps it) into tags[j], words[j]. */
  encodeValue(v: unknown, tags: Uint8Array, words: Float64Array, j: number): void {
    words[j] = 0;
    if (v === null || v === undefined) { tags[j] = TAG_NULL; return; }
    if (this.shape === "str" && typeof v === "string") { tags[j] = TAG_VALUE; words[j] = this.dictionary.internString(v); return; }
    if (this.shape === "num" && typeof v === "number") {
      if (v !== v) { tags[j] = TAG_NAN; return; }
      tags[j] = TAG_VALUE;
      words[j] = v === 0 ? 0 : v;
      return;
    }
    if (this.shape === "bool" && typeof v === "boolean") { tags[j] = TAG_VALUE; words[j] = v ? 1 : 0; return; }
    tags[j] = TAG_OTHER;
    words[j] = this.dictionary.internOther(v);
  }

  /** Slots [0, count) as data for another table (a partial aggregation's groups). */
  exportData(count: number): KeyColumnData {
    return { tags: this.tags.slice(0, count), words: this.words.slice(0, count), strings: this.strings, others: this.others };
  }

  /**
   * Words of this column for another table's exported keys: its codes become this column's.
   * A string list seen before (a worker's dictionary as this thread keeps it, which only
   * grows: partial-key-strings.ts) keeps what its codes became here, so each of its strings
   * is looked up by hash once per list, not once per file that uses it: with a group per row
   * that lookup of every file's strings cost this thread more than the rest of the merge.
   */
  importWords(data: KeyColumnData, m: number, words: Float64Array): void {
    const tags = data.tags, src = data.words;
    const mine = this.shape === "str" ? this.#listCodes.of(data.strings) : null;
    for (let j = 0; j < m; j++) {
      const t = tags[j]!, w = src[j]!;
      if (t === TAG_VALUE && mine !== null) {
        let g = mine[w]! - 1;
        if (g < 0) { g = this.dictionary.internString(data.strings[w]!); mine[w] = g + 1; }
        words[j] = g;
      } else if (t === TAG_OTHER) words[j] = this.dictionary.internOther(data.others[w]);
      else words[j] = w;
    }
  }

  set(slot: number, tag: number, word: number): void {
    this.tags[slot] = tag;
    this.words[slot] = word;
  }

  /** The key value of a slot, as valueAt gives it (-0.0 as 0, every NaN as NaN). */
  valueOf(slot: number): unknown {
    const w = this.words[slot]!;
    switch (this.tags[slot]) {
      case TAG_NULL: return null;
      case TAG_NAN: return Number.NaN;
      case TAG_OTHER: return this.others[w];
      default: return this.shape === "str" ? this.strings[w]! : this.shape === "bool" ? w === 1 : w;
    }
  }

  /**
   * The key values of `slots` as a vector of the column's type. `partOfAll`: the slots are a
   * chunk of an output of every group, so strings always take the column's own dictionary
   * (one frozen list that every chunk of the output shares).
   */
  output(slots: Int32Array, count: number, partOfAll = false): Vec {
    const tags = this.tags, words = this.words;
    let nulls = false, others = false;
    for (let i = 0; i < count; i++) {
      const t = tags[slots[i]!]!;
      if (t === TAG_NULL) nulls = true;
      else if (t === TAG_OTHER) others = true;
    }
    if (!others && (this.shape === "str" || this.shape === "num")) {
      const valid = nulls ? new Uint8Array(count) : null;
      if (valid !== null) for (let i = 0; i < count; i++) valid[i] = tags[slots[i]!] === TAG_NULL ? 0 : 1;
      if (this.shape === "num") {
        const values = new Float64Array(count);
        for (let i = 0; i < count; i++) { const s = slots[i]!; values[i] = tags[s] === TAG_NAN ? Number.NaN : words[s]!; }
        return { kind: "num", type: this.type, length: count, values, valid };
      }
      return this.#outputStrings(slots, count, valid, partOfAll);
    }
    const b = new VecBuilder(this.type, count);
    for (let i = 0; i < count; i++) b.append(this.valueOf(slots[i]!));
    return b.finish();
  }

  /**
   * Strings as codes into a dictionary: the column's own when the rows use a good part of
   * it, else one of only the strings used (so that a small update does not carry the
   * dictionary of every group ever seen).
   */
  #outputStrings(slots: Int32Array, count: number, valid: Uint8Array | null, partOfAll: boolean): Vec {
    const codes = new Int32Array(count);
    const words = this.words, strings = this.strings;
    if (partOfAll || count * 4 >= strings.length) {
      for (let i = 0; i < count; i++) codes[i] = words[slots[i]!]!;
      return { kind: "str", type: this.type, length: count, codes, dict: this.dictionary.frozenStrings(), valid };
    }
    const dict: string[] = [];
    const codeOf = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const w = words[slots[i]!]!;
      let c = codeOf.get(w);
      if (c === undefined) { c = dict.length; dict.push(strings[w]!); codeOf.set(w, c); }
      codes[i] = c;
    }
    return { kind: "str", type: this.type, length: count, codes, dict, valid };
  }

  /** Bytes held by the dictionaries (an estimate for metrics). */
  dictionaryBytes(): number {
    return this.dictionary.bytes();
  }

  /** Whether compact() would shrink the dictionaries, with `count` groups live (checked before listing them). */
  wouldCompact(count: number): boolean {
    return this.dictionary.wouldCompact(count);
  }

  /**
   * Rebuilds the dictionaries from the values `live` slots use, when groups have left (the
   * watermark evicted them) so that most entries are garbage. Changes words: the table must
   * rehash after it. Returns whether anything changed.
   */
  compact(live: Int32Array, count: number): boolean {
    if (!this.wouldCompact(count)) return false;
    this.#localIds.forget();
    this.#listCodes.forget();
    this.dictionary.compact(this.tags, this.words, live, count, this.shape === "str");
    return true;
  }
}
