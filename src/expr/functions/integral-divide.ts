import { AnalysisError } from "../../common/errors.ts";
import { bigIntAt, longVecFromBigInts, longVecFromDoubles, wrapLong } from "../../columnar/long-values.ts";
import { DoubleType, LongType, isAnsiInterval, isIntegral, isNumeric, typeName } from "../../types/data-types.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { asNum, mergeValid } from "../vec-ops.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `a div b` / div(a, b), Spark's IntegralDivide: a BIGINT quotient truncated toward zero,
 * null when b is 0 (non-ANSI). Integral operands divide exactly as Java longs do, so
 * Long.MIN_VALUE div -1 wraps to Long.MIN_VALUE; other numbers divide as doubles, the
 * quotient cast to BIGINT. Two ANSI intervals of one family divide as their months or
 * microseconds (`INTERVAL '1-1' YEAR TO MONTH div INTERVAL '-1' MONTH` is -13).
 */
export const integralDivide: ScalarFunction = {
  name: "div",
  display: ([a, b]) => `(${a} div ${b})`,
  resolve(args) {
    if (args.length !== 2) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`div\` requires 2 parameters but the actual number is ${args.length}.`);
    const types = args.map((a) => typeOf(a));
    if (isAnsiInterval(types[0]!) && isAnsiInterval(types[1]!) && types[0]!.kind === types[1]!.kind) {
      // Their months or microseconds, uncast (a cast to BIGINT would give whole years or days).
      return { args, dataType: LongType };
    }
    for (const t of types) {
      if (!isNumeric(t) && t.kind !== "null" && t.kind !== "string") throw new AnalysisError(`cannot resolve 'div' due to data type mismatch: differing or non-numeric types ${types.map(typeName).join(" and ")}`);
    }
    const integral = types.every((t) => isIntegral(t) || t.kind === "null");
    return { args: args.map((a) => castIfNeeded(a, integral ? LongType : DoubleType)), dataType: LongType };
  },
  evaluate([a, b], n) {
    const x = asNum(a!), y = asNum(b!);
    let valid = mergeValid(n, x, y);
    const isZero = (i: number): boolean => y.values[i] === 0;
    const markNull = (i: number): void => { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; };
    if (x.type.kind === "long") {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        if (isZero(i)) { markNull(i); continue; }
        out[i] = wrapLong(bigIntAt(x, i) / bigIntAt(y, i));
      }
      return longVecFromBigInts(LongType, out, valid);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (isZero(i)) markNull(i);
      else out[i] = isAnsiInterval(x.type) ? Math.trunc(x.values[i]! / y.values[i]!) : x.values[i]! / y.values[i]!;
    }
    return longVecFromDoubles(LongType, out, valid);
  },
};
