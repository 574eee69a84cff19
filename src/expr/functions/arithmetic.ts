import { ConfKeys, activeConf } from "../../common/config.ts";
import { AnalysisError } from "../../common/errors.ts";
import { bigIntAt, hasUnsafe, longVecFromBigInts, wrapLong } from "../../columnar/long-values.ts";
import { DecimalType, DoubleType, isAnsiInterval, isIntegral, isNumeric, ddlTypeName, typeName, type DataType } from "../../types/data-types.ts";
import { decimalForType, decimalResultType, type DecimalOp } from "../decimal-precision.ts";
import { decimalBinary, mapDecimals } from "./decimal-arithmetic.ts";
import { roundingFunctions } from "./rounding.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { asNum, mergeValid, numVec } from "../vec-ops.ts";
import { binaryKernel } from "./kernels.ts";
import { evaluateTemporalArithmetic, isTemporalArithmetic, resolveTemporalArithmetic } from "./datetime-arithmetic.ts";
import { displayExpression } from "../display.ts";
import { evaluateIntervalScaling, isIntervalScaling, resolveIntervalScaling } from "./interval-scaling.ts";
import type { ScalarFunction } from "./scalar-function.ts";

interface Operands {
  readonly args: Expression[];
  readonly type: DataType;
}

/**
 * The operands of `op` and its result type, as Spark's type coercion: strings are doubles;
 * a decimal with an integral type or another decimal is decimal arithmetic with the result
 * type of DecimalPrecision (an integral literal counts as the narrowest decimal holding it,
 * a column as its type's, INT as DECIMAL(10,0)); a decimal with a float or double is double;
 * otherwise the wider of the two types (`/` is double unless decimal).
 */
