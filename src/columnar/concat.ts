import type { StructType } from "../types/data-types.ts";
import { ColumnBatch } from "./column-batch.ts";
import { concatStrings, concatValidity } from "./concat-sharing-dicts.ts";
import { exactValues } from "./long-values.ts";
import { VecBuilder } from "./vec-builder.ts";
import { valueAt, type NumVec, type StrVec, type StructVec, type Vec } from "./vector.ts";

/**
 * Concatenates vectors of one type: numeric and boolean columns by typed-array copy, string
 * columns by their codes (concat-sharing-dicts.ts), structs child by child; other columns
 * (decimals, arrays, maps, mixed representations) value by value.
 */
export function concatVecs(vecs: readonly Vec[]): Vec {
  if (vecs.length === 1) return vecs[0]!;
  const total = vecs.reduce((n, v) => n + v.length, 0);
  const first = vecs[0]!;
  if (first.kind === "num" && vecs.every((v) => v.kind === "num" && v.values.constructor === first.values.constructor)) {
    return concatNums(vecs as readonly NumVec[], total);
  }
  if (first.kind === "bool" && vecs.every((v) => v.kind === "bool")) {
    const values = new Uint8Array(total);
    let o = 0;
    for (const v of vecs) { values.set((v as typeof first).values.subarray(0, v.length), o); o += v.length; }
    return { kind: "bool", type: first.type, length: total, values, valid: concatValidity(vecs, total) };
  }
  if (first.kind === "str" && vecs.every((v) => v.kind === "str")) return concatStrings(vecs as readonly StrVec[], total);
  if (first.kind === "struct" && vecs.every((v) => v.kind === "struct" && v.children.every((c) => c.length === v.length))) {
    const structs = vecs as readonly StructVec[];
    const children = first.children.map((_, k) => concatVecs(structs.map((v) => v.children[k]!)));
    return { kind: "struct", type: first.type, length: total, children, valid: concatValidity(vecs, total) };
  }
  const b = new VecBuilder(first.type, total);
  for (const v of vecs) for (let i = 0; i < v.length; i++) b.append(valueAt(v, i));
  return b.finish();
}

function concatNums(vecs: readonly NumVec[], total: number): Vec {
  const first = vecs[0]!;
  const valid = concatValidity(vecs, total);
  const values = first.values instanceof Int32Array ? new Int32Array(total) : new Float64Array(total);
  let o = 0;
  for (const v of vecs) { values.set(v.values.subarray(0, v.length), o); o += v.length; }
  if (!vecs.some((v) => v.exact !== undefined)) return { kind: "num", type: first.type, length: total, values, valid };
  const exact = new BigInt64Array(total);
  o = 0;
  for (const v of vecs) { exact.set(exactValues(v).subarray(0, v.length), o); o += v.length; }
  return { kind: "num", type: first.type, length: total, values, exact, valid };
}

/** One batch holding the rows of several batches of the same schema. */
export function concatBatches(schema: StructType, batches: readonly ColumnBatch[]): ColumnBatch {
  if (batches.length === 0) return ColumnBatch.empty(schema);
  if (batches.length === 1) return batches[0]!.withSchema(schema);
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const columns = schema.fields.map((_, c) => concatVecs(batches.map((b) => b.columns[c]!)));
  return new ColumnBatch(schema, columns, total);
}
