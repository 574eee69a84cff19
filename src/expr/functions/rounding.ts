import { AnalysisError } from "../../common/errors.ts";
import { bigIntAt, longVecFromBigInts, longVecFromDoubles, wrapLong } from "../../columnar/long-values.ts";
import { divideHalfEven, divideHalfUp, pow10 } from "../../columnar/decimal-values.ts";
import { DoubleType, LongType, MAX_DECIMAL_PRECISION, DecimalType, isIntegral, isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { decimalForType } from "../decimal-precision.ts";
import type { Expression, Literal } from "../expression.ts";
import { asNum, numVec } from "../vec-ops.ts";
import { floorDecimal, mapDecimals, roundDecimal } from "./decimal-arithmetic.ts";
import type { ResolvedSignature, ScalarFunction } from "./scalar-function.ts";

/**
 * floor, ceil, round, bround with Spark's result types: floor/ceil give a long (a decimal
 * DECIMAL(p − s + 1, 0)), with a scale a decimal as round's; round/bround keep the type (a decimal gets the scale it is rounded
 * to). Integers rounded to a negative scale are exact (bigint) and wrap as Java's narrowing.
 */

/**
 * floor/ceil: a long, Java's (long) of the rounded double (saturating); a decimal stays exact.
 * With a scale (Spark 3.3+ `ceil(x, 3)`, RoundCeil/RoundFloor) the input becomes a decimal and is
 * rounded toward +/- infinity to that many digits (negative: tens, hundreds…), as round's types.
 */
function floorCeil(name: string, f: (x: number) => number): ScalarFunction {
  const ceil = name === "ceil";
  return {
    name,
    resolve: (args) => {
      if (args.length === 2) return resolveWithScale(name, args);
      const t = typeOf(args[0]!);
      if (t.kind === "decimal") return { args, dataType: t.scale === 0 ? t : DecimalType(Math.min(t.precision - t.scale + 1, MAX_DECIMAL_PRECISION), 0) };
      // A long is its own floor (not through a double, which would round it).
      return { args: [castIfNeeded(args[0]!, isIntegral(t) ? LongType : DoubleType)], dataType: LongType };
    },
    evaluate([a], n, _ctx, call) {
      if (call.args.length === 2) {
        const type = call.dataType as DecimalType;
        const digits = Number((call.args[1] as Literal).value);
        const from = (a!.type as DecimalType).scale;
        // Round at `digits` (the quotient is at scale `digits`), then move to the result scale.
        if (digits >= from) return mapDecimals(a!, n, type, (u) => u);
        const down = from - digits;
        return digits >= 0
          ? mapDecimals(a!, n, type, (u) => floorDecimal(u, down, ceil))
          : mapDecimals(a!, n, type, (u) => floorDecimal(u, down, ceil) * pow10(-digits));
      }
      const type = call.dataType!;
      if (type.kind === "decimal") {
        const from = (a!.type as DecimalType).scale;
        return mapDecimals(a!, n, type, (u) => floorDecimal(u, from, ceil));
      }
      const x = asNum(a!);
      if (x.type.kind === "long") return x;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x.values[i]!);
      return longVecFromDoubles(type, out, x.valid);
    },
  };
}

/** Spark's CeilFloorExpressionBuilderBase: the scale is a constant INT; the input is cast to a decimal (DecimalType.forType). */
function resolveWithScale(name: string, args: readonly Expression[]): ResolvedSignature {
  const scale = args[1]!;
  if (scale.kind !== "Literal" || typeOf(scale).kind !== "int" || scale.value === null) {
    throw new AnalysisError(`[NON_FOLDABLE_ARGUMENT] The function \`${name}\` requires the parameter \`scale\` to be a foldable expression of the type "INT", but the actual argument is a non-foldable.`);
  }
  const t = typeOf(args[0]!);
  const asDecimal = scaledInputType(t);
  if (asDecimal === null) throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}(…, ${String(scale.value)})" due to data type mismatch: the first parameter requires the "DECIMAL" type, however it has the type "${typeName(t).toUpperCase()}".`);
  return { args: [castIfNeeded(args[0]!, asDecimal), scale], dataType: roundedDecimalType(asDecimal, Number(scale.value)) };
}

/** The decimal an implicit cast gives (Spark's DecimalType.forType; a string as DECIMAL(38,18)). */
function scaledInputType(t: DataType): DecimalType | null {
  switch (t.kind) {
    case "float": return DecimalType(14, 7);
    case "double": return DecimalType(30, 15);
    case "string": return DecimalType(MAX_DECIMAL_PRECISION, 18);
    default: return decimalForType(t);
  }
}

