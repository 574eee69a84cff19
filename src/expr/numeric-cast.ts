import type { DataType, DecimalType } from "../types/data-types.ts";
import type { ObjVec, Vec } from "../columnar/vector.ts";
import { bigIntAt, longVecFromBigInts, parseLong, wrapLong } from "../columnar/long-values.ts";
import {
  decimalToDouble, doubleToDecimal, fitsPrecision, parseDecimal, pow10, rescale, truncateDecimal,
} from "../columnar/decimal-values.ts";
import { mapStrings, numVec, objVec } from "./vec-ops.ts";

/**
 * Casts that involve TINYINT, SMALLINT, FLOAT or DECIMAL, as Spark's non-ANSI Cast: integral
 * narrowing wraps as Java's (byte)/(short) casts, doubles narrow through a saturating
 * (int); decimals round HALF_UP and overflow to NULL. Returns null for a cast it does not
 * handle (cast.ts goes on with the other types).
 */
export function castNumericVec(v: Vec, to: DataType): Vec | null {
  const from = v.type;
  if (to.kind === "decimal") return castToDecimal(v, to);
  if (from.kind === "decimal" && v.kind === "obj") return castFromDecimal(v, from, to);
  if (to.kind === "byte" || to.kind === "short") return castToSmallInt(v, to);
  if (to.kind === "float") return castToFloat(v, to);
  return null;
}

const MICROS_PER_SECOND = 1_000_000;

/** Java's narrowing of an integer (a safe integer's double) to `bits` bits: the low bits, two's complement. */
export function wrapBits(x: number, bits: 8 | 16 | 32): number {
  if (bits === 32) return (x | 0) === x ? x : Number(BigInt.asIntN(32, BigInt(x)));
  const m = bits === 8 ? 256 : 65536;
  const r = x % m;
  return r >= m / 2 ? r - m : r < -m / 2 ? r + m : r;
}

/** Java's (int) of a double: truncation, NaN → 0, saturating at the int range. */
function intOfDouble(x: number): number {
  return Number.isNaN(x) ? 0 : Math.max(-2147483648, Math.min(2147483647, Math.trunc(x)));
}

function castToDecimal(v: Vec, to: DecimalType): Vec | null {
  const n = v.length;
  const { precision, scale } = to;
  const fit = (u: bigint | null): bigint | null => (u !== null && fitsPrecision(u, precision) ? u : null);
  const out = new Array<bigint | null>(n);
  let valid = v.valid === null ? null : v.valid.slice();
  const put = (i: number, u: bigint | null): void => {
    out[i] = u;
    if (u === null) { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
  };
  switch (v.kind) {
    case "str": return mapStrings(v, to, (s) => fit(parseDecimal(s, scale)));
    case "obj": {
      if (v.type.kind !== "decimal") return null;
      const fromScale = v.type.scale;
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) { out[i] = null; continue; }
        put(i, fit(rescale(v.values[i] as bigint, fromScale, scale)));
      }
      return objVec(to, out, valid);
    }
    case "bool":
      for (let i = 0; i < n; i++) put(i, valid !== null && valid[i] === 0 ? null : fit(v.values[i] === 1 ? pow10(scale) : 0n));
      return objVec(to, out, valid);
    case "num": {
      const kind = v.type.kind;
      if (kind === "date") return null;
      const factor = pow10(scale);
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) { out[i] = null; continue; }
        let u: bigint | null;
        if (kind === "double" || kind === "float") u = doubleToDecimal(v.values[i]!, scale);
        // Microseconds as seconds with 6 decimals.
        else if (kind === "timestamp") u = rescale(bigIntAt(v, i), 6, scale);
        else u = bigIntAt(v, i) * factor;
        put(i, fit(u));
      }
      return objVec(to, out, valid);
    }
    default: return null;
  }
}

