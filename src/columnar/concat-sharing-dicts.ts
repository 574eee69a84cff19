import type { StructType } from "../types/data-types.ts";
import { ColumnBatch } from "./column-batch.ts";
import { concatVecs } from "./concat.ts";
import type { StrVec, StructVec, Vec } from "./vector.ts";

/**
 * One batch of the rows of several batches of one schema, as concat.ts makes it, but with
 * string columns by their codes and structs child by child: a string column whose batches'
 * dictionaries are one list or prefixes of one (snapshots of a dictionary that only grows,
 * as an aggregation's outputs of several batches) keeps the longest dictionary and copies
 * the codes; other dictionaries are merged into one. Other columns go to concatVecs.
 */
export function concatSharingDicts(schema: StructType, batches: readonly ColumnBatch[]): ColumnBatch {
  if (batches.length === 1) return batches[0]!.withSchema(schema);
  if (batches.length === 0) return ColumnBatch.empty(schema);
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  return new ColumnBatch(schema, schema.fields.map((_, c) => concatColumn(batches.map((b) => b.columns[c]!), total)), total);
}

function concatColumn(vecs: readonly Vec[], total: number): Vec {
  const first = vecs[0]!;
  if (first.kind === "str" && vecs.every((v) => v.kind === "str")) return concatStrings(vecs as StrVec[], total);
  if (first.kind === "struct" && vecs.every((v) => v.kind === "struct")) return concatStructs(vecs as StructVec[], total);
  return concatVecs(vecs);
}

function concatValid(vecs: readonly Vec[], total: number): Uint8Array | null {
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

function concatStructs(vecs: readonly StructVec[], total: number): Vec {
  const first = vecs[0]!;
  const children = first.children.map((_, k) => concatColumn(vecs.map((v) => v.children[k]!), total));
  return { kind: "struct", type: first.type, length: total, children, valid: concatValid(vecs, total) };
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

function concatStrings(vecs: readonly StrVec[], total: number): Vec {
  const first = vecs[0]!;
  const codes = new Int32Array(total);
  const shared = commonDict(vecs.map((v) => v.dict));
  let dict: readonly string[];
  let o = 0;
  if (shared !== null) {
    dict = shared;
    for (const v of vecs) { codes.set(v.codes.subarray(0, v.length), o); o += v.length; }
  } else {
    // Unrelated dictionaries: one of their strings, each string once.
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
  return { kind: "str", type: first.type, length: total, codes, dict, valid: concatValid(vecs, total) };
}
