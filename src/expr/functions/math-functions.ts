import { BooleanType, DoubleType, FloatType, IntegerType, LongType, isAnsiInterval, isNumeric, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { asNum, boolVec, constantVec, mapRows, numVec } from "../vec-ops.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import { requireFunction } from "./registry.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import type { Expression } from "../expression.ts";

/**
 * Spark's math functions over doubles (java.lang.StrictMath: NaN outside a function's
 * domain), the logarithms (null where x ≤ 0, as Spark's UnaryLogExpression), and pmod,
 * signum, factorial, rint, isnan, nanvl, width_bucket. Auto-generated column names follow
 * Spark's: `SIN(x)`, `LOG10(x)`, `POWER(2, 3)` but `pow(2, 3)`, `sign(x)`.
 */

const upper = (label: string) => (args: readonly string[]): string => `${label}(${args.join(", ")})`;

function checkNumeric(name: string, args: readonly Expression[], k: number): void {
  const t = typeOf(args[k]!);
  if (!isNumeric(t) && t.kind !== "null" && t.kind !== "string") throw typeMismatch(name, args, k, "double");
}

/** A one-argument function of a double giving a double; `nullBelow`: null where x ≤ that bound (the logarithms). */
function doubleMath(name: string, label: string, f: (x: number) => number, nullAtOrBelow?: number): ScalarFunction {
  return {
    name,
    display: upper(label),
    resolve(args) {
      checkArity(name, args, 1);
      checkNumeric(name, args, 0);
      return { args: [castIfNeeded(args[0]!, DoubleType)], dataType: DoubleType };
    },
    evaluate([a], n) {
      const x = asNum(a!);
      const out = new Float64Array(n);
      let valid = x.valid;
      for (let i = 0; i < n; i++) {
        const v = x.values[i]!;
        if (nullAtOrBelow !== undefined && v <= nullAtOrBelow) {
          valid ??= new Uint8Array(n).fill(1);
          if (valid === x.valid) valid = valid.slice();
          valid[i] = 0;
        } else out[i] = f(v);
      }
      return numVec(DoubleType, out, valid);
    },
  };
}

/** A two-argument function of doubles; `f` returning null makes that row null. */
function doubleMath2(name: string, label: string, f: (a: number, b: number) => number | null): ScalarFunction {
  return {
    name,
    display: upper(label),
    resolve(args) {
      checkArity(name, args, 2);
      checkNumeric(name, args, 0);
      checkNumeric(name, args, 1);
      return { args: args.map((a) => castIfNeeded(a, DoubleType)), dataType: DoubleType };
    },
    evaluate: (vecs, n) => mapRows(vecs, n, DoubleType, ([a, b]) => f(a as number, b as number)),
  };
}

/** Java's Math.rint: the nearest integer, ties to even. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Spark's definitions (not Math.asinh…), so results agree with Spark to the last bit. */
const acosh = (x: number): number => Math.log(x + Math.sqrt(x * x - 1));
const asinh = (x: number): number => (x === -Infinity ? -Infinity : Math.log(x + Math.sqrt(x * x + 1)));
const atanh = (x: number): number => 0.5 * (Math.log1p(x) - Math.log1p(-x));

const logarithm: ScalarFunction = {
  name: "log",
  display: (args) => `LOG(${args.join(", ")})`,
  resolve(args) {
    checkArity("log", args, 1, 2);
    args.forEach((_, k) => checkNumeric("log", args, k));
    return { args: args.map((a) => castIfNeeded(a, DoubleType)), dataType: DoubleType };
  },
  evaluate(vecs, n, ctx, call) {
    if (vecs.length === 1) return requireFunction("ln").evaluate(vecs, n, ctx, call);
    return mapRows(vecs, n, DoubleType, ([b, x]) => ((b as number) <= 0 || (x as number) <= 0 ? null : Math.log(x as number) / Math.log(b as number)));
  },
};

const constant = (name: string, value: number): ScalarFunction => ({
  name,
  display: () => `${name.toUpperCase()}()`,
  resolve(args) {
    checkArity(name, args, 0);
    return { args, dataType: DoubleType };
  },
  evaluate: (_v, n) => constantVec(value, DoubleType, n),
});

/** signum/sign: a double (Spark casts the argument to double); of an ANSI interval, the sign of its months or microseconds. */
const signum = (name: string, label: string): ScalarFunction => {
  const f = doubleMath(name, label, (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : x));
  return {
    ...f,
    resolve: (args) => (args.length === 1 && isAnsiInterval(typeOf(args[0]!)) ? { args, dataType: DoubleType } : f.resolve(args)),
  };
};

/** positive(x): x itself, printed `(+ x)`. */
const positive: ScalarFunction = {
  name: "positive",
  display: ([a]) => `(+ ${a})`,
  resolve(args) {
    checkArity("positive", args, 1);
    const t = typeOf(args[0]!);
    if (!isNumeric(t) && t.kind !== "null" && t.kind !== "interval" && t.kind !== "interval_ym" && t.kind !== "interval_dt") {
      throw typeMismatch("positive", args, 0, "numeric");
    }
    return { args, dataType: t };
  },
  evaluate: ([a]) => a!,
};

/** pmod(a, n): the positive remainder, ((a % n) + n) % n; null when n is 0. The types of `%`. */
const pmod: ScalarFunction = {
  name: "pmod",
  resolve(args) {
    checkArity("pmod", args, 2);
    return requireFunction("mod").resolve(args);
  },
  evaluate(vecs, n, ctx, call) {
    const r = requireFunction("mod").evaluate(vecs, n, ctx, call);
    const type = call.dataType!;
    // A decimal divisor's unscaled value, brought to the result's scale.
    const divisorType = vecs[1]!.type;
    const rescale = type.kind === "decimal" && divisorType.kind === "decimal" ? 10n ** BigInt(type.scale - divisorType.scale) : 1n;
    return mapRows([r, vecs[1]!], n, type, ([x, m]) => {
      if (typeof x === "bigint" || typeof m === "bigint") {
        const a = BigInt(x as bigint | number), b = BigInt(m as bigint | number) * rescale;
        return a < 0n ? (a + b) % b : a;
      }
      const a = x as number, b = m as number;
      if (a >= 0 || Number.isNaN(a)) return a;
      // Java's % on ints wraps the sum; doubles and longs in the safe range add exactly.
      const sum = type.kind === "int" ? (a + b) | 0 : type.kind === "short" ? ((a + b) << 16) >> 16 : type.kind === "byte" ? ((a + b) << 24) >> 24 : a + b;
      return sum % b;
    });
  },
};

const FACTORIALS: number[] = [1];
for (let k = 1; k <= 20; k++) FACTORIALS.push(FACTORIALS[k - 1]! * k);

/** factorial(n): a bigint for 0 ≤ n ≤ 20, else null. */
const factorial: ScalarFunction = {
  name: "factorial",
  resolve(args) {
    checkArity("factorial", args, 1);
    return { args: [coerceArg("factorial", args, 0, IntegerType)], dataType: LongType };
  },
  // 20! exceeds 2^53: exact as a bigint.
  evaluate: (vecs, n) => mapRows(vecs, n, LongType, ([x]) => {
    const k = x as number;
    if (k < 0 || k > 20) return null;
    return k <= 18 ? FACTORIALS[k]! : [6402373705728000n, 121645100408832000n, 2432902008176640000n][k - 18]!;
  }),
};

/** isnan(x): never null (null is not NaN). */
const isnan: ScalarFunction = {
  name: "isnan",
  nullIntolerant: false,
  resolve(args) {
    checkArity("isnan", args, 1);
    return { args: [coerceArg("isnan", args, 0, DoubleType)], dataType: BooleanType };
  },
  evaluate([a], n) {
    const x = asNum(a!);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (x.valid === null || x.valid[i] === 1) && Number.isNaN(x.values[i]!) ? 1 : 0;
    return boolVec(BooleanType, out, null);
  },
};

/** nanvl(a, b): b where a is NaN, else a; floats stay float, anything else is a double. */
const nanvl: ScalarFunction = {
  name: "nanvl",
  nullIntolerant: false,
  resolve(args) {
    checkArity("nanvl", args, 2);
    const both = args.map((a) => typeOf(a).kind);
    args.forEach((_, k) => checkNumeric("nanvl", args, k));
    const t: DataType = both.every((k) => k === "float" || k === "null") && both.includes("float") ? FloatType : DoubleType;
    return { args: args.map((a) => castIfNeeded(a, t)), dataType: t };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([a, b]) => (a === null ? null : Number.isNaN(a) ? b : a), false),
};

/**
 * width_bucket(v, min, max, n): the 1-based bucket of v among n equal buckets over
 * [min, max) (or (max, min] when min > max); 0 below, n + 1 above. Null for n ≤ 0,
 * n = Long.MaxValue, min = max, or a NaN or infinite bound or value.
 */
const widthBucket: ScalarFunction = {
  name: "width_bucket",
  resolve(args) {
    checkArity("width_bucket", args, 4);
    const bounds = args.slice(0, 3).map((a) => typeOf(a));
    if (isAnsiInterval(bounds[0]!) && bounds.every((t) => t.kind === bounds[0]!.kind)) {
      // Intervals of one family bucket by their months or microseconds.
      return { args: [...args.slice(0, 3), coerceArg("width_bucket", args, 3, LongType)], dataType: LongType };
    }
    const cast = args.map((_, k) => coerceArg("width_bucket", args, k, k === 3 ? LongType : DoubleType));
    return { args: cast, dataType: LongType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, LongType, ([v, lo, hi, count]) => {
    const x = v as number, min = lo as number, max = hi as number;
    const buckets = typeof count === "bigint" ? Number(count) : (count as number);
    if (buckets <= 0 || typeof count === "bigint" || min === max || ![x, min, max].every(Number.isFinite)) return null;
    if (min < max) {
      if (x < min) return 0;
      if (x >= max) return buckets + 1;
      return Math.floor((buckets * (x - min)) / (max - min)) + 1;
    }
    if (x > min) return 0;
    if (x <= max) return buckets + 1;
    return Math.floor((buckets * (min - x)) / (min - max)) + 1;
  }),
};

/** rint(x): the double nearest x that is an integer, ties to even; Spark prints it ROUND(x). */
const rintFn = doubleMath("rint", "ROUND", rint);

export const mathFunctions: ScalarFunction[] = [
  doubleMath("sin", "SIN", Math.sin), doubleMath("cos", "COS", Math.cos), doubleMath("tan", "TAN", Math.tan),
  doubleMath("asin", "ASIN", Math.asin), doubleMath("acos", "ACOS", Math.acos), doubleMath("atan", "ATAN", Math.atan),
  doubleMath("sinh", "SINH", Math.sinh), doubleMath("cosh", "COSH", Math.cosh), doubleMath("tanh", "TANH", Math.tanh),
  doubleMath("asinh", "ASINH", asinh), doubleMath("acosh", "ACOSH", acosh), doubleMath("atanh", "ATANH", atanh),
  doubleMath("cot", "COT", (x) => 1 / Math.tan(x)), doubleMath("sec", "SEC", (x) => 1 / Math.cos(x)), doubleMath("csc", "CSC", (x) => 1 / Math.sin(x)),
  doubleMath("degrees", "DEGREES", (x) => (x * 180) / Math.PI), doubleMath("radians", "RADIANS", (x) => (x / 180) * Math.PI),
  doubleMath("cbrt", "CBRT", Math.cbrt), doubleMath("expm1", "EXPM1", Math.expm1),
  doubleMath("ln", "ln", Math.log, 0), doubleMath("log10", "LOG10", Math.log10, 0), doubleMath("log2", "LOG2", Math.log2, 0),
  doubleMath("log1p", "LOG1P", Math.log1p, -1),
  logarithm,
  doubleMath2("atan2", "ATAN2", (a, b) => Math.atan2(a, b)),
  doubleMath2("hypot", "HYPOT", (a, b) => Math.hypot(a, b)),
  doubleMath2("power", "POWER", (a, b) => a ** b), doubleMath2("pow", "pow", (a, b) => a ** b),
  constant("pi", Math.PI), constant("e", Math.E),
  signum("signum", "SIGNUM"), signum("sign", "sign"),
  positive, pmod, factorial, rintFn, isnan, nanvl, widthBucket,
];