function numericOperands(op: string, decimalOp: DecimalOp | null, args: readonly Expression[], forceDouble: boolean): Operands {
  const [l, r] = [typeOf(args[0]!), typeOf(args[1]!)];
  const okL = isNumeric(l) || l.kind === "null" || l.kind === "string";
  const okR = isNumeric(r) || r.kind === "null" || r.kind === "string";
  if (!okL || !okR) {
    const shown = `(${displayExpression(args[0]!)} ${op} ${displayExpression(args[1]!)})`;
    const sqlType = (t: DataType): string => `"${ddlTypeName(t)}"`;
    // Spark's BinaryArithmetic.checkInputDataTypes: two types that differ, or one type the operator does not take.
    if (typeName(l) !== typeName(r)) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "${shown}" due to data type mismatch: the left and right operands of the binary operator have incompatible types (${sqlType(l)} and ${sqlType(r)}).`);
    }
    throw new AnalysisError(`[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "${shown}" due to data type mismatch: the binary operator requires the input type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"), not ${sqlType(l)}.`);
  }
  // Strings in arithmetic are cast to double, as Spark does.
  const lt = l.kind === "string" ? DoubleType : l;
  const rt = r.kind === "string" ? DoubleType : r;
  if (decimalOp !== null && (lt.kind === "decimal" || rt.kind === "decimal")) {
    const dl = operandDecimal(args[0]!, lt, rt), dr = operandDecimal(args[1]!, rt, lt);
    if (dl !== null && dr !== null) {
      return { args: [castIfNeeded(args[0]!, dl), castIfNeeded(args[1]!, dr)], type: decimalResultType(decimalOp, dl, dr, activeConf().get(ConfKeys.decimalAllowPrecisionLoss)!.toLowerCase() !== "false") };
    }
  }
  let type = widerType(lt, rt) ?? DoubleType;
  if (type.kind === "null") type = DoubleType;
  if (forceDouble || type.kind === "decimal") type = DoubleType;
  return { args: [castIfNeeded(args[0]!, type), castIfNeeded(args[1]!, type)], type };
}

/** The decimal type an operand of decimal arithmetic takes (null: the operation is not decimal). */
function operandDecimal(e: Expression, t: DataType, other: DataType): DecimalType | null {
  if (t.kind === "null") return other.kind === "decimal" ? decimalForType(other) : null;
  // spark.sql.legacy.literal.pickMinimumPrecision (default true): 1 is DECIMAL(1,0), not (10,0).
  if (isIntegral(t) && e.kind === "Literal" && e.value !== null) {
    const digits = String(e.value).replace("-", "").length;
    return DecimalType(Math.max(digits, 1), 0);
  }
  return decimalForType(t);
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

/** The kernel expression for results of `type`: 32-bit ints wrap (`| 0`), narrower ones wrap to their width, floats round to single precision. */
function typedExpr(type: DataType, expr: string, intExpr: string | undefined): string {
  switch (type.kind) {
    case "int": return intExpr ?? expr;
    case "short": return `((${intExpr ?? expr}) << 16) >> 16`;
    case "byte": return `((${intExpr ?? expr}) << 24) >> 24`;
    case "float": return `Math.fround(${expr})`;
    default: return expr;
  }
}

function binaryArithmetic(
  name: string, symbol: string, expr: string,
  options: { double?: boolean; intExpr?: string; nullOnZero?: boolean; longExpr?: (a: bigint, b: bigint) => bigint | null; decimal?: DecimalOp } = {},
): ScalarFunction {
  return {
    name,
    display: ([a, b]) => `(${a} ${symbol} ${b})`,
    resolve(args) {
      if ((name === "add" || name === "subtract") && isTemporalArithmetic(typeOf(args[0]!), typeOf(args[1]!))) {
        return resolveTemporalArithmetic(name, `${displayExpression(args[0]!)} ${symbol} ${displayExpression(args[1]!)}`, args);
      }
      if (isIntervalScaling(name, typeOf(args[0]!), typeOf(args[1]!))) return resolveIntervalScaling(args);
      const { args: cast, type } = numericOperands(`${symbol}`, options.decimal ?? null, args, options.double ?? false);
      return { args: cast, dataType: type };
    },
    evaluate(vecs, n, ctx, call) {
      if ((name === "add" || name === "subtract") && isTemporalArithmetic(typeOf(call.args[0]!), typeOf(call.args[1]!))) {
        return evaluateTemporalArithmetic(name, vecs, n, ctx, call);
      }
      if (isIntervalScaling(name, typeOf(call.args[0]!), typeOf(call.args[1]!))) return evaluateIntervalScaling(name, vecs, n, call);
      const [a, b] = vecs;
      const type = call.dataType!;
      if (type.kind === "decimal") return decimalBinary(options.decimal!, a!, b!, n, type);
      const x = asNum(a!), y = asNum(b!);
      const int32 = type.kind === "int" || type.kind === "short" || type.kind === "byte";
      const exactLong = type.kind === "long" && options.longExpr !== undefined;
      if (exactLong && (x.exact !== undefined || y.exact !== undefined)) return exactLongArithmetic(x, y, n, type, mergeValid(n, x, y), options.longExpr!);
      const out = int32 ? new Int32Array(n) : new Float64Array(n);
      binaryKernel(typedExpr(type, expr, options.intExpr))(x.values, y.values, out, n);
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
    const type = call.dataType!;
    if (type.kind === "decimal") return mapDecimals(a!, n, type, (u) => -u);
    const x = asNum(a!);
    if (x.exact !== undefined) return longVecFromBigInts(type, x.exact.map((b) => wrapLong(-b)), x.valid);
    const out = x.values instanceof Int32Array ? new Int32Array(n) : new Float64Array(n);
    const wrap = type.kind === "byte" ? 24 : type.kind === "short" ? 16 : 0;
    for (let i = 0; i < n; i++) out[i] = wrap === 0 ? -x.values[i]! : (-x.values[i]! << wrap) >> wrap;
    return numVec(type, out, x.valid);
  },
};

function unaryMath(name: string, f: (x: number) => number, keepType: boolean): ScalarFunction {
  return {
    name,
    resolve(args) {
      const t = typeOf(args[0]!);
      // abs keeps an ANSI interval's type (`abs(INTERVAL -'1-1' YEAR TO MONTH)` is 1-1).
      if (!isNumeric(t) && t.kind !== "null" && !(keepType && isAnsiInterval(t))) throw new AnalysisError(`${name}(): argument must be numeric, not ${typeName(t)}`);
      return keepType ? { args, dataType: t.kind === "null" ? DoubleType : t } : { args: [castIfNeeded(args[0]!, DoubleType)], dataType: DoubleType };
    },
    evaluate([a], n, _ctx, call) {
      const type = call.dataType!;
      if (type.kind === "decimal") return mapDecimals(a!, n, type, (u) => (u < 0n ? -u : u));
      const x = asNum(a!);
      if (x.exact !== undefined && name === "abs") return longVecFromBigInts(call.dataType!, x.exact.map((b) => wrapLong(b < 0n ? -b : b)), x.valid);
      const out = x.values instanceof Int32Array && keepType ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x.values[i]!);
      return numVec(type, out, x.valid);
    },
  };
}

export const arithmeticFunctions: ScalarFunction[] = [
  binaryArithmetic("add", "+", "a + b", { intExpr: "(a + b) | 0", longExpr: (a, b) => a + b, decimal: "add" }),
  binaryArithmetic("subtract", "-", "a - b", { intExpr: "(a - b) | 0", longExpr: (a, b) => a - b, decimal: "subtract" }),
  binaryArithmetic("multiply", "*", "a * b", { intExpr: "Math.imul(a, b)", longExpr: (a, b) => a * b, decimal: "multiply" }),
  binaryArithmetic("divide", "/", "a / b", { double: true, nullOnZero: true, decimal: "divide" }),
  // Java's % keeps the dividend's sign, as JS's (and BigInt's) does.
  binaryArithmetic("mod", "%", "b === 0 ? 0 : a % b", { nullOnZero: true, longExpr: (a, b) => (b === 0n ? null : a % b), decimal: "mod" }),
  negative,
  unaryMath("abs", Math.abs, true),
  unaryMath("sqrt", Math.sqrt, false),
  unaryMath("exp", Math.exp, false),
  ...roundingFunctions,
];

export type { Vec };
