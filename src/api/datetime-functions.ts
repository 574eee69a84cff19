import { Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";

/**
 * Spark's datetime and interval functions of `org.apache.spark.sql.functions` (3.5 and 4.0
 * names): the same calls the SQL forms build, so `timestamp_add("HOUR", lit(-1), col("ts"))`
 * and `dateadd(HOUR, -1, ts)` plan alike. Where Spark takes a column name as a String, a
 * string is a column name; numbers and other plain values are literals.
 */

import type { ColOrName } from "./functions.ts";

const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const str = (s: string): Expression => Literal.create(s, null);
/** A value argument: a Column, or a literal (numbers, strings). */
const val = (v: ColumnLike): Expression => toExpr(v);

// Intervals
export function make_interval(years?: ColumnLike, months?: ColumnLike, weeks?: ColumnLike, days?: ColumnLike, hours?: ColumnLike, mins?: ColumnLike, secs?: ColumnLike): Column {
  const args = [years, months, weeks, days, hours, mins, secs];
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return fn("make_interval", ...args.map((a) => val(a ?? 0)));
}
export function make_dt_interval(days?: ColumnLike, hours?: ColumnLike, mins?: ColumnLike, secs?: ColumnLike): Column {
  const args = [days, hours, mins, secs];
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return fn("make_dt_interval", ...args.map((a) => val(a ?? 0)));
}
export function make_ym_interval(years?: ColumnLike, months?: ColumnLike): Column {
  const args = [years, months];
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return fn("make_ym_interval", ...args.map((a) => val(a ?? 0)));
}

// Arithmetic with units
/** timestamp_add("HOUR", lit(-1), col("ts")): Spark 4's functions.timestamp_add (SQL timestampadd/dateadd). */
export function timestamp_add(unit: string, quantity: ColumnLike, ts: ColOrName): Column {
  return fn("timestampadd", str(unit.toUpperCase()), val(quantity), colExpr(ts));
}
/** timestamp_diff("MINUTE", start, end): Spark 4's functions.timestamp_diff (SQL timestampdiff/datediff). */
export function timestamp_diff(unit: string, start: ColOrName, end: ColOrName): Column {
  return fn("timestampdiff", str(unit.toUpperCase()), colExpr(start), colExpr(end));
}
export function date_add(start: ColOrName, days: ColumnLike): Column { return fn("date_add", colExpr(start), val(days)); }
export function dateadd(start: ColOrName, days: ColumnLike): Column { return fn("date_add", colExpr(start), val(days)); }
export function date_sub(start: ColOrName, days: ColumnLike): Column { return fn("date_sub", colExpr(start), val(days)); }
export function add_months(start: ColOrName, months: ColumnLike): Column { return fn("add_months", colExpr(start), val(months)); }
export function datediff(end: ColOrName, start: ColOrName): Column { return fn("datediff", colExpr(end), colExpr(start)); }
export function date_diff(end: ColOrName, start: ColOrName): Column { return fn("datediff", colExpr(end), colExpr(start)); }

// Fields
/** extract(lit("HOUR"), col("ts")). */
export function extract(field: Column | string, source: ColOrName): Column {
  const f = typeof field === "string" ? str(field.toUpperCase()) : field.expr;
  return fn("extract", f, colExpr(source));
}
export function date_part(field: Column | string, source: ColOrName): Column {
  return fn("date_part", typeof field === "string" ? str(field) : field.expr, colExpr(source));
}
export const datepart = date_part;

// Constructors
export function make_date(year: ColumnLike, month: ColumnLike, day: ColumnLike): Column {
  return fn("make_date", val(year), val(month), val(day));
}
export function make_timestamp(years: ColumnLike, months: ColumnLike, days: ColumnLike, hours: ColumnLike, mins: ColumnLike, secs: ColumnLike, timezone?: ColumnLike): Column {
  return fn("make_timestamp", ...[years, months, days, hours, mins, secs, ...(timezone === undefined ? [] : [timezone])].map(val));
}
export function make_timestamp_ltz(years: ColumnLike, months: ColumnLike, days: ColumnLike, hours: ColumnLike, mins: ColumnLike, secs: ColumnLike, timezone?: ColumnLike): Column {
  return fn("make_timestamp_ltz", ...[years, months, days, hours, mins, secs, ...(timezone === undefined ? [] : [timezone])].map(val));
}
export function make_timestamp_ntz(years: ColumnLike, months: ColumnLike, days: ColumnLike, hours: ColumnLike, mins: ColumnLike, secs: ColumnLike): Column {
  return fn("make_timestamp_ntz", ...[years, months, days, hours, mins, secs].map(val));
}
export function next_day(date: ColOrName, dayOfWeek: ColumnLike): Column { return fn("next_day", colExpr(date), val(dayOfWeek)); }
export function last_day(date: ColOrName): Column { return fn("last_day", colExpr(date)); }
export function unix_date(date: ColOrName): Column { return fn("unix_date", colExpr(date)); }
export function date_from_unix_date(days: ColOrName): Column { return fn("date_from_unix_date", colExpr(days)); }
export function unix_seconds(ts: ColOrName): Column { return fn("unix_seconds", colExpr(ts)); }
export function unix_millis(ts: ColOrName): Column { return fn("unix_millis", colExpr(ts)); }
export function unix_micros(ts: ColOrName): Column { return fn("unix_micros", colExpr(ts)); }
export function timestamp_seconds(c: ColOrName): Column { return fn("timestamp_seconds", colExpr(c)); }
export function timestamp_millis(c: ColOrName): Column { return fn("timestamp_millis", colExpr(c)); }
export function timestamp_micros(c: ColOrName): Column { return fn("timestamp_micros", colExpr(c)); }

// Time zones
export function current_timezone(): Column { return fn("current_timezone"); }
export function localtimestamp(): Column { return fn("localtimestamp"); }
/** convert_timezone(targetTz, sourceTs) or convert_timezone(sourceTz, targetTz, sourceTs), as Spark's (zones as Columns or strings). */
export function convert_timezone(a: ColumnLike, b: ColOrName, c?: ColOrName): Column {
  return c === undefined ? fn("convert_timezone", val(a), colExpr(b)) : fn("convert_timezone", val(a), val(b), colExpr(c));
}
export function from_utc_timestamp(ts: ColOrName, tz: ColumnLike): Column { return fn("from_utc_timestamp", colExpr(ts), val(tz)); }
export function to_utc_timestamp(ts: ColOrName, tz: ColumnLike): Column { return fn("to_utc_timestamp", colExpr(ts), val(tz)); }
export function to_unix_timestamp(timeExp: ColOrName, format?: ColumnLike): Column {
  return fn("to_unix_timestamp", colExpr(timeExp), ...(format === undefined ? [] : [toExpr(format)]));
}
