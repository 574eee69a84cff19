import { BinaryType, LongType } from "../../types/data-types.ts";
import { defineFunction } from "./define-function.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * Spark 3.5's bitmap functions over 32768-bit buckets (BitmapExpressionUtils): the bucket
 * and bit a value maps to, and the set bits of a bitmap. The bitmap aggregates are aggregates.
 */

const BITMAP_BITS = 4096n * 8n;

/** bitmap_bit_position(x): the bit of x in its bucket. */
const bitmapBitPosition = defineFunction({
  name: "bitmap_bit_position", types: [LongType], result: LongType,
  f: (x: number | bigint) => { const v = BigInt(x); return Number(v > 0n ? (v - 1n) % BITMAP_BITS : -v % BITMAP_BITS); },
});

/** bitmap_bucket_number(x): the bucket of x, 1-based for positive x (`bitmap_bucket_number(123)` is 1). */
const bitmapBucketNumber = defineFunction({
  name: "bitmap_bucket_number", types: [LongType], result: LongType,
  f: (x: number | bigint) => { const v = BigInt(x); return Number(v > 0n ? 1n + (v - 1n) / BITMAP_BITS : v / BITMAP_BITS); },
});

/** bitmap_count(bitmap): the number of bits set (`bitmap_count(X'1010')` is 2). */
const bitmapCount = defineFunction({
  name: "bitmap_count", types: [BinaryType], result: LongType,
  f: (b: Uint8Array) => {
    let count = 0;
    for (const byte of b) for (let x = byte; x !== 0; x &= x - 1) count++;
    return count;
  },
});

export const bitmapFunctions: ScalarFunction[] = [bitmapBitPosition, bitmapBucketNumber, bitmapCount];
