import { AnalysisError } from "../../common/errors.ts";
import { bigIntAt, hasUnsafe, longVecFromBigInts, longVecFromDoubles, wrapLong } from "../../columnar/long-values.ts";
import { DoubleType, LongType, isAnsiInterval, isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { asNum, mergeValid, numVec } from "../vec-ops.ts";
import { binaryKernel } from "./kernels.ts";
import { evaluateTemporalArithmetic, isTemporalArithmetic, resolveTemporalArithmetic } from "./datetime-arithmetic.ts";
import { displayExpression } from "../display.ts";
import { evaluateIntervalScaling, isIntervalScaling, resolveIntervalScaling } from "./interval-scaling.ts";
import type { ScalarFunction } from "./scalar-function.ts";

function numericOperands(op: string, args: readonly Expression[], forceDouble: boolean): { args: Expression[]; type: DataType } {
  const [l, r] = [typeOf(args[0]!), typeOf(args[1]!)];
  const okL = isNumeric(l) || l.kind === "null" || l.kind === "string";
  const okR = isNumeric(r) || r.kind === "null" || r.kind === "string";
  if (!okL || !okR) {
    throw new AnalysisError(`cannot resolve '(${op})' due to data type mismatch: differing or non-numeric types ${typeName(l)} and ${typeName(r)}`);
  }
  // Strings in arithmetic are cast to double, as Spark does.
  const lt = l.kind === "string" ? DoubleType : l;
  const rt = r.kind === "string" ? DoubleType : r;
  let type = widerType(lt, rt) ?? DoubleType;
  if (type.kind === "null") type = DoubleType;
  if (forceDouble) type = DoubleType;
  return { args: [castIfNeeded(args[0]!, type), castIfNeeded(args[1]!, type)], type };
}

/**
 * Long arithmetic exactly: operands that are all safe integers run as doubles, which are
 * exact while the results stay within ±(2^53−1); otherwise the batch is redone in bigint,
 * wrapped to 64 bits as Spark's non-ANSI long arithmetic.
 */
function exactLongArithmetic(x: NumVec, y: NumVec, n: number, type: DataType, valid: Uint8Array | null, f: (a: bigint, b: bigint) => bigint | null): Vec {
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const r = f(bigIntAt(x, i), bigIntAt(y, i));
    if (r === null) { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; } else out[i] = wrapLong(r);
  }
  return longVecFromBigInts(type, out, valid);
}

function binaryArithmetic(
  name: string, symbol: string, expr: string,
  options: { double?: boolean; intExpr?: string; nullOnZero?: boolean; longExpr?: (a: bigint, b: bigint) => bigint | null } = {},
): ScalarFunction {
  return {
    name,
    display: ([a, b]) => `(${a} ${symbol} ${b})`,
    resolve(args) {
      if ((name === "add" || name === "subtract") && isTemporalArithmetic(typeOf(args[0]!), typeOf(args[1]!))) {
        return resolveTemporalArithmetic(name, `${displayExpression(args[0]!)} ${symbol} ${displayExpression(args[1]!)}`, args);
      }
      if (isIntervalScaling(name, typeOf(args[0]!), typeOf(args[1]!))) return resolveIntervalScaling(args);
      const { args: cast, type } = numericOperands(`${symbol}`, args, options.double ?? false);
      return { args: cast, dataType: type };
    },
    evaluate(vecs, n, ctx, call) {
      if ((name === "add" || name === "subtract") && isTemporalArithmetic(typeOf(call.args[0]!), typeOf(call.args[1]!))) {
        return evaluateTemporalArithmetic(name, vecs, n, ctx, call);
      }
      if (isIntervalScaling(name, typeOf(call.args[0]!), typeOf(call.args[1]!))) return evaluateIntervalScaling(name, vecs, n, call);
      const [a, b] = vecs;
      const x = asNum(a!), y = asNum(b!);
      const type = call.dataType!;
      const int32 = type.kind === "int";
      const exactLong = type.kind === "long" && options.longExpr !== undefined;
      if (exactLong && (x.exact !== undefined || y.exact !== undefined)) return exactLongArithmetic(x, y, n, type, mergeValid(n, x, y), options.longExpr!);
      const out = int32 ? new Int32Array(n) : new Float64Array(n);
      binaryKernel(int32 && options.intExpr ? options.intExpr : expr)(x.values, y.values, out, n);
      if (exactLong && hasUnsafe(out, n)) return exactLongArithmetic(x, y, n, type, mergeValid(n, x, y), options.longExpr!);
      let valid = mergeValid(n, x, y);
      if (options.nullOnZero) {
        // Division or modulo by zero yields null (Spark's non-ANSI behaviour).
        for (let i = 0; i < n; i++) {
          if (y.values[i] === 0) { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
        }
      }
      return numVec(type, out, valid);
    },
  };
}

const negative: ScalarFunction = {
  name: "negative",
  display: ([a]) => `(- ${a})`,
  resolve(args) {
    const t = typeOf(args[0]!);
    if (!isNumeric(t) && !isAnsiInterval(t)) throw new AnalysisError(`cannot resolve '(- ${args[0]!.kind})': requires numeric type, not ${typeName(t)}`);
    return { args, dataType: t };
  },
  evaluate([a], n, _ctx, call) {
    const x = asNum(a!);
    if (x.exact !== undefined) return longVecFromBigInts(call.dataType!, x.exact.map((b) => wrapLong(-b)), x.valid);
    const out = x.values instanceof Int32Array ? new Int32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -x.values[i]!;
    return numVec(call.dataType!, out, x.valid);
  },
};

function unaryMath(name: string, f: (x: number) => number, keepType: boolean): ScalarFunction {
  return {
    name,
    resolve(args) {
      const t = typeOf(args[0]!);
      if (!isNumeric(t) && t.kind !== "null") throw new AnalysisError(`${name}(): argument must be numeric, not ${typeName(t)}`);
      return keepType ? { args, dataType: t.kind === "null" ? DoubleType : t } : { args: [castIfNeeded(args[0]!, DoubleType)], dataType: DoubleType };
    },
    evaluate([a], n, _ctx, call) {
      const x = asNum(a!);
      if (x.exact !== undefined && name === "abs") return longVecFromBigInts(call.dataType!, x.exact.map((b) => wrapLong(b < 0n ? -b : b)), x.valid);
      const out = call.dataType!.kind === "int" ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x.values[i]!);
      return numVec(call.dataType!, out, x.valid);
    },
  };
}

