import { dictInternedIdsOf } from "../../columnar/dict-interned-ids.ts";
import { keyString } from "../../columnar/key-string.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type StrVec, type Vec } from "../../columnar/vector.ts";
import { FRESH, ScratchArrays } from "../scratch-arrays.ts";
import type { DataType } from "../../types/data-types.ts";
import { ListCodes } from "./list-codes.ts";

/**
 * A grouping key's value as fixed-width words: a tag and a float64. Strings are codes into
 * the column's own dictionary (filled as groups arrive, so a batch's dictionary codes map
 * to them once per distinct code, not per row); numbers are their value with -0.0 made 0
 * and every NaN one tag, as Spark's NormalizeFloatingNumbers makes them; booleans 0/1; any
 * other value (structs, arrays, maps, binary, longs beyond ±2^53) a code into the column's
 * table of such values, keyed by keyString.
 */
export const TAG_NULL = 0;
export const TAG_VALUE = 1;
export const TAG_OTHER = 2;
export const TAG_NAN = 3;

type Shape = "str" | "num" | "bool" | "other";

function shapeOf(type: DataType): Shape {
  switch (type.kind) {
    case "string": return "str";
    case "int": case "long": case "double": case "timestamp": case "date": return "num";
    case "boolean": return "bool";
    default: return "other";
  }
}

/** Encoded keys of some rows (one entry per row), column by column: the table's probe input. */
export interface EncodedKeys {
  readonly tags: Uint8Array[];
  readonly words: Float64Array[];
}

/** A key column of some groups as it travels between threads: words with the strings and values they code for. */
export interface KeyColumnData {
  readonly tags: Uint8Array;
  readonly words: Float64Array;
  readonly strings: readonly string[];
  readonly others: readonly unknown[];
}

/** One grouping column of a group table: the encoded key of every slot, and what decodes it. */
export class KeyColumn {
  readonly shape: Shape;
  tags = new Uint8Array(16);
  words = new Float64Array(16);
  /** Strings (shape "str") by code. */
  strings: string[] = [];
  #stringCode = new Map<string, number>();
  /** Estimated bytes of `strings`, kept as they are added (metrics read it every batch). */
  #stringBytes = 0;
  /** Other values (TAG_OTHER) by code, and their codes by keyString. */
  others: unknown[] = [];
  #otherCode = new Map<string, number>();

  /** The last vector localIds saw: its dictionary and each of its codes' own code (−1 if unused), for encodeRows. */
  #codesOf: { dict: readonly string[]; mine: Int32Array } | null = null;
  /** localIds' dense ids by own code, valid where #stamp holds the call's epoch (reused across batches). */
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
  /** localIds' arrays when its ids are transient. */
  readonly #scratch = new ScratchArrays();
  /** What other tables' string lists' codes became here (importWords). */
  readonly #listCodes = new ListCodes();

  constructor(readonly type: DataType) {
    this.shape = shapeOf(type);
  }

  /**
   * Local group ids of `n` rows of a string vector (row i at `rows[i]`, or i): 0 for null,
   * then 1, 2, … in order of first occurrence, by way of this column's own codes — so that a
   * dictionary repeating a string gives it one id without a map built per batch. Interns the
   * rows' strings (each group they form will hold them) and keeps the codes for encodeRows.
   * `transient`: the ids are needed only until the next call (they are then this column's
   * scratch arrays, reused).
   */
  localIds(vec: StrVec, n: number, rows: Int32Array | null, transient = false): { ids: Int32Array; cardinality: number } {
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
        const g = interned === undefined ? this.#internString(dict[c]!) : this.#internInterned(dict, c, interned.ids[c]!);
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

  /** The code of dict[c], whose interner id (in #internedGeneration) is `id`, or -1 for none. */
  #internInterned(dict: readonly string[], c: number, id: number): number {
    if (id < 0) return this.#internString(dict[c]!);
    let map = this.#codeOfInterned;
    if (id >= map.length) {
      const grown = new Int32Array(Math.max(map.length * 2, id + 1));
      grown.set(map);
      map = this.#codeOfInterned = grown;
    }
    let g = map[id]! - 1;
    if (g < 0) {
      g = this.#internString(dict[c]!);
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

  #internString(s: string): number {
    let c = this.#stringCode.get(s);
    if (c === undefined) {
      c = this.strings.length;
      this.strings.push(s);
      this.#stringBytes += 40 + 2 * s.length;
      this.#stringCode.set(s, c);
    }
    return c;
  }

  #internOther(v: unknown): number {
    const k = keyString([v instanceof Map ? [...v] : v]);
    let c = this.#otherCode.get(k);
    if (c === undefined) {
      c = this.others.length;
      this.others.push(v);
      this.#otherCode.set(k, c);
    }
    return c;
  }

