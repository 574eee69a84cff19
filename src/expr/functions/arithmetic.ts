import { AnalysisError } from "../../common/errors.ts";
import { DoubleType, isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { asNum, mergeValid, numVec } from "../vec-ops.ts";
import { binaryKernel } from "./kernels.ts";
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

function binaryArithmetic(name: string, symbol: string, expr: string, options: { double?: boolean; intExpr?: string; nullOnZero?: boolean } = {}): ScalarFunction {
  return {
    name,
    display: ([a, b]) => `(${a} ${symbol} ${b})`,
    resolve(args) {
      const { args: cast, type } = numericOperands(`${symbol}`, args, options.double ?? false);
      return { args: cast, dataType: type };
    },
    evaluate([a, b], n, _ctx, call) {
      const x = asNum(a!), y = asNum(b!);
      const type = call.dataType!;
      const int32 = type.kind === "int";
      const out = int32 ? new Int32Array(n) : new Float64Array(n);
      binaryKernel(int32 && options.intExpr ? options.intExpr : expr)(x.values, y.values, out, n);
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
    if (!isNumeric(t)) throw new AnalysisError(`cannot resolve '(- ${args[0]!.kind})': requires numeric type, not ${typeName(t)}`);
    return { args, dataType: t };
  },
  evaluate([a], n, _ctx, call) {
    const x = asNum(a!);
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
      const out = call.dataType!.kind === "int" ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x.values[i]!);
      return numVec(call.dataType!, out, x.valid);
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
  binaryArithmetic("add", "+", "a + b", { intExpr: "(a + b) | 0" }),
  binaryArithmetic("subtract", "-", "a - b", { intExpr: "(a - b) | 0" }),
  binaryArithmetic("multiply", "*", "a * b", { intExpr: "Math.imul(a, b)" }),
  binaryArithmetic("divide", "/", "a / b", { double: true, nullOnZero: true }),
  // Java's % keeps the dividend's sign, as JS's does.
  binaryArithmetic("mod", "%", "b === 0 ? 0 : a % b", { nullOnZero: true }),
  negative,
  unaryMath("abs", Math.abs, true),
  unaryMath("sqrt", Math.sqrt, false),
  unaryMath("exp", Math.exp, false),
  unaryMath("ln", Math.log, false),
  unaryMath("log10", Math.log10, false),
  { ...unaryMath("floor", Math.floor, false), resolve: (args) => ({ args: [castIfNeeded(args[0]!, DoubleType)], dataType: { kind: "long" } as DataType }) },
  { ...unaryMath("ceil", Math.ceil, false), aliases: ["ceiling"], resolve: (args) => ({ args: [castIfNeeded(args[0]!, DoubleType)], dataType: { kind: "long" } as DataType }) },
  roundFn("round", "half_up"),
  roundFn("bround", "half_even"),
];

export type { Vec };
