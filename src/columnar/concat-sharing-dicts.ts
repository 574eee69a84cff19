import type { StrVec, Vec } from "./vector.ts";

/**
 * The validity of several vectors' rows one after the other; null when none holds a null.
 */
export function concatValidity(vecs: readonly Vec[], total: number): Uint8Array | null {
  if (vecs.every((v) => v.valid === null)) return null;
  const valid = new Uint8Array(total);
  let o = 0;
  for (const v of vecs) {
    if (v.valid === null) valid.fill(1, o, o + v.length);
    else valid.set(v.valid.subarray(0, v.length), o);
    o += v.length;
  }
  return valid;
}

/** The longest of `dicts` when each other one is a prefix of it, else null. */
function commonDict(dicts: readonly (readonly string[])[]): readonly string[] | null {
  const distinct = [...new Set(dicts)];
  let longest = distinct[0]!;
  for (const d of distinct) if (d.length > longest.length) longest = d;
  for (const d of distinct) {
    if (d === longest) continue;
    for (let i = 0; i < d.length; i++) if (d[i] !== longest[i]) return null;
  }
  return longest;
}

/**
 * String columns one after the other, by their codes: when the dictionaries are one list or
 * prefixes of one (snapshots of a dictionary that only grows, as an aggregation's outputs
 * in chunks) the longest is kept and the codes copied; other dictionaries are merged into
 * one holding each of their strings once. A null row's code is 0 in the merged case.
 */
export function concatStrings(vecs: readonly StrVec[], total: number): StrVec {
  const first = vecs[0]!;
  const codes = new Int32Array(total);
  const shared = commonDict(vecs.map((v) => v.dict));
  let dict: readonly string[];
  let o = 0;
  if (shared !== null) {
    dict = shared;
    for (const v of vecs) { codes.set(v.codes.subarray(0, v.length), o); o += v.length; }
  } else {
    const merged: string[] = [];
    const codeOf = new Map<string, number>();
    for (const v of vecs) {
      const mine = new Int32Array(v.dict.length).fill(-1);
      const valid = v.valid;
      for (let i = 0; i < v.length; i++) {
        if (valid !== null && valid[i] === 0) { o++; continue; }
        const c = v.codes[i]!;
        let m = mine[c]!;
        if (m < 0) {
          const s = v.dict[c]!;
          m = codeOf.get(s) ?? -1;
          if (m < 0) { m = merged.length; merged.push(s); codeOf.set(s, m); }
          mine[c] = m;
        }
        codes[o++] = m;
      }
    }
    dict = merged;
  }
  return { kind: "str", type: first.type, length: total, codes, dict, valid: concatValidity(vecs, total) };
}
