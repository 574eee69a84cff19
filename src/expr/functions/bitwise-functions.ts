import { ExecutionError } from "../../common/errors.ts";
import { bigIntOfLong, longOfBigInt } from "../../columnar/long-values.ts";
import { ByteType, IntegerType, LongType, StringType, isIntegral, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** shiftleft, shiftright, shiftrightunsigned, bit_count, bit_get, bin and conv: Java's two's-complement integers. */

const asLong = (x: unknown): bigint => bigIntOfLong(x as number | bigint);

/** A shift of an int or a bigint (tinyint and smallint become int); the count is masked as Java's (& 31, & 63). */
function shift(name: string, int: (a: number, k: number) => number, long: (a: bigint, k: bigint) => bigint): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      const t = typeOf(args[0]!);
      const type: DataType = t.kind === "long" ? LongType : IntegerType;
      if (!isIntegral(t) && t.kind !== "null" && t.kind !== "string") throw typeMismatch(name, args, 0, "int or bigint");
      return { args: [castIfNeeded(args[0]!, type), coerceArg(name, args, 1, IntegerType)], dataType: type };
    },
    evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([a, k]) =>
      call.dataType!.kind === "int" ? int(a as number, (k as number) & 31) : longOfBigInt(BigInt.asIntN(64, long(asLong(a), BigInt((k as number) & 63))))),
  };
}

/** Java's Long.bitCount of the value sign-extended to 64 bits (Spark counts every integral type so). */
function bitCount64(x: bigint): number {
  let u = BigInt.asUintN(64, x), c = 0;
  while (u !== 0n) { u &= u - 1n; c++; }
  return c;
}

const bitCount: ScalarFunction = {
  name: "bit_count",
  resolve(args) {
    checkArity("bit_count", args, 1);
    const t = typeOf(args[0]!);
    if (!isIntegral(t) && t.kind !== "boolean" && t.kind !== "null") throw typeMismatch("bit_count", args, 0, "integral or boolean");
    return { args, dataType: IntegerType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, IntegerType, ([x]) => (typeof x === "boolean" ? (x ? 1 : 0) : bitCount64(asLong(x)))),
};

const BITS: Partial<Record<DataType["kind"], number>> = { byte: 8, short: 16, int: 32, long: 64 };

/** bit_get(x, pos): the bit at pos (0 is the least significant) as a tinyint; pos outside the type's bits fails. */
function bitGet(name: string): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      const t = typeOf(args[0]!);
      if (!isIntegral(t) && t.kind !== "null") throw typeMismatch(name, args, 0, "integral");
      return { args: [args[0]!, coerceArg(name, args, 1, IntegerType)], dataType: ByteType };
    },
    evaluate: (vecs, n, _ctx, call) => {
      const bits = BITS[typeOf(call.args[0]!).kind] ?? 64;
      return mapRows(vecs, n, ByteType, ([x, p]) => {
        const pos = p as number;
        if (pos < 0 || pos >= bits) {
          throw new ExecutionError(`[INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE] The value of parameter(s) \`pos\` in \`${name}\` is invalid: expects an integer value in [0, ${bits}), but got ${pos}.`);
        }
        return Number((asLong(x) >> BigInt(pos)) & 1n);
      });
    },
  };
}

/** bin(x): Long.toBinaryString, the 64-bit two's complement for negatives. */
const bin: ScalarFunction = {
  name: "bin",
  resolve(args) {
    checkArity("bin", args, 1);
    return { args: [coerceArg("bin", args, 0, LongType)], dataType: StringType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, StringType, ([x]) => BigInt.asUintN(64, asLong(x)).toString(2)),
};

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const U64_MAX = (1n << 64n) - 1n;

/**
 * conv(num, fromBase, toBase), as Spark's NumberConverter: the digits up to the first one
 * invalid in fromBase make an unsigned 64-bit value (saturating at 2^64 − 1; a leading '-'
 * negates it in two's complement); a negative toBase prints it signed. Bases outside
 * 2..36 (in absolute value) give null.
 */
export function conv(s: string, fromBase: number, toBase: number): string | null {
  const from = Math.abs(fromBase), to = Math.abs(toBase);
  if (from < 2 || from > 36 || to < 2 || to > 36 || s.length === 0) return null;
  let negative = s[0] === "-";
  let value = 0n;
  for (let i = negative ? 1 : 0; i < s.length; i++) {
    const d = DIGITS.indexOf(s[i]!.toUpperCase());
    if (d < 0 || d >= from) break;
    value = value * BigInt(from) + BigInt(d);
    if (value > U64_MAX) { value = U64_MAX; break; }
  }
  // A leading '-' negates in two's complement; a magnitude of 2^63 or more saturates to -1.
  if (negative && toBase > 0) value = BigInt.asIntN(64, value) < 0n ? U64_MAX : BigInt.asUintN(64, -value);
  if (toBase < 0 && BigInt.asIntN(64, value) < 0n) { value = -BigInt.asIntN(64, value); negative = true; }
  const text = value.toString(to).toUpperCase();
  return negative && toBase < 0 ? `-${text}` : text;
}

const convFn: ScalarFunction = {
  name: "conv",
  resolve(args) {
    checkArity("conv", args, 3);
    return { args: [coerceArg("conv", args, 0, StringType), coerceArg("conv", args, 1, IntegerType), coerceArg("conv", args, 2, IntegerType)], dataType: StringType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, StringType, ([s, f, t]) => conv(s as string, f as number, t as number)),
};

export const bitwiseFunctions: ScalarFunction[] = [
  shift("shiftleft", (a, k) => a << k, (a, k) => a << k),
  shift("shiftright", (a, k) => a >> k, (a, k) => a >> k),
  shift("shiftrightunsigned", (a, k) => (a >>> k) | 0, (a, k) => BigInt.asUintN(64, a) >> k),
  bitCount, bitGet("bit_get"), bitGet("getbit"), bin, convFn,
];
