import { keyString } from "../../columnar/key-string.ts";
import { TAG_OTHER, TAG_VALUE } from "./key-encoding.ts";

function otherKey(v: unknown): string {
  return keyString([v instanceof Map ? [...v] : v]);
}

/**
 * What a key column's words code for: its strings and its other values (TAG_OTHER), each
 * numbered in order of first arrival, so that a group's key is fixed-width words and equal
 * values have equal codes.
 */
export class KeyDictionary {
  /** Strings by code. */
  strings: string[] = [];
  #stringCode = new Map<string, number>();
  /** Estimated bytes of `strings`, kept as they are added (metrics read it every batch). */
  #stringBytes = 0;
  /** Other values by code, and their codes by keyString. */
  others: unknown[] = [];
  #otherCode = new Map<string, number>();
  #frozen: { source: string[]; list: readonly string[] } | null = null;

  internString(s: string): number {
    let c = this.#stringCode.get(s);
    if (c === undefined) {
      c = this.strings.length;
      this.strings.push(s);
      this.#stringBytes += 40 + 2 * s.length;
      this.#stringCode.set(s, c);
    }
    return c;
  }

  internOther(v: unknown): number {
    const k = otherKey(v);
    let c = this.#otherCode.get(k);
    if (c === undefined) {
      c = this.others.length;
      this.others.push(v);
      this.#otherCode.set(k, c);
    }
    return c;
  }

  /**
   * The strings so far as a frozen list (made again only when strings were added): an
   * output's dictionary that nobody changes later, so that a sink may keep it without a copy
   * and many outputs of one batch share one.
   */
  frozenStrings(): readonly string[] {
    const strings = this.strings;
    let frozen = this.#frozen;
    if (frozen === null || frozen.source !== strings || frozen.list.length !== strings.length) {
      frozen = { source: strings, list: Object.freeze(strings.slice()) };
      this.#frozen = frozen;
    }
    return frozen.list;
  }

  /** Bytes held (an estimate for metrics). */
  bytes(): number {
    return this.#stringBytes + this.others.length * 64;
  }

  /** Whether compact() would shrink the dictionary, with `count` groups live. */
  wouldCompact(count: number): boolean {
    const entries = this.strings.length + this.others.length;
    return entries >= 1024 && entries >= 2 * count;
  }

  /**
   * Keeps only the entries that `live` slots' words use, renumbered in order of first use;
   * rewrites those slots' words. `strings`: whether TAG_VALUE words are string codes.
   */
  compact(tags: Uint8Array, words: Float64Array, live: Int32Array, count: number, strings: boolean): void {
    const keptStrings: string[] = [], keptOthers: unknown[] = [];
    const stringCode = new Map<string, number>(), otherCode = new Map<string, number>();
    const newString = new Int32Array(this.strings.length).fill(-1);
    const newOther = new Int32Array(this.others.length).fill(-1);
    for (let i = 0; i < count; i++) {
      const s = live[i]!;
      const t = tags[s]!, w = words[s]!;
      if (t === TAG_VALUE && strings) {
        if (newString[w]! < 0) { newString[w] = keptStrings.length; stringCode.set(this.strings[w]!, keptStrings.length); keptStrings.push(this.strings[w]!); }
        words[s] = newString[w]!;
      } else if (t === TAG_OTHER) {
        if (newOther[w]! < 0) { newOther[w] = keptOthers.length; otherCode.set(otherKey(this.others[w]), keptOthers.length); keptOthers.push(this.others[w]); }
        words[s] = newOther[w]!;
      }
    }
    this.strings = keptStrings;
    this.#stringBytes = keptStrings.reduce((n, x) => n + 40 + 2 * x.length, 0);
    this.#stringCode = stringCode;
    this.others = keptOthers;
    this.#otherCode = otherCode;
  }
}
