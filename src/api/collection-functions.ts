import { Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/** Spark's `functions` for arrays and maps (re-exported by functions.ts). */

const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const unary = (name: string) => (c: ColOrName): Column => fn(name, colExpr(c));
const withValue = (name: string) => (c: ColOrName, value: ColumnLike): Column => fn(name, colExpr(c), toExpr(value));
const two = (name: string) => (a: ColOrName, b: ColOrName): Column => fn(name, colExpr(a), colExpr(b));

export function array(...cols: ColOrName[]): Column { return fn("array", ...cols.map(colExpr)); }
export function map(...cols: ColumnLike[]): Column { return fn("map", ...cols.map(toExpr)); }
export const size = unary("size"), cardinality = unary("cardinality"), array_size = unary("array_size");
export const array_compact = unary("array_compact"), array_distinct = unary("array_distinct"), array_max = unary("array_max"), array_min = unary("array_min");
export const flatten = unary("flatten"), shuffle = unary("shuffle");
export const map_keys = unary("map_keys"), map_values = unary("map_values"), map_entries = unary("map_entries"), map_from_entries = unary("map_from_entries");
export const array_append = withValue("array_append"), array_prepend = withValue("array_prepend"), array_remove = withValue("array_remove");
export const array_position = withValue("array_position"), array_contains = withValue("array_contains"), element_at = withValue("element_at");
export const try_element_at = withValue("try_element_at"), map_contains_key = withValue("map_contains_key");
export const array_except = two("array_except"), array_intersect = two("array_intersect"), array_union = two("array_union");
export const arrays_overlap = two("arrays_overlap"), map_from_arrays = two("map_from_arrays");

export function array_insert(c: ColOrName, pos: ColumnLike, value: ColumnLike): Column { return fn("array_insert", colExpr(c), toExpr(pos), toExpr(value)); }
export function array_join(c: ColOrName, delimiter: string, nullReplacement?: string): Column {
  return fn("array_join", colExpr(c), Literal.create(delimiter, null), ...(nullReplacement === undefined ? [] : [Literal.create(nullReplacement, null)]));
}
export function array_repeat(c: ColOrName, count: ColumnLike): Column { return fn("array_repeat", colExpr(c), toExpr(count)); }
export function sort_array(c: ColOrName, asc = true): Column { return fn("sort_array", colExpr(c), Literal.create(asc, null)); }
export function slice(c: ColOrName, start: ColumnLike, length: ColumnLike): Column { return fn("slice", colExpr(c), toExpr(start), toExpr(length)); }
export function arrays_zip(...cols: ColOrName[]): Column { return fn("arrays_zip", ...cols.map(colExpr)); }
export function map_concat(...cols: ColOrName[]): Column { return fn("map_concat", ...cols.map(colExpr)); }
export function sequence(start: ColOrName, stop: ColOrName, step?: ColOrName): Column {
  return fn("sequence", colExpr(start), colExpr(stop), ...(step === undefined ? [] : [colExpr(step)]));
}
