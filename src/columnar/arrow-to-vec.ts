import * as arrow from "apache-arrow";
import type { DataType } from "../types/data-types.ts";
import { VecBuilder } from "./vec-builder.ts";
import type { Vec } from "./vector.ts";
import { toInternal } from "./values.ts";
import { hasUnsafe } from "./long-values.ts";
import { decimalToDouble, rescale } from "./decimal-values.ts";
import { Decimal } from "./decimal.ts";

/**
 * Arrow Data → the engine's Vecs (what a Parquet file, an Arrow IPC stream or Spark Connect's
 * answer arrives as). arrow-convert.ts has the other direction.
 */

const TWO_32 = 4294967296;

// A source's batch read by two operators, or Data made from a Vec (vecToData), must not be converted twice.
const vecOfData = new WeakMap<arrow.Data, Vec>();

/** vecToData's answer: reading `data` back gives `vec` itself. */
export function rememberVec(data: arrow.Data, vec: Vec): void {
  vecOfData.set(data, vec);
}

function unpackValidity(data: arrow.Data): Uint8Array | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return null;
  const n = data.length;
  const out = new Uint8Array(n);
  const bits = data.nullBitmap;
  const off = data.offset;
  for (let i = 0; i < n; i++) {
    const j = i + off;
    out[i] = (bits[j >> 3]! >> (j & 7)) & 1;
  }
  return out;
}

// Arrow JS slices fixed-width value buffers when it slices Data (`values` starts at the
// slice), but not bitmaps: validity and boolean bits are read at `offset + i`.
function numbersFromInt64(data: arrow.Data, scale = 1): Float64Array {
  const src = data.values as BigInt64Array;
  const words = new Int32Array(src.buffer, src.byteOffset, src.length * 2);
  const n = data.length;
  const off = 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = 2 * (i + off);
    out[i] = (words[j + 1]! * TWO_32 + (words[j]! >>> 0)) * scale;
  }
  return out;
}

/** Arrow Decimal128/256 values as unscaled bigints (rescaled to `toScale` when the type asks for another scale). */
function decimalsOfData(data: arrow.Data, n: number): bigint[] {
  const bitWidth = (data.type as arrow.Decimal).bitWidth;
  const perValue = bitWidth / 32;
  const src = data.values as Uint32Array;
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    let x = 0n;
    for (let k = perValue - 1; k >= 0; k--) x = (x << 32n) | BigInt(src[perValue * i + k]!);
    out[i] = BigInt.asIntN(bitWidth, x);
  }
  return out;
}

