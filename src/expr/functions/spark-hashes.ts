import type { DataType } from "../../types/data-types.ts";

/**
 * Spark's hash functions over internal values, bit for bit: `hash` is Murmur3_x86_32 with
 * Spark's own tail handling for strings and binaries (each trailing byte mixed alone, sign
 * extended), `xxhash64` is XXH64. Both fold the arguments left to right, each value's hash
 * seeding the next; a null leaves the running hash unchanged; structs, arrays and maps fold
 * their fields, elements, and keys then values.
 */

// ---------- Murmur3_x86_32 ----------

const C1 = 0xcc9e2d51, C2 = 0x1b873593;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function mixK1(k: number): number {
  return Math.imul(rotl32(Math.imul(k, C1), 15), C2);
}

function mixH1(h: number, k: number): number {
  return (Math.imul(rotl32(h ^ k, 13), 5) + 0xe6546b64) | 0;
}

function fmix32(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export function murmur3Int(x: number, seed: number): number {
  return fmix32(mixH1(seed, mixK1(x | 0)), 4);
}

/** A 64-bit value given as its low and high 32-bit halves. */
function murmur3Words(low: number, high: number, seed: number): number {
  return fmix32(mixH1(mixH1(seed, mixK1(low)), mixK1(high)), 8);
}

export function murmur3Bytes(b: Uint8Array, seed: number): number {
  const aligned = b.length - (b.length % 4);
  let h = seed;
  for (let i = 0; i < aligned; i += 4) h = mixH1(h, mixK1(b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)));
  for (let i = aligned; i < b.length; i++) h = mixH1(h, mixK1((b[i]! << 24) >> 24));
  return fmix32(h, b.length);
}

// ---------- 64-bit words of longs and doubles ----------

const scratch = new DataView(new ArrayBuffer(8));

/** Low and high 32-bit words of a long (a safe number or a bigint). */
export function longWords(x: number | bigint): [number, number] {
  if (typeof x === "bigint") return [Number(BigInt.asIntN(32, x)), Number(BigInt.asIntN(32, x >> 32n))];
  return [(x % 4294967296) | 0, Math.floor(x / 4294967296) | 0];
}

/** Java's doubleToLongBits words, with -0.0 as 0.0 (Spark normalises it before hashing). */
export function doubleWords(d: number): [number, number] {
  if (Number.isNaN(d)) return [0, 0x7ff80000];
  scratch.setFloat64(0, d === 0 ? 0 : d, true);
  return [scratch.getInt32(0, true), scratch.getInt32(4, true)];
}

const utf8 = new TextEncoder();

/** Java's floatToIntBits, with -0.0f as 0.0f. */
export function floatBits(f: number): number {
  if (Number.isNaN(f)) return 0x7fc00000;
  scratch.setFloat32(0, f === 0 ? 0 : f, true);
  return scratch.getInt32(0, true);
}

/** Java's BigInteger.toByteArray: the shortest big-endian two's complement bytes. */
function bigIntegerBytes(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = v;
  do { out.unshift(Number(BigInt.asUintN(8, x))); x >>= 8n; } while (!((x === 0n && (out[0]! & 0x80) === 0) || (x === -1n && (out[0]! & 0x80) !== 0)));
  return Uint8Array.from(out);
}

/**
 * Types the numeric work adds (tinyint, smallint, float, decimal with unscaled bigint values),
 * hashed as Spark's HashExpression does; null for other kinds.
 */
function numericWords(v: unknown, type: DataType): { int: number } | { long: bigint } | { bytes: Uint8Array } | null {
  const kind = type.kind as string;
  if (kind === "byte" || kind === "short") return { int: v as number };
  if (kind === "float") return { int: floatBits(v as number) };
  if (kind === "decimal") {
    const unscaled = BigInt(v as bigint | number);
    return (type as unknown as { precision: number }).precision <= 18 ? { long: unscaled } : { bytes: bigIntegerBytes(unscaled) };
  }
  return null;
}

/** Murmur3 of one internal value of `type` with seed `seed` (Spark's Murmur3Hash per argument). */
export function murmur3Value(v: unknown, type: DataType, seed: number): number {
  if (v === null || v === undefined) return seed;
  switch (type.kind) {
    case "boolean": return murmur3Int(v ? 1 : 0, seed);
    case "int": case "date": return murmur3Int(v as number, seed);
    case "long": case "timestamp": { const [l, h] = longWords(v as number | bigint); return murmur3Words(l, h, seed); }
    case "double": { const [l, h] = doubleWords(v as number); return murmur3Words(l, h, seed); }
    case "string": return murmur3Bytes(utf8.encode(v as string), seed);
    case "binary": return murmur3Bytes(v as Uint8Array, seed);
    case "array": { let h = seed; for (const e of v as unknown[]) h = murmur3Value(e, type.elementType, h); return h; }
    case "map": { let h = seed; for (const [k, x] of v as Map<unknown, unknown>) { h = murmur3Value(k, type.keyType, h); h = murmur3Value(x, type.valueType, h); } return h; }
    case "struct": { let h = seed; for (const f of type.fields) h = murmur3Value((v as Record<string, unknown>)[f.name], f.dataType, h); return h; }
    case "null": return seed;
    default: {
      const w = numericWords(v, type);
      if (w === null) return murmur3Bytes(utf8.encode(String(v)), seed);
      if ("int" in w) return murmur3Int(w.int, seed);
      if ("long" in w) { const [l, h] = longWords(w.long); return murmur3Words(l, h, seed); }
      return murmur3Bytes(w.bytes, seed);
    }
  }
}