/** floor/ceil of a double: a long, Java's (long) of the rounded double (saturating). */
function longOfDoubleFn(name: string, f: (x: number) => number): ScalarFunction {
  return {
    name,
    // A long is its own floor (not through a double, which would round it).
    resolve: (args) => ({ args: [castIfNeeded(args[0]!, typeOf(args[0]!).kind === "long" ? LongType : DoubleType)], dataType: LongType }),
    evaluate([a], n, _ctx, call) {
      const x = asNum(a!);
      if (x.type.kind === "long") return x;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x.values[i]!);
      return longVecFromDoubles(call.dataType!, out, x.valid);
    },
  };
}

function roundFn(name: string, mode: "half_up" | "half_even"): ScalarFunction {
  return {
    name,
    resolve(args) {
      const t = typeOf(args[0]!);
      if (!isNumeric(t)) throw new AnalysisError(`${name}(): argument must be numeric, not ${typeName(t)}`);
      if (args[1] && args[1].kind !== "Literal") throw new AnalysisError(`${name}(): the scale must be a constant`);
      return { args, dataType: t };
    },
    evaluate(vecs, n, _ctx, call) {
      const x = asNum(vecs[0]!);
      const scaleArg = call.args[1];
      const scale = scaleArg && scaleArg.kind === "Literal" ? Number(scaleArg.value) : 0;
      // Longs are whole: rounding to a non-negative scale keeps them (and their exact values).
      if (x.type.kind === "long" && scale >= 0) return x;
      const p = 10 ** scale;
      const out = x.values instanceof Int32Array ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = x.values[i]! * p;
        let r = Math.sign(v) * Math.round(Math.abs(v));
        if (mode === "half_even" && Math.abs(Math.abs(v) % 1 - 0.5) < 1e-9) r = 2 * Math.round(v / 2);
        out[i] = r / p;
      }
      return numVec(call.dataType!, out, x.valid);
    },
  };
}

export const arithmeticFunctions: ScalarFunction[] = [
  binaryArithmetic("add", "+", "a + b", { intExpr: "(a + b) | 0", longExpr: (a, b) => a + b }),
  binaryArithmetic("subtract", "-", "a - b", { intExpr: "(a - b) | 0", longExpr: (a, b) => a - b }),
  binaryArithmetic("multiply", "*", "a * b", { intExpr: "Math.imul(a, b)", longExpr: (a, b) => a * b }),
  binaryArithmetic("divide", "/", "a / b", { double: true, nullOnZero: true }),
  // Java's % keeps the dividend's sign, as JS's (and BigInt's) does.
  binaryArithmetic("mod", "%", "b === 0 ? 0 : a % b", { nullOnZero: true, longExpr: (a, b) => (b === 0n ? null : a % b) }),
  negative,
  unaryMath("abs", Math.abs, true),
  unaryMath("sqrt", Math.sqrt, false),
  unaryMath("exp", Math.exp, false),
  unaryMath("ln", Math.log, false),
  unaryMath("log10", Math.log10, false),
  longOfDoubleFn("floor", Math.floor),
  { ...longOfDoubleFn("ceil", Math.ceil), aliases: ["ceiling"] },
  roundFn("round", "half_up"),
  roundFn("bround", "half_even"),
];

export type { Vec };
