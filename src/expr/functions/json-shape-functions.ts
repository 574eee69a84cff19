import { ArrayType, IntegerType, LongType, StringType } from "../../types/data-types.ts";
import { defineFunction } from "./define-function.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** json_array_length, json_object_keys (the shape of a JSON string's outermost value) and bitmap_bit_position. */

function parsed(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

/** json_array_length(json): the elements of the outermost array; null when it is not a valid JSON array. */
const jsonArrayLength = defineFunction({
  name: "json_array_length", types: [StringType], result: IntegerType,
  f: (s: string) => { const p = parsed(s); return p.ok && Array.isArray(p.value) ? p.value.length : null; },
});

/** json_object_keys(json): the outermost object's keys in order; null when it is not a valid JSON object. */
const jsonObjectKeys = defineFunction({
  name: "json_object_keys", types: [StringType], result: ArrayType(StringType),
  f: (s: string) => {
    const p = parsed(s);
    return p.ok && p.value !== null && typeof p.value === "object" && !Array.isArray(p.value) ? Object.keys(p.value as object) : null;
  },
});

const BITMAP_BITS = 4096 * 8;

/** bitmap_bit_position(x): the bit of x in its 32768-bit bitmap bucket (Spark's BitmapExpressionUtils). */
const bitmapBitPosition = defineFunction({
  name: "bitmap_bit_position", types: [LongType], result: LongType,
  f: (x: number | bigint) => { const v = BigInt(x); return Number(v > 0n ? (v - 1n) % BigInt(BITMAP_BITS) : -v % BigInt(BITMAP_BITS)); },
});

export const jsonShapeFunctions: ScalarFunction[] = [jsonArrayLength, jsonObjectKeys, bitmapBitPosition];
