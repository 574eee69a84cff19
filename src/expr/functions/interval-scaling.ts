import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { DayTimeIntervalType, DoubleType, YearMonthIntervalType, isAnsiInterval, isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import type { Call, Expression } from "../expression.ts";
import { asNum, mergeValid, numVec } from "../vec-ops.ts";
import type { ResolvedSignature } from "./scalar-function.ts";

/**
 * `interval * number`, `number * interval` and `interval / number` for ANSI intervals
 * (Spark's MultiplyDTInterval, MultiplyYMInterval, DivideDTInterval, DivideYMInterval):
 * the result keeps the interval's type, rounded half up to whole µs or months; dividing by
 * zero is an error in Spark, whatever ANSI mode says.
 */

type Op = "multiply" | "divide";

export function isIntervalScaling(op: string, l: DataType, r: DataType): op is Op {
  if (op === "multiply") return (isAnsiInterval(l) && (isNumeric(r) || r.kind === "null")) || (isAnsiInterval(r) && (isNumeric(l) || l.kind === "null"));
  return op === "divide" && isAnsiInterval(l) && (isNumeric(r) || r.kind === "null");
}

export function resolveIntervalScaling(args: readonly Expression[]): ResolvedSignature {
  const [l, r] = [typeOf(args[0]!), typeOf(args[1]!)];
  const interval = isAnsiInterval(l) ? l : r;
  if (!isAnsiInterval(interval)) throw new AnalysisError(`cannot scale ${typeName(l)} by ${typeName(r)}`);
  const cast = (e: Expression): Expression => (isAnsiInterval(typeOf(e)) ? e : castIfNeeded(e, DoubleType));
  // The result spans all fields of its family, as Spark's DayTimeIntervalType() / YearMonthIntervalType().
  return { args: [cast(args[0]!), cast(args[1]!)], dataType: interval.kind === "interval_dt" ? DayTimeIntervalType(0, 3) : YearMonthIntervalType(0, 1) };
}

/** Java's RoundingMode.HALF_UP. */
const halfUp = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

export function evaluateIntervalScaling(op: Op, vecs: readonly Vec[], n: number, call: Call): Vec {
  const intervalFirst = isAnsiInterval(typeOf(call.args[0]!));
  const iv = asNum(intervalFirst ? vecs[0]! : vecs[1]!), k = asNum(intervalFirst ? vecs[1]! : vecs[0]!);
  const type = call.dataType!;
  const out = type.kind === "interval_ym" ? new Int32Array(n) : new Float64Array(n);
  const valid = mergeValid(n, iv, k);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = iv.values[i]!, y = k.values[i]!;
    if (op === "divide" && y === 0) throw new ExecutionError("[INTERVAL_DIVIDED_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead.");
    out[i] = halfUp(op === "multiply" ? x * y : x / y);
  }
  return numVec(type, out, valid);
}
