import type { DataType } from "../types/data-types.ts";
import { BooleanType, DateType, DecimalType, DoubleType, IntegerType, LongType, StringType, TimestampType } from "../types/data-types.ts";
import { convertCsvValue, type CsvValueOptions } from "./csv-value.ts";

const MAX_DECIMAL_PRECISION = 38;

/** The options inference reads: conversion's, and Spark's preferDate (a date is tried before a timestamp). */
export type CsvInferOptions = CsvValueOptions & { readonly preferDate: boolean };
type InferOptions = CsvInferOptions;

/**
 * Spark's CSVInferSchema.inferField: the type of one datum given the column's type so far,
 * trying int, long, decimal (an integer beyond the long range, up to 38 digits), double,
 * date (preferDate), timestamp, boolean, then string, from where the column already is.
 */
export function inferCsvType(datum: string, soFar: DataType | null, options: InferOptions): DataType {
  const fits = (t: DataType): boolean => convertCsvValue(datum, t, options) !== undefined;
  const tryBoolean = (): DataType => (fits(BooleanType) ? BooleanType : StringType);
  const tryTimestamp = (): DataType => (fits(TimestampType) ? TimestampType : tryBoolean());
  const tryDateTime = (): DataType => (options.preferDate && isDate(datum, options) ? DateType : tryTimestamp());
  const tryDouble = (): DataType => (fits(DoubleType) ? DoubleType : tryDateTime());
  const tryDecimal = (): DataType => integralDecimal(datum) ?? tryDouble();
  const tryLong = (): DataType => (fits(LongType) ? LongType : tryDecimal());
  const tryInt = (): DataType => (fits(IntegerType) ? IntegerType : tryLong());
  switch (soFar?.kind ?? "null") {
    case "null": case "int": return tryInt();
    case "long": return tryLong();
    case "decimal": return tryDecimal();
    case "double": return tryDouble();
    case "date": return tryDateTime();
    case "timestamp": return tryTimestamp();
    case "boolean": return tryBoolean();
    default: return StringType;
  }
}

/** A date as the strict date formatter reads it (dateFormat, yyyy-MM-dd by default): no time part. */
function isDate(datum: string, options: InferOptions): boolean {
  if (options.dateFormat === null && !/^\s*[+-]?\d{4,}-\d{1,2}-\d{1,2}\s*$/.test(datum)) return false;
  return convertCsvValue(datum, DateType, options) !== undefined;
}

/** decimal(n, 0) for an integer of n ≤ 38 digits (BigDecimal's precision with scale 0), else null. */
function integralDecimal(datum: string): DataType | null {
  const m = /^\s*[+-]?0*(\d+)\s*$/.exec(datum);
  if (m === null) return null;
  const precision = m[1]!.length;
  return precision <= MAX_DECIMAL_PRECISION ? DecimalType(precision, 0) : null;
}

function asDecimal(t: DataType): { precision: number; scale: number } | null {
  if (t.kind === "decimal") return t;
  if (t.kind === "int") return { precision: 10, scale: 0 };
  if (t.kind === "long") return { precision: 20, scale: 0 };
  return null;
}

/** Spark's CSVInferSchema.compatibleType. */
export function mergeCsvTypes(a: DataType | null, b: DataType): DataType {
  if (a === null || a.kind === b.kind && a.kind !== "decimal") return b;
  const numeric = ["int", "long"];
  if (numeric.includes(a.kind) && numeric.includes(b.kind)) return LongType;
  if ((a.kind === "double" && (numeric.includes(b.kind) || b.kind === "decimal")) || (b.kind === "double" && (numeric.includes(a.kind) || a.kind === "decimal"))) return DoubleType;
  if (a.kind === "decimal" || b.kind === "decimal") {
    const x = asDecimal(a), y = asDecimal(b);
    if (x === null || y === null) return StringType;
    const scale = Math.max(x.scale, y.scale);
    const range = Math.max(x.precision - x.scale, y.precision - y.scale);
    return range + scale > MAX_DECIMAL_PRECISION ? DoubleType : DecimalType(range + scale, scale);
  }
  if ((a.kind === "date" && b.kind === "timestamp") || (a.kind === "timestamp" && b.kind === "date")) return TimestampType;
  return StringType;
}