// ---------- XXH64 (bigint arithmetic, wrapped to 64 bits) ----------

const M64 = (1n << 64n) - 1n;
const P1 = 0x9E3779B185EBCA87n, P2 = 0xC2B2AE3D27D4EB4Fn, P3 = 0x165667B19E3779F9n, P4 = 0x85EBCA77C2B2AE63n, P5 = 0x27D4EB2F165667C5n;

const mul = (a: bigint, b: bigint): bigint => (a * b) & M64;
const add = (a: bigint, b: bigint): bigint => (a + b) & M64;
const rotl64 = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M64;

function fmix64(h: bigint): bigint {
  h ^= h >> 33n;
  h = mul(h, P2);
  h ^= h >> 29n;
  h = mul(h, P3);
  h ^= h >> 32n;
  return h;
}

function round64(acc: bigint, input: bigint): bigint {
  return mul(rotl64(add(acc, mul(input, P2)), 31n), P1);
}

function mergeRound(h: bigint, v: bigint): bigint {
  return add(mul(h ^ round64(0n, v), P1), P4);
}

export function xxh64Int(x: number, seed: bigint): bigint {
  let h = add(add(seed, P5), 4n);
  h ^= mul(BigInt(x >>> 0), P1);
  h = add(mul(rotl64(h, 23n), P2), P3);
  return fmix64(h);
}

export function xxh64Long(x: bigint, seed: bigint): bigint {
  let h = add(add(seed, P5), 8n);
  h ^= mul(rotl64(mul(x & M64, P2), 31n), P1);
  h = add(mul(rotl64(h, 27n), P1), P4);
  return fmix64(h);
}

export function xxh64Bytes(b: Uint8Array, seed: bigint): bigint {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = b.length;
  let off = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = add(add(seed, P1), P2), v2 = add(seed, P2), v3 = seed, v4 = (seed - P1) & M64;
    do {
      v1 = round64(v1, view.getBigUint64(off, true));
      v2 = round64(v2, view.getBigUint64(off + 8, true));
      v3 = round64(v3, view.getBigUint64(off + 16, true));
      v4 = round64(v4, view.getBigUint64(off + 24, true));
      off += 32;
    } while (off <= n - 32);
    h = add(add(rotl64(v1, 1n), rotl64(v2, 7n)), add(rotl64(v3, 12n), rotl64(v4, 18n)));
    h = mergeRound(mergeRound(mergeRound(mergeRound(h, v1), v2), v3), v4);
  } else {
    h = add(seed, P5);
  }
  h = add(h, BigInt(n));
  for (; off <= n - 8; off += 8) {
    h ^= round64(0n, view.getBigUint64(off, true));
    h = add(mul(rotl64(h, 27n), P1), P4);
  }
  if (off + 4 <= n) {
    h ^= mul(BigInt(view.getUint32(off, true)), P1);
    h = add(mul(rotl64(h, 23n), P2), P3);
    off += 4;
  }
  for (; off < n; off++) {
    h ^= mul(BigInt(b[off]!), P5);
    h = mul(rotl64(h, 11n), P1);
  }
  return fmix64(h);
}

/** XXH64 of one internal value with seed `seed` (unsigned 64-bit bigints throughout). */
export function xxh64Value(v: unknown, type: DataType, seed: bigint): bigint {
  if (v === null || v === undefined) return seed;
  switch (type.kind) {
    case "boolean": return xxh64Int(v ? 1 : 0, seed);
    case "int": case "date": return xxh64Int(v as number, seed);
    case "long": case "timestamp": return xxh64Long(BigInt(v as number | bigint), seed);
    case "double": {
      const [l, h] = doubleWords(v as number);
      return xxh64Long((BigInt(h >>> 0) << 32n) | BigInt(l >>> 0), seed);
    }
    case "string": return xxh64Bytes(utf8.encode(v as string), seed);
    case "binary": return xxh64Bytes(v as Uint8Array, seed);
    case "array": { let h = seed; for (const e of v as unknown[]) h = xxh64Value(e, type.elementType, h); return h; }
    case "map": { let h = seed; for (const [k, x] of v as Map<unknown, unknown>) { h = xxh64Value(k, type.keyType, h); h = xxh64Value(x, type.valueType, h); } return h; }
    case "struct": { let h = seed; for (const f of type.fields) h = xxh64Value((v as Record<string, unknown>)[f.name], f.dataType, h); return h; }
    case "null": return seed;
    default: {
      const w = numericWords(v, type);
      if (w === null) return xxh64Bytes(utf8.encode(String(v)), seed);
      if ("int" in w) return xxh64Int(w.int, seed);
      if ("long" in w) return xxh64Long(w.long, seed);
      return xxh64Bytes(w.bytes, seed);
    }
  }
}