/** Arrow Data → Vec holding `type` (the rivulet type the Arrow type maps to). */
export function dataToVec(data: arrow.Data, type: DataType): Vec {
  const cached = vecOfData.get(data);
  if (cached) return cached;
  const n = data.length;
  const valid = unpackValidity(data);
  const T = arrow.Type;
  const tid = data.type.typeId;
  let vec: Vec;
  if (tid === T.Dictionary) {
    const dictionary = (data.dictionary as arrow.Vector).toArray() as string[];
    const codes = data.values instanceof Int32Array ? data.values.subarray(0, n) : Int32Array.from(data.values as ArrayLike<number>).subarray(0, n);
    vec = { kind: "str", type, length: n, codes, dict: dictionary, valid };
  } else if (tid === T.Utf8 || tid === T.LargeUtf8) {
    const b = new VecBuilder(type, n);
    const v = new arrow.Vector([data]);
    for (let i = 0; i < n; i++) b.append(v.get(i));
    vec = b.finish();
  } else if (tid === T.Bool) {
    const values = new Uint8Array(n);
    const bits = data.values as Uint8Array;
    for (let i = 0; i < n; i++) { const j = i + data.offset; values[i] = (bits[j >> 3]! >> (j & 7)) & 1; }
    vec = { kind: "bool", type, length: n, values, valid };
  } else if (tid === T.Int && type.kind === "decimal" && data.values instanceof BigUint64Array) {
    // UINT64 read as DECIMAL(20,0) (arrow-types.ts): each value's digits exactly.
    const src = data.values.subarray(0, n);
    const values: (bigint | null)[] = Array.from(src, (u, i) => (valid !== null && valid[i] === 0 ? null : rescale(u, 0, type.scale)));
    vec = { kind: "obj", type, length: n, values, valid };
  } else if (tid === T.Int || tid === T.Float || tid === T.Date || tid === T.Timestamp || tid === T.Duration
    || (tid === T.Interval && (data.type as arrow.Interval).unit === arrow.IntervalUnit.YEAR_MONTH)) {
    let values: Float64Array | Int32Array;
    if (tid === T.Timestamp || tid === T.Duration) {
      const unit = (data.type as arrow.Timestamp).unit;
      const scale = unit === arrow.TimeUnit.SECOND ? 1e6 : unit === arrow.TimeUnit.MILLISECOND ? 1e3 : unit === arrow.TimeUnit.MICROSECOND ? 1 : 1e-3;
      values = numbersFromInt64(data, scale);
      // µs beyond ±2^53 (years past 2255): keep the exact int64 values too, as for longs.
      if (scale === 1 && tid === T.Timestamp && data.values instanceof BigInt64Array && hasUnsafe(values, n)) {
        vec = { kind: "num", type, length: n, values, exact: data.values.slice(0, n), valid };
        vecOfData.set(data, vec);
        return vec;
      }
    } else if (tid === T.Date && (data.type as arrow.Date_).unit === arrow.DateUnit.MILLISECOND) {
      values = Float64Array.from(numbersFromInt64(data), (ms) => Math.floor(ms / 86_400_000));
    } else if (data.values instanceof BigInt64Array || data.values instanceof BigUint64Array) {
      values = numbersFromInt64(data);
      // Beyond ±(2^53−1) the doubles are not exact: keep the int64 values too (vector.ts).
      if (type.kind === "long" && hasUnsafe(values, n)) {
        const src = data.values;
        const exact = src instanceof BigInt64Array ? src.slice(0, n) : new BigInt64Array(src.buffer.slice(src.byteOffset, src.byteOffset + n * 8));
        vec = { kind: "num", type, length: n, values, exact, valid };
        vecOfData.set(data, vec);
        return vec;
      }
    } else if ((data.values instanceof Int32Array && (type.kind === "int" || type.kind === "date" || type.kind === "interval_ym")) || (data.values instanceof Float64Array && type.kind !== "float")) {
      values = (data.values as Int32Array | Float64Array).subarray(0, n);
    } else {
      const src = data.values as ArrayLike<number>;
      values = type.kind === "int" || type.kind === "byte" || type.kind === "short" ? new Int32Array(n) : new Float64Array(n);
      if (type.kind === "float") for (let i = 0; i < n; i++) values[i] = Math.fround(src[i]!);
      else for (let i = 0; i < n; i++) values[i] = src[i]!;
    }
    vec = { kind: "num", type, length: n, values, valid };
  } else if (tid === T.Decimal) {
    const unscaled = decimalsOfData(data, n);
    const from = (data.type as arrow.Decimal).scale;
    if (type.kind === "decimal") {
      const values: (bigint | null)[] = unscaled.map((u, i) => (valid !== null && valid[i] === 0 ? null : rescale(u, from, type.scale)));
      vec = { kind: "obj", type, length: n, values, valid };
    } else {
      const values = Float64Array.from(unscaled, (u) => decimalToDouble(u, from));
      vec = { kind: "num", type, length: n, values, valid };
    }
  } else if (tid === T.Struct && type.kind === "struct") {
    vec = { kind: "struct", type, length: n, children: data.children.map((c, k) => dataToVec(c.slice(data.offset, n), type.fields[k]!.dataType)), valid };
  } else {
    const v = new arrow.Vector([data]);
    const values = new Array<unknown>(n);
    const nestedDecimals = containsDecimal(type);
    for (let i = 0; i < n; i++) {
      const js = arrowValueToJs(v.get(i));
      values[i] = toInternal(nestedDecimals ? withDecimals(js, type) : js, type, "arrow value");
    }
    vec = { kind: "obj", type, length: n, values, valid };
  }
  vecOfData.set(data, vec);
  return vec;
}

function containsDecimal(type: DataType): boolean {
  switch (type.kind) {
    case "decimal": return true;
    case "array": return containsDecimal(type.elementType);
    case "map": return containsDecimal(type.keyType) || containsDecimal(type.valueType);
    case "struct": return type.fields.some((f) => containsDecimal(f.dataType));
    default: return false;
  }
}

/** Arrow gives a nested decimal as its unscaled digits (quoted): made a Decimal of the type's scale again. */
function withDecimals(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case "decimal": {
      // Arrow's Decimal128 toJSON is the digits in quotes.
      const digits = typeof v === "string" ? /^"?(-?\d+)"?$/.exec(v)?.[1] : undefined;
      return digits === undefined ? v : new Decimal(BigInt(digits), type.scale);
    }
    case "array": return Array.isArray(v) ? v.map((x) => withDecimals(x, type.elementType)) : v;
    case "map": {
      const entries = v instanceof Map ? [...v] : typeof v === "object" ? Object.entries(v as object) : null;
      return entries === null ? v : new Map(entries.map(([k, x]) => [withDecimals(k, type.keyType), withDecimals(x, type.valueType)]));
    }
    case "struct": {
      if (typeof v !== "object") return v;
      const out: Record<string, unknown> = {};
      for (const f of type.fields) out[f.name] = withDecimals((v as Record<string, unknown>)[f.name], f.dataType);
      return out;
    }
    default: return v;
  }
}

/** Arrow's row values (Vectors for lists, rows for structs and maps) as plain JS values. */
function arrowValueToJs(x: unknown): unknown {
  if (x === null || x === undefined) return null;
  if (x instanceof arrow.Vector) return [...x].map(arrowValueToJs);
  if (typeof x === "object" && !(x instanceof Uint8Array) && !(x instanceof Date) && typeof (x as { toJSON?: unknown }).toJSON === "function") {
    const json = (x as { toJSON(): unknown }).toJSON();
    if (json instanceof Map) return new Map([...json].map(([k, v]) => [arrowValueToJs(k), arrowValueToJs(v)]));
    if (json !== null && typeof json === "object") return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, arrowValueToJs(v)]));
    return json;
  }
  return x;
}
