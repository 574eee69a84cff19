import type { DataType, StructType } from "../types/data-types.ts";
import { longOfBigInt } from "./long-values.ts";

/**
 * The in-memory columns that compiled expressions and operators loop over: plain typed
 * arrays, one value per row, so that kernels are tight loops without per-row objects.
 * They convert to and from Arrow at zero or one copy (arrow-convert.ts).
 *
 * Internal value representation, per data type:
 * - tinyint, smallint, int, date (days): Int32Array or Float64Array; double, timestamp (µs since
 *   epoch): Float64Array; float: Float64Array of values rounded to single precision (Math.fround).
 * - decimal(p, s): an "obj" vector of unscaled bigints (123.45 in DECIMAL(5,2) is 12345n), the
 *   scale from the type (decimal-values.ts); a Decimal object only at the API edge (values.ts).
 * - long (BIGINT, exact 64-bit): Float64Array while every value is a safe integer (|v| ≤ 2^53−1,
 *   where a double is exact), so kernels stay double loops; a vector holding any value beyond
 *   that also carries `exact`, a BigInt64Array that is then the truth for every row (`values`
 *   keeps each one rounded to the nearest double, for order-only uses and casts to double).
 *   Kernels that produce longs check their results stay safe and otherwise switch to bigint
 *   arithmetic wrapped to 64 bits, as Spark's non-ANSI long arithmetic (long-values.ts).
 *   As a single internal value (valueAt, literals, state) a long is a `number` when safe and
 *   a `bigint` otherwise — never a bigint for a safe value, so one value has one form in keys.
 * - boolean: Uint8Array of 0/1.
 * - string: dictionary codes into `dict` (grouping and comparisons run on codes). A dictionary
 *   may hold a string twice (string functions' output, a decoder's new-value guess): code
 *   equality implies string equality, not the converse.
 * - struct: one child vector per field.
 * - array, map, binary: JS values (arrays, Map, Uint8Array).
 * `valid[i] === 0` marks a null; `valid === null` means no nulls.
 */
export type Vec = NumVec | BoolVec | StrVec | StructVec | ObjVec;

export interface NumVec {
  readonly kind: "num";
  readonly type: DataType;
  readonly length: number;
  readonly values: Float64Array | Int32Array;
  /** Longs only: the exact values, present when some value lies beyond ±(2^53−1) (see above). */
  readonly exact?: BigInt64Array | undefined;
  readonly valid: Uint8Array | null;
}

export interface BoolVec {
  readonly kind: "bool";
  readonly type: DataType;
  readonly length: number;
  readonly values: Uint8Array;
  readonly valid: Uint8Array | null;
}

export interface StrVec {
  readonly kind: "str";
  readonly type: DataType;
  readonly length: number;
  readonly codes: Int32Array;
  readonly dict: readonly string[];
  readonly valid: Uint8Array | null;
}

export interface StructVec {
  readonly kind: "struct";
  readonly type: StructType;
  readonly length: number;
  readonly children: readonly Vec[];
  readonly valid: Uint8Array | null;
}

export interface ObjVec {
  readonly kind: "obj";
  readonly type: DataType;
  readonly length: number;
  /** null for a null value. */
  readonly values: readonly unknown[];
  readonly valid: Uint8Array | null;
}

export function isNull(v: Vec, i: number): boolean {
  return v.valid !== null && v.valid[i] === 0;
}

/** The internal value at row i (see the representation above); null for null. */
export function valueAt(v: Vec, i: number): unknown {
  if (v.valid !== null && v.valid[i] === 0) return null;
  switch (v.kind) {
    case "num": return v.exact === undefined ? v.values[i] : longOfBigInt(v.exact[i]!);
    case "bool": return v.values[i] === 1;
    case "str": return v.dict[v.codes[i]!];
    case "struct": {
      const out: Record<string, unknown> = {};
      v.type.fields.forEach((f, k) => { out[f.name] = valueAt(v.children[k]!, i); });
      return out;
    }
    case "obj": return v.values[i];
  }
}

/** Field `index` of a struct column: null where the struct is null. */
export function structField(v: StructVec, index: number): Vec {
  const child = v.children[index]!;
  if (v.valid === null) return child;
  const valid = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) valid[i] = v.valid[i]! & (child.valid === null ? 1 : child.valid[i]!);
  return { ...child, valid } as Vec;
}

/** Takes rows at `indices` (a selection vector) into a new vector. */
export function takeVec(v: Vec, indices: Int32Array | Uint32Array, count = indices.length): Vec {
  const valid = v.valid === null ? null : new Uint8Array(count);
  if (valid !== null) for (let j = 0; j < count; j++) valid[j] = v.valid![indices[j]!]!;
  switch (v.kind) {
    case "num": {
      const values = v.values instanceof Int32Array ? new Int32Array(count) : new Float64Array(count);
      const src = v.values;
      for (let j = 0; j < count; j++) values[j] = src[indices[j]!]!;
      if (v.exact === undefined) return { kind: "num", type: v.type, length: count, values, valid };
      const exact = new BigInt64Array(count);
      for (let j = 0; j < count; j++) exact[j] = v.exact[indices[j]!]!;
      return { kind: "num", type: v.type, length: count, values, exact, valid };
    }
    case "bool": {
      const values = new Uint8Array(count);
      for (let j = 0; j < count; j++) values[j] = v.values[indices[j]!]!;
      return { kind: "bool", type: v.type, length: count, values, valid };
    }
    case "str": {
      const codes = new Int32Array(count);
      for (let j = 0; j < count; j++) codes[j] = v.codes[indices[j]!]!;
      return { kind: "str", type: v.type, length: count, codes, dict: v.dict, valid };
    }
    case "struct":
      return { kind: "struct", type: v.type, length: count, children: v.children.map((c) => takeVec(c, indices, count)), valid };
    case "obj": {
      const values = new Array<unknown>(count);
      for (let j = 0; j < count; j++) values[j] = v.values[indices[j]!];
      return { kind: "obj", type: v.type, length: count, values, valid };
    }
  }
}

/** Rows [start, end) as a new vector (copies typed arrays by view, no per-row work). */
export function sliceVec(v: Vec, start: number, end: number): Vec {
  const length = end - start;
  const valid = v.valid === null ? null : v.valid.subarray(start, end);
  switch (v.kind) {
    case "num":
      // Without exact values the vector keeps the shape of every other (no `exact` key): kernels stay monomorphic.
      if (v.exact === undefined) return { ...v, length, values: v.values.subarray(start, end), valid };
      return { ...v, length, values: v.values.subarray(start, end), exact: v.exact.subarray(start, end), valid };
    case "bool": return { ...v, length, values: v.values.subarray(start, end), valid };
    case "str": return { ...v, length, codes: v.codes.subarray(start, end), valid };
    case "struct": return { ...v, length, children: v.children.map((c) => sliceVec(c, start, end)), valid };
    case "obj": return { ...v, length, values: v.values.slice(start, end), valid };
  }
}
