import { AnalysisError } from "../common/errors.ts";
import {
  DoubleType, StringType, TimestampType, isNumeric, sameType, typeName, type DataType,
} from "../types/data-types.ts";
import { decimalForType, widerDecimal } from "./decimal-precision.ts";
import { Cast, type Expression } from "./expression.ts";
import { widerTemporalType } from "./temporal-coercion.ts";

/** Spark's numeric precedence for implicit widening: tinyint < smallint < int < bigint < float < double. */
const NUMERIC_RANK: Partial<Record<DataType["kind"], number>> = { byte: 0, short: 1, int: 2, long: 3, float: 4, double: 5 };

/**
 * Spark's implicit widening for binary operators and comparisons (non-ANSI mode): the
 * higher of two numeric types in Spark's precedence; a decimal with an integral type is the
 * wider decimal of the two (INT counts as DECIMAL(10,0)), a decimal with FLOAT or DOUBLE a double.
 */
export function widerType(a: DataType, b: DataType): DataType | null {
  if (sameType(a, b)) return a;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === "decimal" || b.kind === "decimal") {
      const da = decimalForType(a), db = decimalForType(b);
      return da !== null && db !== null ? widerDecimal(da, db) : DoubleType;
    }
    return NUMERIC_RANK[a.kind]! >= NUMERIC_RANK[b.kind]! ? a : b;
  }
  if ((a.kind === "date" && b.kind === "timestamp") || (a.kind === "timestamp" && b.kind === "date")) return TimestampType;
  return widerTemporalType(a, b);
}

/** The common type of two sides of a comparison: also string vs number/timestamp, as Spark's rules allow. */
export function comparisonType(a: DataType, b: DataType): DataType | null {
  const wider = widerType(a, b);
  if (wider) return wider;
  // A string with a number compares as doubles (for decimals too, as Spark: SPARK-22469).
  if (a.kind === "string" && (isNumeric(b) || b.kind === "timestamp" || b.kind === "date" || b.kind === "boolean")) return isNumeric(b) ? DoubleType : b;
  if (b.kind === "string" && (isNumeric(a) || a.kind === "timestamp" || a.kind === "date" || a.kind === "boolean")) return isNumeric(a) ? DoubleType : a;
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
