import type { StructType } from "../types/data-types.ts";
import { ColumnBatch } from "./column-batch.ts";
import { exactValues } from "./long-values.ts";
import { VecBuilder } from "./vec-builder.ts";
import { valueAt, type Vec } from "./vector.ts";

/** Concatenates vectors of one type; numeric and boolean columns by typed-array copy. */
export function concatVecs(vecs: readonly Vec[]): Vec {
  if (vecs.length === 1) return vecs[0]!;
  const total = vecs.reduce((n, v) => n + v.length, 0);
  const first = vecs[0]!;
  const anyNull = vecs.some((v) => v.valid !== null);
  let valid: Uint8Array | null = null;
  if (anyNull) {
    valid = new Uint8Array(total);
    let o = 0;
    for (const v of vecs) {
      if (v.valid === null) valid.fill(1, o, o + v.length);
      else valid.set(v.valid.subarray(0, v.length), o);
      o += v.length;
    }
  }
  if (first.kind === "num" && vecs.every((v) => v.kind === "num" && v.values.constructor === first.values.constructor)) {
    const values = first.values instanceof Int32Array ? new Int32Array(total) : new Float64Array(total);
    let o = 0;
    for (const v of vecs) { values.set((v as typeof first).values.subarray(0, v.length), o); o += v.length; }
    if (!vecs.some((v) => (v as typeof first).exact !== undefined)) return { kind: "num", type: first.type, length: total, values, valid };
    const exact = new BigInt64Array(total);
    o = 0;
    for (const v of vecs) { exact.set(exactValues(v as typeof first).subarray(0, v.length), o); o += v.length; }
    return { kind: "num", type: first.type, length: total, values, exact, valid };
  }
  if (first.kind === "bool") {
    const values = new Uint8Array(total);
    let o = 0;
    for (const v of vecs) { values.set((v as typeof first).values.subarray(0, v.length), o); o += v.length; }
    return { kind: "bool", type: first.type, length: total, values, valid };
  }
  const b = new VecBuilder(first.type, total);
  for (const v of vecs) for (let i = 0; i < v.length; i++) b.append(valueAt(v, i));
  return b.finish();
}

/** One batch holding the rows of several batches of the same schema. */
export function concatBatches(schema: StructType, batches: readonly ColumnBatch[]): ColumnBatch {
  if (batches.length === 0) return ColumnBatch.empty(schema);
  if (batches.length === 1) return batches[0]!.withSchema(schema);
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const columns = schema.fields.map((_, c) => concatVecs(batches.map((b) => b.columns[c]!)));
  return new ColumnBatch(schema, columns, total);
}
