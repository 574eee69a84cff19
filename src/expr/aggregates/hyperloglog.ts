import type { DataType } from "../../types/data-types.ts";
import { doubleWords, floatBits, longWords, xxh64Value } from "../functions/spark-hashes.ts";
import { xxh64BytesWords, xxh64IntWords, xxh64LongWords } from "../functions/xxhash64-words.ts";

/**
 * HyperLogLog++ registers for approx_count_distinct, laid out as Spark's HyperLogLogPlusPlusHelper
 * reads them: each value is hashed with Spark's XXH64 (seed 42, the same bytes as `xxhash64`), the
 * top p bits pick a register, and the register keeps the highest rank (leading zeros + 1) of the
 * remaining bits. Same hash, same registers, so the same estimate as Spark wherever Spark does not
 * apply its empirical bias table (see `estimate`).
 */

/** Spark's precision for a relative standard deviation: p = ceil(2·log2(1.106 / rsd)) (0.05 → 9). */
export function precisionFor(rsd: number): number {
  return Math.max(4, Math.ceil((2 * Math.log(1.106 / rsd)) / Math.LN2));
}

const SEED = 42;
const utf8 = new TextEncoder();
let utf8Scratch = new Uint8Array(1024);

/** Spark's hash of one non-null internal value (XXH64, seed 42, after Spark's float normalising), left in XXH64_OUT. */
export function sparkHash(value: unknown, type: DataType): void {
  switch (type.kind) {
    case "int": case "date": case "byte": case "short": xxh64IntWords(value as number, 0, SEED); return;
    case "boolean": xxh64IntWords(value ? 1 : 0, 0, SEED); return;
    case "float": xxh64IntWords(floatBits(value as number), 0, SEED); return;
    case "long": case "timestamp": {
      if (typeof value === "number") xxh64LongWords(Math.floor(value / 4294967296) | 0, value % 4294967296 | 0, 0, SEED);
      else { const [lo, hi] = longWords(value as bigint); xxh64LongWords(hi, lo, 0, SEED); }
      return;
    }
    case "double": { const [lo, hi] = doubleWords(value as number); xxh64LongWords(hi, lo, 0, SEED); return; }
    case "string": {
      const text = value as string;
      if (utf8Scratch.length < text.length * 3) utf8Scratch = new Uint8Array(text.length * 3);
      const { written } = utf8.encodeInto(text, utf8Scratch);
      xxh64BytesWords(utf8Scratch, 0, written, 0, SEED);
      return;
    }
    default: xxh64Value(value, type, 0, SEED);
  }
}

/** Raises the register of one 64-bit hash (hi:lo) in the sketch at `offset`. */
export function addHash(regs: Uint8Array, offset: number, p: number, hi: number, lo: number): void {
  const index = hi >>> (32 - p);
  // w = (hash << p) | 2^(p-1): the padding bit bounds the run of zeros at 64 - p.
  const wHi = ((hi << p) | (lo >>> (32 - p))) >>> 0;
  const wLo = ((lo << p) | (1 << (p - 1))) >>> 0;
  const rank = (wHi !== 0 ? Math.clz32(wHi) : 32 + Math.clz32(wLo)) + 1;
  if (rank > regs[offset + index]!) regs[offset + index] = rank;
}

/**
 * Below these raw estimates HLL++ trusts linear counting (the thresholds of Heule, Nunkesser and
 * Hall's HLL++ paper, by precision 4..18, as Spark uses them).
 */
const LINEAR_COUNTING_LIMIT = [10, 20, 40, 80, 220, 400, 900, 1800, 3100, 6500, 15500, 20000, 50000, 120000, 350000];

function alphaM2(m: number): number {
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  return alpha * m * m;
}

/**
 * The sketch's estimate. Equal to Spark's for linear counting (small sets, up to the precision's
 * threshold: 400 at p = 9) and for raw estimates above 5m. Between the two Spark subtracts a bias
 * interpolated from the HLL++ paper's empirical tables; rivulet keeps linear counting there while
 * a register is still empty (the bias tables exist to mend the raw estimate's overshoot in exactly
 * that band), so answers in that band may differ from Spark's by a few percent of the count.
 */
export function estimate(regs: Uint8Array, offset: number, p: number): number {
  const m = 1 << p;
  let inverseSum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = regs[offset + i]!;
    inverseSum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = alphaM2(m) / inverseSum;
  if (zeros === 0) return Math.round(raw);
  const linear = m * Math.log(m / zeros);
  const limit = p < 19 ? LINEAR_COUNTING_LIMIT[p - 4]! : 0;
  if (linear <= limit || raw <= 2.5 * m) return Math.round(linear);
  return Math.round(p < 19 && raw < 5 * m ? linear : raw);
}
