import { timeWindow } from "../expr/time-window.ts";
import { withSparkForm } from "./spark-form.ts";
import { sessionWindow } from "../expr/session-window.ts";
import { AggregateCall, Call, Case, ColumnRef, Literal, Star, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";
import { parseSelectItem } from "../sql/sql-script.ts";
import { StructType, ddlTypeName, type DataType } from "../types/data-types.ts";

/**
 * Spark's `org.apache.spark.sql.functions`, same names and argument conventions: where
 * Spark takes `columnName: String`, a string is a column name; elsewhere a plain value is
 * a literal.
 */

export type ColOrName = Column | string;

/** The column name Spark gives `c` (for typed results): a name's last segment, or a Column's name. */
export type NameOf<C> = C extends string ? (C extends `${string}.${infer Last}` ? NameOf<Last> : C) : C extends Column<any, infer N> ? N : string;
/** The JS value type of `c`: a typed Column's, else unknown. */
export type ValueOf<C> = C extends Column<infer V, any> ? V : unknown;
/** An aggregate's result column: `sum(bytes)`, typed `V`. */
export type Agg<F extends string, C, V> = Column<V, string extends NameOf<C> ? string : `${F}(${NameOf<C>})`>;

/** The struct a time window column holds. */
export interface TimeWindow {
  start: Date;
  end: Date;
}

const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
// Typed for the caller by each aggregate's signature.
const agg = (name: string, args: Expression[], distinct = false): Column<any, any> => new Column(AggregateCall.create(name, args, distinct));

export function col<N extends string>(name: N): Column<unknown, NameOf<N>> {
  return new Column(colExpr(name));
}
export const column = col;

export function lit(value: unknown): Column {
  if (value instanceof Column) return value;
  return new Column(Literal.create(value, null));
}

/**
 * A column from a SQL expression: expr("upper(action)"), expr("count(*)"), expr("bytes > 100 AND action = 'buy'").
 * An alias names the column, as Spark's parser reads a named expression: expr("sum(v) AS s").
 */
export function expr(sql: string): Column {
  return new Column(withSparkForm(parseSelectItem(sql), { kind: "sql", text: sql }));
}

// Aggregates
export function count<C extends ColOrName>(c: C): Column<number, C extends "*" ? "count(1)" : string extends NameOf<C> ? string : `count(${NameOf<C>})`> {
  if (c === "*") return agg("count", [Star.create()]);
  return agg("count", [colExpr(c)]);
}
export function countDistinct(c: ColOrName, ...more: ColOrName[]): Column {
  return agg("count", [c, ...more].map(colExpr), true);
}
export const count_distinct = countDistinct;
export function sum<C extends ColOrName>(c: C): Agg<"sum", C, number | null> { return agg("sum", [colExpr(c)]); }
export function sumDistinct(c: ColOrName): Column { return agg("sum", [colExpr(c)], true); }
export function avg<C extends ColOrName>(c: C): Agg<"avg", C, number | null> { return agg("avg", [colExpr(c)]); }
export function mean<C extends ColOrName>(c: C): Agg<"avg", C, number | null> { return agg("avg", [colExpr(c)]); }
export function min<C extends ColOrName>(c: C): Agg<"min", C, ValueOf<C> | null> { return agg("min", [colExpr(c)]); }
export function max<C extends ColOrName>(c: C): Agg<"max", C, ValueOf<C> | null> { return agg("max", [colExpr(c)]); }
export function first(c: ColOrName, ignoreNulls = false): Column { return agg("first", [colExpr(c), Literal.create(ignoreNulls, null)]); }
export function last(c: ColOrName, ignoreNulls = false): Column { return agg("last", [colExpr(c), Literal.create(ignoreNulls, null)]); }
export function approx_count_distinct(c: ColOrName, rsd?: number): Column {
  return agg("approx_count_distinct", rsd === undefined ? [colExpr(c)] : [colExpr(c), Literal.create(rsd, null)]);
}
export const approxCountDistinct = approx_count_distinct;

/**
 * window(timeColumn, windowDuration[, slideDuration[, startTime]]): tumbling or sliding
 * event-time windows, as a struct {start, end}.
 */
export function window(timeColumn: ColOrName, windowDuration: string, slideDuration?: string, startTime?: string): Column<TimeWindow, "window"> {
  const time = colExpr(timeColumn);
  const args = [time, Literal.create(windowDuration, null), Literal.create(slideDuration ?? windowDuration, null), Literal.create(startTime ?? "0 second", null)];
  return new Column(withSparkForm(timeWindow(time, windowDuration, slideDuration, startTime), { kind: "call", name: "window", args }));
}

/**
 * session_window(timeColumn, gapDuration): session windows, as a struct {start, end}. A
 * row opens [t, t + gap); sessions of a key that overlap merge. The gap is a duration
 * string, or a column giving each row's gap (`when(…, "5 seconds").otherwise("20 seconds")`).
 */
export function session_window(timeColumn: ColOrName, gapDuration: string | Column): Column<TimeWindow, "session_window"> {
  const time = colExpr(timeColumn);
  const gap = typeof gapDuration === "string" ? Literal.create(gapDuration, null) : gapDuration.expr;
  return new Column(withSparkForm(sessionWindow(time, typeof gapDuration === "string" ? gapDuration : gapDuration.expr), { kind: "call", name: "session_window", args: [time, gap] }));
}

/**
 * window_time(windowColumn): the event time of a window's rows, `window.end` less a
 * microsecond, keeping the window column's watermark: the time column of a second, coarser
 * window over a windowed aggregation's result (`window(window_time(col("window")), "1 hour")`).
 */
export function window_time(windowColumn: ColOrName): Column { return fn("window_time", colExpr(windowColumn)); }

// Conditionals and null handling
export function when(condition: Column, value: ColumnLike): Column {
  return new Column(Case.create([[condition.expr, toExpr(value)]], null));
}
export function not(c: Column): Column { return fn("not", c.expr); }
export function coalesce(...cols: Column[]): Column { return fn("coalesce", ...cols.map((c) => c.expr)); }
export function isnull(c: Column): Column { return fn("isnull", c.expr); }
export function isnotnull(c: Column): Column { return fn("isnotnull", c.expr); }
export function greatest(...cols: ColOrName[]): Column { return fn("greatest", ...cols.map(colExpr)); }
export function least(...cols: ColOrName[]): Column { return fn("least", ...cols.map(colExpr)); }

// Math
export function abs(c: ColOrName): Column { return fn("abs", colExpr(c)); }
export function round(c: ColOrName, scale = 0): Column { return fn("round", colExpr(c), Literal.create(scale, null)); }
/** `floor(c)`; with a scale (Spark 3.3+), rounded down to that many decimal places as a decimal. */
export function floor(c: ColOrName, scale?: number | Column): Column { return fn("floor", colExpr(c), ...(scale === undefined ? [] : [toExpr(scale)])); }
export function ceil(c: ColOrName, scale?: number | Column): Column { return fn("ceil", colExpr(c), ...(scale === undefined ? [] : [toExpr(scale)])); }
export function sqrt(c: ColOrName): Column { return fn("sqrt", colExpr(c)); }

// Strings
export function lower(c: ColOrName): Column { return fn("lower", colExpr(c)); }
export function upper(c: ColOrName): Column { return fn("upper", colExpr(c)); }
export function trim(c: ColOrName): Column { return fn("trim", colExpr(c)); }
export function ltrim(c: ColOrName): Column { return fn("ltrim", colExpr(c)); }
export function rtrim(c: ColOrName): Column { return fn("rtrim", colExpr(c)); }
export function length(c: ColOrName): Column { return fn("length", colExpr(c)); }
export function substring(c: ColOrName, pos: number, len: number): Column { return fn("substring", colExpr(c), Literal.create(pos, null), Literal.create(len, null)); }
export function split(c: ColOrName, pattern: string, limit?: number): Column {
  return fn("split", colExpr(c), Literal.create(pattern, null), ...(limit === undefined ? [] : [Literal.create(limit, null)]));
}
export function concat(...cols: ColOrName[]): Column { return fn("concat", ...cols.map(colExpr)); }
export function concat_ws(sep: string, ...cols: ColOrName[]): Column { return fn("concat_ws", Literal.create(sep, null), ...cols.map(colExpr)); }
export function regexp_extract(c: ColOrName, pattern: string, idx: number): Column {
  return fn("regexp_extract", colExpr(c), Literal.create(pattern, null), Literal.create(idx, null));
}
/**
 * Spark's `from_json(col, schema[, options])`: the schema as DDL ('a INT, b STRING', 'ARRAY<INT>',
 * 'MAP<STRING, INT>') or a StructType, ArrayType or MapType; malformed input gives nulls (PERMISSIVE), or fails with `{ mode: "FAILFAST" }`.
 */
export function from_json(c: ColOrName, schema: string | DataType, options?: Readonly<Record<string, string>>): Column {
  const ddl = typeof schema === "string" ? schema : schema instanceof StructType ? schema.toDDL() : ddlTypeName(schema);
  const args = [colExpr(c), Literal.create(ddl, null)];
  if (options !== undefined) args.push(Call.create("map", Object.entries(options).flatMap(([k, v]) => [Literal.create(k, null), Literal.create(v, null)])));
  return fn("from_json", ...args);
}
/** Spark's `get_json_object(json, path)`: the value at a JSON path (`$.a.b[0]`) as a string; null when malformed or absent. */
export function get_json_object(c: ColOrName, path: string): Column { return fn("get_json_object", colExpr(c), Literal.create(path, null)); }
/** Spark's `schema_of_json(json)`: the DDL of the type inferred from a JSON string literal, e.g. `STRUCT<a: BIGINT>`. */
export function schema_of_json(json: string | Column): Column { return fn("schema_of_json", typeof json === "string" ? Literal.create(json, null) : json.expr); }
/** Spark's `struct(cols…)`: a struct of the columns, each field named after its column; `struct(col("*"))` takes every column. */
export function struct(...cols: ColOrName[]): Column { return fn("struct", ...cols.map((c) => colExpr(c))); }
/** Spark's `to_json(col)` of a struct, map or array. */
/** Spark's `to_json(col, options?)`: options timestampFormat, timestampNTZFormat, dateFormat, timeZone (default: the session's). */
export function to_json(c: ColOrName, options?: Readonly<Record<string, string>>): Column {
  if (options === undefined) return fn("to_json", colExpr(c));
  return fn("to_json", colExpr(c), Call.create("map", Object.entries(options).flatMap(([k, v]) => [Literal.create(k, null), Literal.create(v, null)])));
}
export function regexp_replace(c: ColOrName, pattern: string, replacement: string): Column {
  return fn("regexp_replace", colExpr(c), Literal.create(pattern, null), Literal.create(replacement, null));
}

// Date and time
export function to_timestamp(c: ColOrName, format?: string): Column {
  return fn("to_timestamp", colExpr(c), ...(format === undefined ? [] : [Literal.create(format, null)]));
}
export function to_date(c: ColOrName, format?: string): Column {
  return fn("to_date", colExpr(c), ...(format === undefined ? [] : [Literal.create(format, null)]));
}
export function date_format(c: ColOrName, format: string): Column { return fn("date_format", colExpr(c), Literal.create(format, null)); }
export function date_trunc(format: string, c: ColOrName): Column { return fn("date_trunc", Literal.create(format, null), colExpr(c)); }
export function hour(c: ColOrName): Column { return fn("hour", colExpr(c)); }
export function minute(c: ColOrName): Column { return fn("minute", colExpr(c)); }
export function second(c: ColOrName): Column { return fn("second", colExpr(c)); }
export function year(c: ColOrName): Column { return fn("year", colExpr(c)); }
export function month(c: ColOrName): Column { return fn("month", colExpr(c)); }
export function dayofmonth(c: ColOrName): Column { return fn("dayofmonth", colExpr(c)); }
export function dayofweek(c: ColOrName): Column { return fn("dayofweek", colExpr(c)); }
export function current_timestamp(): Column { return fn("current_timestamp"); }
export function current_date(): Column { return fn("current_date"); }
export function unix_timestamp(c?: ColOrName, format?: string): Column {
  return fn("unix_timestamp", ...(c === undefined ? [] : [colExpr(c)]), ...(format === undefined ? [] : [Literal.create(format, null)]));
}

export * from "./datetime-functions.ts";

// Sorting
export function asc(name: string): Column { return col(name).asc(); }
export function desc(name: string): Column { return col(name).desc(); }

export { ColumnRef };

// The SQL surface's string, binary, hash, null-handling and statistical functions.
export * from "./string-functions.ts";
export * from "./misc-functions.ts";
export { udf, UDFRegistration, type UserDefinedFunction, type ReturnTypeLike, type UdfFunction } from "./user-defined-function.ts";
/** Spark 3.5's `call_function(name, cols…)`: a built-in or registered function by name (on Spark Connect, the cluster's). */
export function call_function(name: string, ...cols: ColOrName[]): Column { return fn(name, ...cols.map((c) => colExpr(c))); }
export * from "./window-functions.ts";
export * from "./grouping-functions.ts";
export * from "./generator-functions.ts";
export * from "./math-functions.ts";
export * from "./collection-functions.ts";
export * from "./higher-order-functions.ts";
export * from "./csv-functions.ts";
export * from "./alias-functions.ts";