  /**
   * Encodes row `at[j]` of `vec` into tags[j], words[j] for j < m: the key of each of a
   * batch's local groups, read at one of its rows.
   */
  encodeRows(vec: Vec, at: Int32Array, m: number, tags: Uint8Array, words: Float64Array): void {
    const valid = vec.valid;
    if (this.shape === "str" && vec.kind === "str") {
      const codes = vec.codes, dict = vec.dict;
      const mine = this.#codesOf?.dict === dict ? this.#codesOf.mine : new Int32Array(dict.length).fill(-1);
      this.#codesOf = null;
      for (let j = 0; j < m; j++) {
        const r = at[j]!;
        if (valid !== null && valid[r] === 0) { tags[j] = TAG_NULL; words[j] = 0; continue; }
        const c = codes[r]!;
        let g = mine[c]!;
        if (g < 0) { g = this.#internString(dict[c]!); mine[c] = g; }
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
    if (this.shape === "str" && typeof v === "string") { tags[j] = TAG_VALUE; words[j] = this.#internString(v); return; }
    if (this.shape === "num" && typeof v === "number") {
      if (v !== v) { tags[j] = TAG_NAN; return; }
      tags[j] = TAG_VALUE;
      words[j] = v === 0 ? 0 : v;
      return;
    }
    if (this.shape === "bool" && typeof v === "boolean") { tags[j] = TAG_VALUE; words[j] = v ? 1 : 0; return; }
    tags[j] = TAG_OTHER;
    words[j] = this.#internOther(v);
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
        if (g < 0) { g = this.#internString(data.strings[w]!); mine[w] = g + 1; }
        words[j] = g;
      } else if (t === TAG_OTHER) words[j] = this.#internOther(data.others[w]);
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
    const words = this.words;
    if (partOfAll || count * 4 >= this.strings.length) {
      for (let i = 0; i < count; i++) codes[i] = words[slots[i]!]!;
      return { kind: "str", type: this.type, length: count, codes, dict: this.#frozenStrings(), valid };
    }
    const dict: string[] = [];
    const codeOf = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const w = words[slots[i]!]!;
      let c = codeOf.get(w);
      if (c === undefined) { c = dict.length; dict.push(this.strings[w]!); codeOf.set(w, c); }
      codes[i] = c;
    }
    return { kind: "str", type: this.type, length: count, codes, dict, valid };
  }

  /**
   * The strings so far as a frozen list (made again only when strings were added): an
   * output's dictionary that nobody changes later, so that a sink may keep it without a copy
   * and many outputs of one batch share one.
   */
  #frozenStrings(): readonly string[] {
    const strings = this.strings;
    let frozen = this.#frozen;
    if (frozen === null || frozen.source !== strings || frozen.list.length !== strings.length) {
      frozen = { source: strings, list: Object.freeze(strings.slice()) };
      this.#frozen = frozen;
    }
    return frozen.list;
  }

  #frozen: { source: string[]; list: readonly string[] } | null = null;

  /** Bytes held by the dictionaries (an estimate for metrics). */
  dictionaryBytes(): number {
    return this.#stringBytes + this.others.length * 64;
  }

  /** Whether compact() would shrink the dictionaries, with `count` groups live (checked before listing them). */
  wouldCompact(count: number): boolean {
    const entries = this.strings.length + this.others.length;
    return entries >= 1024 && entries >= 2 * count;
  }

  /**
   * Rebuilds the dictionaries from the values `live` slots use, when groups have left (the
   * watermark evicted them) so that most entries are garbage. Changes words: the table must
   * rehash after it. Returns whether anything changed.
   */
  compact(live: Int32Array, count: number): boolean {
    if (!this.wouldCompact(count)) return false;
    this.#codesOf = null;
    this.#internedGeneration = -1; // codes change
    this.#listCodes.forget();
    const strings: string[] = [], others: unknown[] = [];
    const stringCode = new Map<string, number>(), otherCode = new Map<string, number>();
    const newString = new Int32Array(this.strings.length).fill(-1);
    const newOther = new Int32Array(this.others.length).fill(-1);
    for (let i = 0; i < count; i++) {
      const s = live[i]!;
      const t = this.tags[s]!, w = this.words[s]!;
      if (t === TAG_VALUE && this.shape === "str") {
        if (newString[w]! < 0) { newString[w] = strings.length; stringCode.set(this.strings[w]!, strings.length); strings.push(this.strings[w]!); }
        this.words[s] = newString[w]!;
      } else if (t === TAG_OTHER) {
        if (newOther[w]! < 0) { newOther[w] = others.length; otherCode.set(keyString([this.others[w] instanceof Map ? [...(this.others[w] as Map<unknown, unknown>)] : this.others[w]]), others.length); others.push(this.others[w]); }
        this.words[s] = newOther[w]!;
      }
    }
    this.strings = strings;
    this.#stringBytes = strings.reduce((n, x) => n + 40 + 2 * x.length, 0);
    this.#stringCode = stringCode;
    this.others = others;
    this.#otherCode = otherCode;
    return true;
  }
}
