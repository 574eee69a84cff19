import type { DataType } from "../../types/data-types.ts";
import { XXH64_OUT, xxh64BytesWords, xxh64IntWords, xxh64LongWords } from "./xxhash64-words.ts";

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

// ---------- XXH64 (xxhash64-words.ts: 32-bit halves, no bigints) ----------

let utf8Scratch = new Uint8Array(256);

function xxh64Utf8(text: string, seedHi: number, seedLo: number): void {
  if (utf8Scratch.length < text.length * 3) utf8Scratch = new Uint8Array(text.length * 3);
  const { written } = utf8.encodeInto(text, utf8Scratch);
  xxh64BytesWords(utf8Scratch, 0, written, seedHi, seedLo);
}

function xxh64LongValue(x: number | bigint, seedHi: number, seedLo: number): void {
  if (typeof x === "number") xxh64LongWords(Math.floor(x / 4294967296) | 0, x % 4294967296 | 0, seedHi, seedLo);
  else { const [lo, hi] = longWords(x); xxh64LongWords(hi, lo, seedHi, seedLo); }
}

/**
 * XXH64 of one internal value of `type` seeded by the 64-bit (seedHi:seedLo), left in XXH64_OUT as
 * [high word, low word] (Spark's XxHash64 per argument); a null leaves the seed there.
 */
export function xxh64Value(v: unknown, type: DataType, seedHi: number, seedLo: number): void {
  if (v === null || v === undefined) { XXH64_OUT[0] = seedHi; XXH64_OUT[1] = seedLo; return; }
  switch (type.kind) {
    case "boolean": xxh64IntWords(v ? 1 : 0, seedHi, seedLo); return;
    case "int": case "date": xxh64IntWords(v as number, seedHi, seedLo); return;
    case "long": case "timestamp": xxh64LongValue(v as number | bigint, seedHi, seedLo); return;
    case "double": { const [lo, hi] = doubleWords(v as number); xxh64LongWords(hi, lo, seedHi, seedLo); return; }
    case "string": xxh64Utf8(v as string, seedHi, seedLo); return;
    case "binary": xxh64BytesWords(v as Uint8Array, 0, (v as Uint8Array).length, seedHi, seedLo); return;
    case "array": {
      XXH64_OUT[0] = seedHi; XXH64_OUT[1] = seedLo;
      for (const e of v as unknown[]) xxh64Value(e, type.elementType, XXH64_OUT[0]!, XXH64_OUT[1]!);
      return;
    }
    case "map": {
      XXH64_OUT[0] = seedHi; XXH64_OUT[1] = seedLo;
      for (const [k, x] of v as Map<unknown, unknown>) {
        xxh64Value(k, type.keyType, XXH64_OUT[0]!, XXH64_OUT[1]!);
        xxh64Value(x, type.valueType, XXH64_OUT[0]!, XXH64_OUT[1]!);
      }
      return;
    }
    case "struct": {
      XXH64_OUT[0] = seedHi; XXH64_OUT[1] = seedLo;
      for (const f of type.fields) xxh64Value((v as Record<string, unknown>)[f.name], f.dataType, XXH64_OUT[0]!, XXH64_OUT[1]!);
      return;
    }
    case "null": XXH64_OUT[0] = seedHi; XXH64_OUT[1] = seedLo; return;
    default: {
      const w = numericWords(v, type);
      if (w === null) { xxh64Utf8(String(v), seedHi, seedLo); return; }
      if ("int" in w) { xxh64IntWords(w.int, seedHi, seedLo); return; }
      if ("long" in w) { xxh64LongValue(w.long, seedHi, seedLo); return; }
      xxh64BytesWords(w.bytes, 0, w.bytes.length, seedHi, seedLo);
    }
  }
}