function castFromDecimal(v: ObjVec, from: DecimalType, to: DataType): Vec | null {
  const n = v.length;
  const values = v.values as readonly (bigint | null)[];
  const scale = from.scale;
  switch (to.kind) {
    case "double": case "float": {
      const out = new Float64Array(n);
      const single = to.kind === "float";
      for (let i = 0; i < n; i++) {
        const u = values[i];
        if (u === null || u === undefined) continue;
        const d = decimalToDouble(u, scale);
        out[i] = single ? Math.fround(d) : d;
      }
      return numVec(to, out, v.valid);
    }
    case "long": {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) { const u = values[i]; if (u !== null && u !== undefined) out[i] = wrapLong(truncateDecimal(u, scale)); }
      return longVecFromBigInts(to, out, v.valid);
    }
    case "int": case "short": case "byte": {
      // Decimal.toInt/toShort/toByte: the long, then Java's narrowing.
      const bits = to.kind === "int" ? 32 : to.kind === "short" ? 16 : 8;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) { const u = values[i]; if (u !== null && u !== undefined) out[i] = Number(BigInt.asIntN(bits, truncateDecimal(u, scale))); }
      return numVec(to, out, v.valid);
    }
    case "boolean": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] !== null && values[i] !== 0n ? 1 : 0;
      return { kind: "bool", type: to, length: n, values: out, valid: v.valid };
    }
    case "timestamp": {
      // Seconds as microseconds, truncated (Spark's decimalToTimestamp).
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) { const u = values[i]; if (u !== null && u !== undefined) out[i] = Number(rescaleDown(u, scale, 6)); }
      return numVec(to, out, v.valid);
    }
    default: return null;
  }
}

/** Rescale truncating toward zero (BigDecimal.longValue after a move of the point). */
function rescaleDown(u: bigint, from: number, to: number): bigint {
  return to >= from ? u * pow10(to - from) : u / pow10(from - to);
}

function castToSmallInt(v: Vec, to: DataType): Vec | null {
  const n = v.length;
  const bits = to.kind === "byte" ? 8 : 16;
  const bound = bits === 8 ? 128 : 32768;
  if (v.kind === "str") {
    // UTF8String.toByte/toShort: an integer (a fraction is truncated) in range, else null.
    return mapStrings(v, to, (s) => {
      const x = parseLong(s);
      return typeof x === "number" && x >= -bound && x < bound ? x : null;
    });
  }
  if (v.kind === "bool") {
    return numVec(to, Int32Array.from(v.values), v.valid);
  }
  if (v.kind !== "num") return null;
  const out = new Int32Array(n);
  const kind = v.type.kind;
  const src = v.values;
  if (kind === "double" || kind === "float") for (let i = 0; i < n; i++) out[i] = wrapBits(intOfDouble(src[i]!), bits);
  else if (v.exact !== undefined) for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(bits, v.exact[i]!));
  else if (kind === "timestamp") for (let i = 0; i < n; i++) out[i] = wrapBits(Math.floor(src[i]! / MICROS_PER_SECOND), bits);
  else if (kind === "date") return null;
  else for (let i = 0; i < n; i++) out[i] = wrapBits(src[i]!, bits);
  return numVec(to, out, v.valid);
}

function castToFloat(v: Vec, to: DataType): Vec | null {
  const n = v.length;
  if (v.kind === "str") {
    return mapStrings(v, to, (s) => {
      const t = s.trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$|^[+-]?(NaN|Infinity)$/.test(t)) return null;
      return Math.fround(Number(t.replace(/[fFdD]$/, "")));
    });
  }
  if (v.kind === "bool") return numVec(to, Float64Array.from(v.values), v.valid);
  if (v.kind !== "num") return null;
  const out = new Float64Array(n);
  const src = v.values;
  const kind = v.type.kind;
  if (kind === "date") return null;
  if (v.exact !== undefined) for (let i = 0; i < n; i++) out[i] = Math.fround(Number(v.exact[i]!));
  else if (kind === "timestamp") for (let i = 0; i < n; i++) out[i] = Math.fround(src[i]! / MICROS_PER_SECOND);
  else for (let i = 0; i < n; i++) out[i] = Math.fround(src[i]!);
  return numVec(to, out, v.valid);
}
