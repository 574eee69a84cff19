import {
  DayTimeIntervalType, TimestampNTZType, TimestampType, YearMonthIntervalType, type DataType, type DayTimeField, type YearMonthField,
} from "../types/data-types.ts";

/**
 * Spark's widening among TIMESTAMP_NTZ and the interval types (TypeCoercion.findWiderTypeForTwo):
 * NTZ with a date is NTZ, NTZ with TIMESTAMP is TIMESTAMP, and two day-time (or year-month)
 * intervals widen to the type spanning both's fields. Null when they do not widen.
 */
export function widerTemporalType(a: DataType, b: DataType): DataType | null {
  if (a.kind === "timestamp_ntz" || b.kind === "timestamp_ntz") {
    const other = a.kind === "timestamp_ntz" ? b : a;
    if (other.kind === "date" || other.kind === "timestamp_ntz") return TimestampNTZType;
    if (other.kind === "timestamp") return TimestampType;
    return null;
  }
  if (a.kind === "interval_dt" && b.kind === "interval_dt") {
    return DayTimeIntervalType(Math.min(a.startField, b.startField) as DayTimeField, Math.max(a.endField, b.endField) as DayTimeField);
  }
  if (a.kind === "interval_ym" && b.kind === "interval_ym") {
    return YearMonthIntervalType(Math.min(a.startField, b.startField) as YearMonthField, Math.max(a.endField, b.endField) as YearMonthField);
  }
  return null;
}
