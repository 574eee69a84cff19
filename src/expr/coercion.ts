import { AnalysisError } from "../common/errors.ts";
import {
  ArrayType, DoubleType, MapType, StringType, StructType, TimestampType, isNumeric, sameType, typeName, type DataType, type StructField,
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
  return widerComplexType(a, b) ?? widerTemporalType(a, b);
}

/**
 * Spark's findWiderTypeForTwo for complex types: arrays, maps and structs (the same number
 * of fields, names equal but for case) widen element by element, so an empty `array()`
 * (ARRAY<VOID>) meets ARRAY<STRING> as ARRAY<STRING>; nullability is the union.
 */
function widerComplexType(a: DataType, b: DataType): DataType | null {
  if (a.kind === "array" && b.kind === "array") {
    const element = widerType(a.elementType, b.elementType);
    return element === null ? null : ArrayType(element, a.containsNull || b.containsNull);
  }
  if (a.kind === "map" && b.kind === "map") {
    const key = widerType(a.keyType, b.keyType), value = widerType(a.valueType, b.valueType);
    return key === null || value === null ? null : MapType(key, value, a.valueContainsNull || b.valueContainsNull);
  }
  if (a.kind === "struct" && b.kind === "struct" && a.fields.length === b.fields.length) {
    const fields: StructField[] = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!, fb = b.fields[i]!;
      if (fa.name.toLowerCase() !== fb.name.toLowerCase()) return null;
      const type = widerType(fa.dataType, fb.dataType);
      if (type === null) return null;
      fields.push({ name: fa.name, dataType: type, nullable: fa.nullable || fb.nullable });
    }
    return new StructType(fields);
  }
  return null;
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
