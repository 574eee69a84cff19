import type { DataType } from "../types/data-types.ts";
import type { NumVec } from "./vector.ts";

/**
 * Exact 64-bit longs (Spark's BIGINT) over the double-first representation of vector.ts:
 * a long vector is a Float64Array while its values are safe integers and carries a
 * BigInt64Array (`exact`) once one is not. These helpers move between the two forms.
 */

export const MAX_SAFE_LONG = Number.MAX_SAFE_INTEGER;
export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

/** A long as an internal value: a number when safe, else the bigint. */
export function longOfBigInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** Spark's non-ANSI long arithmetic: the result wraps around to 64 bits (Java's long). */
export function wrapLong(b: bigint): bigint {
  return BigInt.asIntN(64, b);
}

/** An internal long (number or bigint) as a bigint; non-integral or non-finite numbers (garbage under nulls) as their truncation or 0. */
export function bigIntOfLong(x: number | bigint): bigint {
  if (typeof x === "bigint") return x;
  return Number.isFinite(x) ? BigInt(Math.trunc(x)) : 0n;
}

/** Row i of a long vector as a bigint. */
export function bigIntAt(v: NumVec, i: number): bigint {
  return v.exact !== undefined ? v.exact[i]! : bigIntOfLong(v.values[i]!);
}

/** The exact values of a numeric vector as a BigInt64Array (a copy unless it has one). */
export function exactValues(v: NumVec): BigInt64Array {
  if (v.exact !== undefined) return v.exact;
  const out = new BigInt64Array(v.length);
  const src = v.values;
  for (let i = 0; i < v.length; i++) out[i] = bigIntOfLong(src[i]!);
  return out;
}

/** Whether some value of `values[0, n)` is not a safe integer's double (beyond ±(2^53−1), or NaN). */
export function hasUnsafe(values: Float64Array | Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!(x <= MAX_SAFE_LONG && x >= -MAX_SAFE_LONG)) return true;
  }
  return false;
}

/** A long vector from exact values: plain doubles when all are safe, else doubles and `exact`. */
export function longVecFromBigInts(type: DataType, exact: BigInt64Array, valid: Uint8Array | null): NumVec {
  const n = exact.length;
  const values = new Float64Array(n);
  let safe = true;
  for (let i = 0; i < n; i++) {
    const x = Number(exact[i]!);
    values[i] = x;
    if (x > MAX_SAFE_LONG || x < -MAX_SAFE_LONG) safe = false;
  }
  return safe ? { kind: "num", type, length: n, values, valid } : { kind: "num", type, length: n, values, exact, valid };
}

/** Java's (long) of a double, as Scala's toLong: truncation, NaN → 0, saturating at the long range. */
export function longOfDouble(d: number): number | bigint {
  if (Number.isNaN(d)) return 0;
  const t = Math.trunc(d);
  if (t >= -MAX_SAFE_LONG && t <= MAX_SAFE_LONG) return t;
  if (t >= 9223372036854775807) return LONG_MAX;
  if (t <= -9223372036854775808) return LONG_MIN;
  return BigInt(t);
}

/** A long vector from doubles to truncate (casts from double, floor, ceil): exact doubles stay as they are. */
export function longVecFromDoubles(type: DataType, values: Float64Array, valid: Uint8Array | null): NumVec {
  const n = values.length;
  if (!hasUnsafe(values, n)) {
    for (let i = 0; i < n; i++) values[i] = Math.trunc(values[i]!);
    return { kind: "num", type, length: n, values, valid };
  }
  const exact = new BigInt64Array(n);
  for (let i = 0; i < n; i++) exact[i] = BigInt(longOfDouble(values[i]!));
  return longVecFromBigInts(type, exact, valid);
}

/**
 * Spark's string → long cast (UTF8String.toLong): optional sign, decimal digits, an
 * optional fraction that is truncated; surrounding white space trimmed. Anything else,
 * and values beyond the long range, give null (non-ANSI).
 */
export function parseLong(s: string): number | bigint | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
  if (m === null || (m[2] === "" && (m[3] === undefined || m[3] === ""))) return null;
  const digits = m[2] === "" ? "0" : m[2]!;
  if (digits.length <= 15) return m[1] === "-" ? -Number(digits) || 0 : Number(digits);
  const b = BigInt(m[1] === "-" ? `-${digits}` : digits);
  return b < LONG_MIN || b > LONG_MAX ? null : longOfBigInt(b);
}
