import { AnalysisError } from "../common/errors.ts";
import {
  DoubleType, LongType, StringType, TimestampType, isNumeric, sameType, typeName, type DataType,
} from "../types/data-types.ts";
import { Cast, type Expression } from "./expression.ts";

/** Spark's implicit widening for binary operators and comparisons (non-ANSI mode). */
export function widerType(a: DataType, b: DataType): DataType | null {
  if (sameType(a, b)) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === "double" || b.kind === "double") return DoubleType;
    return LongType;
  }
  if ((a.kind === "date" && b.kind === "timestamp") || (a.kind === "timestamp" && b.kind === "date")) return TimestampType;
  return null;
}

/** The common type of two sides of a comparison: also string vs number/timestamp, as Spark's rules allow. */
export function comparisonType(a: DataType, b: DataType): DataType | null {
  const wider = widerType(a, b);
  if (wider) return wider;
  if (a.kind === "string" && (isNumeric(b) || b.kind === "timestamp" || b.kind === "date" || b.kind === "boolean")) return b.kind === "int" || b.kind === "long" ? DoubleType : b;
  if (b.kind === "string" && (isNumeric(a) || a.kind === "timestamp" || a.kind === "date" || a.kind === "boolean")) return a.kind === "int" || a.kind === "long" ? DoubleType : a;
  return null;
}

/** Wraps `e` in a cast unless it already has type `to`. */
export function castIfNeeded(e: Expression, to: DataType): Expression {
  if (e.dataType !== null && sameType(e.dataType, to)) return e;
  return Cast.create(e, to, true);
}

export function typeOf(e: Expression): DataType {
  if (e.dataType === null) throw new AnalysisError(`expression ${e.kind} is not resolved`);
  return e.dataType;
}

export function requireType(fn: string, e: Expression, ok: (t: DataType) => boolean, expected: string): void {
  const t = typeOf(e);
  if (t.kind !== "null" && !ok(t)) {
    throw new AnalysisError(`cannot resolve ${fn}: argument requires ${expected} type, but it is of type ${typeName(t)}`);
  }
}

export { StringType };
