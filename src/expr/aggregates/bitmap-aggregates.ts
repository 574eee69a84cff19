import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { BinaryType, isIntegral, LongType, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { RowAccumulator } from "./row-accumulator.ts";

/**
 * Spark 3.5's bitmap aggregates over one 32768-bit bucket (BitmapExpressionUtils: 4096 bytes):
 * bitmap_construct_agg sets the bit of each position (bitmap_bit_position's values),
 * bitmap_or_agg ORs bitmaps together. Both give the 4096 bytes, all zero over no rows.
 */

const BITMAP_BYTES = 4096;
const BITMAP_BITS = BITMAP_BYTES * 8;

function oneArgument(name: string, args: readonly Expression[], accepts: (t: DataType) => boolean, expected: string, to: DataType): Expression[] {
  if (args.length !== 1) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 1 parameters but the actual number is ${args.length}.`);
  const t = typeOf(args[0]!);
  if (!accepts(t)) {
    throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}" due to data type mismatch: Parameter 1 requires the "${expected}" type, however it has the type "${typeName(t).toUpperCase()}".`);
  }
  return [castIfNeeded(args[0]!, to)];
}

const bitmapResult = (bitmap: Uint8Array | undefined): Uint8Array => bitmap ?? new Uint8Array(BITMAP_BYTES);

function orInto(into: Uint8Array, bits: Uint8Array): Uint8Array {
  const n = Math.min(into.length, bits.length);
  for (let i = 0; i < n; i++) into[i] = into[i]! | bits[i]!;
  return into;
}

/** bitmap_construct_agg(position): the bitmap with each row's bit set; a position outside [0, 32768) fails, as in Spark. */
const bitmapConstructAgg: AggregateFunction = {
  name: "bitmap_construct_agg",
  resolve(args) {
    return { args: oneArgument("bitmap_construct_agg", args, (t) => isIntegral(t) || t.kind === "null", "BIGINT", LongType), dataType: BinaryType };
  },
  createAccumulator: () => new RowAccumulator<Uint8Array>(BinaryType, {
    add(bitmap, [value]) {
      const position = Number(value as number | bigint);
      if (!(position >= 0 && position < BITMAP_BITS)) {
        throw new ExecutionError(`[INVALID_BITMAP_POSITION] The 0-indexed bitmap position ${String(value)} is out of bounds. The bitmap has ${BITMAP_BITS} bits (${BITMAP_BYTES} bytes).`);
      }
      const out = bitmap ?? new Uint8Array(BITMAP_BYTES);
      out[position >> 3] = out[position >> 3]! | (1 << (position & 7));
      return out;
    },
    merge: orInto,
    result: bitmapResult,
  }),
};

/** bitmap_or_agg(bitmap): the OR of the rows' bitmaps (a shorter one ORs into the first bytes). */
const bitmapOrAgg: AggregateFunction = {
  name: "bitmap_or_agg",
  resolve(args) {
    return { args: oneArgument("bitmap_or_agg", args, (t) => t.kind === "binary" || t.kind === "null", "BINARY", BinaryType), dataType: BinaryType };
  },
  createAccumulator: () => new RowAccumulator<Uint8Array>(BinaryType, {
    add: (bitmap, [value]) => orInto(bitmap ?? new Uint8Array(BITMAP_BYTES), value as Uint8Array),
    merge: orInto,
    result: bitmapResult,
  }),
};

export const bitmapAggregates: AggregateFunction[] = [bitmapConstructAgg, bitmapOrAgg];
