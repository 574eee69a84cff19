import type { DataType } from "../types/data-types.ts";
import type { BoolVec, NumVec, ObjVec, StrVec, Vec } from "../columnar/vector.ts";
import { VecBuilder } from "../columnar/vec-builder.ts";
import { valueAt } from "../columnar/vector.ts";
import { InternalError } from "../common/errors.ts";

/** Helpers that kernels share: null masks, constants, per-dictionary-entry evaluation. */

/** AND of validity masks (null when no input has nulls). */
export function mergeValid(length: number, ...vecs: readonly Vec[]): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const v of vecs) {
    if (v.valid === null) continue;
    if (out === null) out = v.valid.slice(0, length);
    else for (let i = 0; i < length; i++) out[i] = out[i]! & v.valid[i]!;
  }
  return out;
}

export function asNum(v: Vec): NumVec {
  if (v.kind !== "num") throw new InternalError(`expected a numeric vector, got ${v.kind}`);
  return v;
}

export function asBool(v: Vec): BoolVec {
  if (v.kind !== "bool") throw new InternalError(`expected a boolean vector, got ${v.kind}`);
  return v;
}

export function asStr(v: Vec): StrVec {
  if (v.kind !== "str") throw new InternalError(`expected a string vector, got ${v.kind}`);
  return v;
}

export function numVec(type: DataType, values: Float64Array | Int32Array, valid: Uint8Array | null): NumVec {
  return { kind: "num", type, length: values.length, values, valid };
}

export function boolVec(type: DataType, values: Uint8Array, valid: Uint8Array | null): BoolVec {
  return { kind: "bool", type, length: values.length, values, valid };
}

/** A vector of `length` copies of one internal value (literals). */
export function constantVec(value: unknown, type: DataType, length: number): Vec {
  const valid = value === null || value === undefined ? new Uint8Array(length) : null;
  switch (type.kind) {
    case "byte": case "short": case "int": case "date": return { kind: "num", type, length, values: new Int32Array(length).fill((value as number) ?? 0), valid };
    case "long": case "timestamp": case "timestamp_ntz":
      // A long (or timestamp µs) beyond ±2^53 keeps its exact value.
      if (typeof value === "bigint") return { kind: "num", type, length, values: new Float64Array(length).fill(Number(value)), exact: new BigInt64Array(length).fill(value), valid };
      return { kind: "num", type, length, values: new Float64Array(length).fill((value as number) ?? 0), valid };
    case "float": case "double": return { kind: "num", type, length, values: new Float64Array(length).fill((value as number) ?? 0), valid };
    case "boolean": return { kind: "bool", type, length, values: new Uint8Array(length).fill(value ? 1 : 0), valid };
    case "string": return { kind: "str", type, length, codes: new Int32Array(length), dict: [value === null || value === undefined ? "" : (value as string)], valid };
    case "null": return { kind: "obj", type, length, values: new Array(length).fill(null), valid: new Uint8Array(length) };
    default: {
      const b = new VecBuilder(type, length);
      for (let i = 0; i < length; i++) b.append(value);
      return b.finish();
    }
  }
}

/**
 * Applies `f` to each distinct dictionary entry when that is cheaper than to each row
 * (the usual case: few distinct actions, hosts, URLs per batch), else to each row.
 * Null inputs give null outputs; `f` returning null gives null.
 */
export function mapStrings(v: StrVec, type: DataType, f: (s: string) => unknown): Vec {
  const n = v.length;
  const b = new VecBuilder(type, n);
  if (v.dict.length <= n) {
    const mapped = v.dict.map(f);
    for (let i = 0; i < n; i++) {
      if (v.valid !== null && v.valid[i] === 0) b.appendNull();
      else b.append(mapped[v.codes[i]!]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (v.valid !== null && v.valid[i] === 0) b.appendNull();
      else b.append(f(v.dict[v.codes[i]!]!));
    }
  }
  return b.finish();
}

/** String → string where the result stays dictionary-encoded: the function runs once per entry. */
export function mapStringDict(v: StrVec, f: (s: string) => string | null): StrVec {
  const mapped = v.dict.map(f);
  if (!mapped.includes(null)) return { ...v, dict: mapped as string[] };
  const valid = v.valid === null ? new Uint8Array(v.length).fill(1) : v.valid.slice();
  for (let i = 0; i < v.length; i++) if (mapped[v.codes[i]!] === null) valid[i] = 0;
  return { ...v, dict: mapped.map((s) => s ?? ""), valid };
}

/** Row-at-a-time fallback for functions over arbitrary internal values (structs, arrays, several strings). */
export function mapRows(args: readonly Vec[], length: number, type: DataType, f: (values: unknown[]) => unknown, nullIntolerant = true): Vec {
  const b = new VecBuilder(type, length);
  const values = new Array<unknown>(args.length);
  outer: for (let i = 0; i < length; i++) {
    for (let k = 0; k < args.length; k++) {
      const x = valueAt(args[k]!, i);
      if (x === null && nullIntolerant) { b.appendNull(); continue outer; }
      values[k] = x;
    }
    b.append(f(values));
  }
  return b.finish();
}

/**
 * Codes of `v` and of `target` in one numbering, where equal strings have equal codes, so
 * that equality runs on codes: `target`'s first code of each string, -1 for a string of `v`
 * that `target` lacks. Dictionaries may repeat a string (a string function's output, a
 * decoder's guess that a value is new), so `target`'s own codes are renumbered when it does.
 */
export function commonCodes(v: StrVec, target: StrVec): [Int32Array, Int32Array] {
  const index = new Map<string, number>();
  const first = new Int32Array(target.dict.length);
  let repeats = false;
  target.dict.forEach((s, i) => {
    const c = index.get(s);
    if (c === undefined) { index.set(s, i); first[i] = i; } else { first[i] = c; repeats = true; }
  });
  const targetCodes = repeats ? mapCodes(target.codes, first) : target.codes;
  if (v.dict === target.dict) return [repeats ? mapCodes(v.codes, first) : v.codes, targetCodes];
  const table = new Int32Array(v.dict.length);
  v.dict.forEach((s, i) => { table[i] = index.get(s) ?? -1; });
  return [mapCodes(v.codes, table), targetCodes];
}

function mapCodes(codes: Int32Array, table: Int32Array): Int32Array {
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = table[codes[i]!]!;
  return out;
}

export function objVec(type: DataType, values: unknown[], valid: Uint8Array | null): ObjVec {
  return { kind: "obj", type, length: values.length, values, valid };
}