/** Spark's RoundBase.dataType for a decimal rounded to `digits`. */
function roundedDecimalType(t: DecimalType, digits: number): DecimalType {
  const integral = t.precision - t.scale + 1;
  if (digits < 0) return DecimalType(Math.min(Math.max(integral, -digits + 1), MAX_DECIMAL_PRECISION), 0);
  const scale = Math.min(t.scale, digits);
  return DecimalType(Math.min(integral + scale, MAX_DECIMAL_PRECISION), scale);
}

const INT_BITS: Partial<Record<DataType["kind"], number>> = { byte: 8, short: 16, int: 32 };

function roundFn(name: string, mode: "half_up" | "half_even"): ScalarFunction {
  const divide = mode === "half_up" ? divideHalfUp : divideHalfEven;
  return {
    name,
    resolve(args) {
      const t = typeOf(args[0]!);
      if (!isNumeric(t)) throw new AnalysisError(`${name}(): argument must be numeric, not ${typeName(t)}`);
      if (args[1] && args[1].kind !== "Literal") throw new AnalysisError(`${name}(): the scale must be a constant`);
      const digits = args[1] && args[1].kind === "Literal" ? Number(args[1].value) : 0;
      return { args, dataType: t.kind === "decimal" ? roundedDecimalType(t, digits) : t };
    },
    evaluate(vecs, n, _ctx, call) {
      const scaleArg = call.args[1];
      const scale = scaleArg && scaleArg.kind === "Literal" ? Number(scaleArg.value) : 0;
      const type = call.dataType!;
      if (type.kind === "decimal") {
        const from = (vecs[0]!.type as DecimalType).scale;
        return mapDecimals(vecs[0]!, n, type, (u) => roundDecimal(u, from, scale, type.scale, mode));
      }
      const x = asNum(vecs[0]!);
      if (isIntegral(x.type)) {
        // Integers are whole: rounding to a non-negative scale keeps them (and their exact values).
        if (scale >= 0) return x;
        // To tens, hundreds…: exactly, as BigDecimal.setScale, then Java's narrowing to the type.
        const d = pow10(-scale);
        const bits = INT_BITS[x.type.kind];
        if (bits === undefined) {
          const out = new BigInt64Array(n);
          for (let i = 0; i < n; i++) out[i] = wrapLong(divide(bigIntAt(x, i), d) * d);
          return longVecFromBigInts(type, out, x.valid);
        }
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(bits, divide(BigInt(x.values[i]!), d) * d));
        return numVec(type, out, x.valid);
      }
      const out = new Float64Array(n);
      const single = type.kind === "float";
      for (let i = 0; i < n; i++) {
        const r = roundDouble(x.values[i]!, scale, divide);
        out[i] = single ? Math.fround(r) : r;
      }
      return numVec(type, out, x.valid);
    },
  };
}

/**
 * A double rounded as Spark's RoundBase: `BigDecimal(d)` (the double's shortest decimal text, so
 * 1.005 is 1.005, not 1.00499999999999989…) set to `scale` digits, then back to a double.
 * NaN and infinities stay; a value with no more digits than `scale` is already rounded.
 */
function roundDouble(d: number, scale: number, divide: (n: bigint, d: bigint) => bigint): number {
  if (!Number.isFinite(d)) return d;
  // BigDecimal has no negative zero: -0.0 comes back as 0.0.
  if (scale >= 0 && Number.isInteger(d)) return d === 0 ? 0 : d;
  const text = String(d);
  const e = text.indexOf("e");
  const mantissa = e < 0 ? text : text.slice(0, e);
  const point = mantissa.indexOf(".");
  const fraction = point < 0 ? 0 : mantissa.length - point - 1;
  // d = unscaled × 10^-digits
  const digits = fraction - (e < 0 ? 0 : Number(text.slice(e + 1)));
  if (digits <= scale) return d;
  const unscaled = BigInt(point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1));
  const rounded = divide(unscaled, pow10(digits - scale));
  return Number(`${rounded}e${-scale}`);
}

export const roundingFunctions: ScalarFunction[] = [
  floorCeil("floor", Math.floor),
  { ...floorCeil("ceil", Math.ceil), aliases: ["ceiling"] },
  roundFn("round", "half_up"),
  roundFn("bround", "half_even"),
];
