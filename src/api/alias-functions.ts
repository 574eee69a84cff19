import { AggregateCall, Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/**
 * Spark's `functions` whose SQL functions rivulet already had but that were not exported:
 * mostly Spark's second names (`ifnull`, `nvl`, `lcase`, `ceiling`, `day`, `now`) and the
 * string, datetime and JSON short forms; re-exported by functions.ts. A `Column | string`
 * argument is a column (a string names it); other arguments are literals unless Columns.
 */

const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const unary = (name: string) => (c: ColOrName): Column => fn(name, colExpr(c));
const lit = (v: unknown): Expression => Literal.create(v, null);
const optional = (v: ColumnLike | undefined): Expression[] => (v === undefined ? [] : [toExpr(v)]);

// Null handling
export function ifnull(a: ColOrName, b: ColOrName): Column { return fn("ifnull", colExpr(a), colExpr(b)); }
export function nvl(a: ColOrName, b: ColOrName): Column { return fn("nvl", colExpr(a), colExpr(b)); }
/** Spark 4's zeroifnull(col): 0 where `col` is null. */
export function zeroifnull(c: ColOrName): Column { return fn("coalesce", colExpr(c), lit(0)); }
/** Spark 4's nullifzero(col): null where `col` is 0. */
export function nullifzero(c: ColOrName): Column { return fn("nullif", colExpr(c), lit(0)); }

// Math
export function bround(c: ColOrName, scale = 0): Column { return fn("bround", colExpr(c), lit(scale)); }
export function ceiling(c: ColOrName, scale?: ColumnLike): Column { return fn("ceiling", colExpr(c), ...optional(scale)); }
export const negative = unary("negative");
/** bitwise_not(col): SQL's `~col`. */
export const bitwise_not = unary("~");
/** Spark 3.5's negate: negative. */
export const negate = negative;
export function random(seed?: number): Column { return fn("random", ...(seed === undefined ? [] : [lit(seed)])); }

// Strings
export const char = unary("char"), char_length = unary("char_length"), character_length = unary("character_length");
export const initcap = unary("initcap"), lcase = unary("lcase"), ucase = unary("ucase"), sha = unary("sha");
/** contains(left, right): whether `right` (a literal unless a Column) occurs in `left`. */
export function contains(left: ColOrName, right: ColumnLike): Column { return fn("contains", colExpr(left), toExpr(right)); }
export function startswith(str: ColOrName, prefix: ColumnLike): Column { return fn("startswith", colExpr(str), toExpr(prefix)); }
export function endswith(str: ColOrName, suffix: ColumnLike): Column { return fn("endswith", colExpr(str), toExpr(suffix)); }
export function instr(str: ColOrName, substring: string): Column { return fn("instr", colExpr(str), lit(substring)); }
export function locate(substr: string, str: ColOrName, pos = 1): Column { return fn("locate", lit(substr), colExpr(str), lit(pos)); }
export function lpad(c: ColOrName, len: number, pad: string): Column { return fn("lpad", colExpr(c), lit(len), lit(pad)); }
export function rpad(c: ColOrName, len: number, pad: string): Column { return fn("rpad", colExpr(c), lit(len), lit(pad)); }
export function repeat(c: ColOrName, n: ColumnLike): Column { return fn("repeat", colExpr(c), toExpr(n)); }
export function replace(src: ColOrName, search: ColumnLike, replacement?: ColumnLike): Column { return fn("replace", colExpr(src), toExpr(search), ...optional(replacement)); }
export function substr(str: ColOrName, pos: ColumnLike, len?: ColumnLike): Column { return fn("substr", colExpr(str), toExpr(pos), ...optional(len)); }
/** like(str, pattern[, escapeChar]): SQL LIKE; the pattern is a literal unless a Column. */
export function like(str: ColOrName, pattern: ColumnLike, escapeChar?: ColumnLike): Column { return fn("like", colExpr(str), toExpr(pattern), ...optional(escapeChar)); }
/** reverse(col): a string's characters, or an array's elements, in reverse order. */
export const reverse = unary("reverse");

// Date and time
export function curdate(): Column { return fn("curdate"); }
export function now(): Column { return fn("now"); }
export const day = unary("day"), dayofyear = unary("dayofyear"), quarter = unary("quarter"), weekday = unary("weekday"), weekofyear = unary("weekofyear");
export function from_unixtime(c: ColOrName, format = "yyyy-MM-dd HH:mm:ss"): Column { return fn("from_unixtime", colExpr(c), lit(format)); }
export function to_timestamp_ltz(c: ColOrName, format?: ColumnLike): Column { return fn("to_timestamp_ltz", colExpr(c), ...optional(format)); }
export function to_timestamp_ntz(c: ColOrName, format?: ColumnLike): Column { return fn("to_timestamp_ntz", colExpr(c), ...optional(format)); }
/** trunc(date, format): the date truncated to the unit ("year", "yyyy", "quarter", "month", "mm", "week"). */
export function trunc(date: ColOrName, format: string): Column { return fn("trunc", colExpr(date), lit(format)); }
/** Spark 4's dayname(date): "Mon" … "Sun" (date_format's EEE). */
export function dayname(date: ColOrName): Column { return fn("date_format", colExpr(date), lit("EEE")); }
/** Spark 4's monthname(date): "Jan" … "Dec" (date_format's MMM). */
export function monthname(date: ColOrName): Column { return fn("date_format", colExpr(date), lit("MMM")); }

// Collections, structs, maps, JSON
/** get(array, index): the element at a 0-based index, null when out of range. */
export function get(c: ColOrName, index: ColumnLike): Column { return fn("get", colExpr(c), toExpr(index)); }
/** named_struct(name1, value1, …): names are literals (strings), values columns. */
export function named_struct(...cols: (ColOrName | Column)[]): Column {
  return fn("named_struct", ...cols.map((c, i) => (i % 2 === 0 && typeof c === "string" ? lit(c) : colExpr(c))));
}
/** create_map(key1, value1, …): Spark's map of columns (SQL's map). */
export function create_map(...cols: ColOrName[]): Column { return fn("map", ...cols.map(colExpr)); }
export const json_array_length = unary("json_array_length"), json_object_keys = unary("json_object_keys");
export const bitmap_bit_position = unary("bitmap_bit_position");

// Aggregates
export function product(c: ColOrName): Column { return new Column(AggregateCall.create("product", [colExpr(c)], false)); }
export function sum_distinct(c: ColOrName): Column { return new Column(AggregateCall.create("sum", [colExpr(c)], true)); }

// Sorting
export function asc_nulls_first(name: string): Column { return new Column(colExpr(name)).asc_nulls_first(); }
export function asc_nulls_last(name: string): Column { return new Column(colExpr(name)).asc_nulls_last(); }
export function desc_nulls_first(name: string): Column { return new Column(colExpr(name)).desc_nulls_first(); }
export function desc_nulls_last(name: string): Column { return new Column(colExpr(name)).desc_nulls_last(); }

/** call_udf(name, cols…): a function registered with spark.udf.register, by name (Spark 3.4). */
export function call_udf(name: string, ...cols: ColOrName[]): Column { return fn(name, ...cols.map(colExpr)); }

/** broadcast(df): Spark's hint that a join side is small; the same Dataset here (see Dataset.hint). */
export function broadcast<D extends { hint(name: string): unknown }>(df: D): D { return df.hint("broadcast") as D; }
