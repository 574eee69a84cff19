import { Call, ColumnRef, type Expression } from "../expr/expression.ts";
import { lambdaFunction } from "../expr/lambda.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/**
 * Spark's higher-order `functions` taking a JS function of Columns, as Scala's
 * `transform(col, x => x * 2)` and PySpark's (the parameter count is the function's arity):
 * `transform(col("a"), (x) => x.multiply(2))`, `aggregate(col("a"), lit(0), (acc, x) => acc.plus(x))`.
 */

let nextVariable = 0;
const NAMES = ["x", "y", "z"];

/** A lambda of `arity` fresh variables (x_0, y_1…, as Spark's UnresolvedNamedLambdaVariable), so no column is captured by mistake. */
function lambda(f: (...vars: Column[]) => Column, arity: number): Expression {
  const names = Array.from({ length: arity }, (_, k) => `${NAMES[k] ?? "v"}_${nextVariable++}`);
  return lambdaFunction(names, f(...names.map((n) => new Column(ColumnRef.create(n)))).expr);
}

const call = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const arity = (f: (...a: Column[]) => Column, min: number, max: number): number => Math.min(max, Math.max(min, f.length));

/** transform(col, x => …) or, with the element's index, transform(col, (x, i) => …). */
export function transform(c: ColOrName, f: (x: Column, i: Column) => Column): Column {
  return call("transform", colExpr(c), lambda(f as (...a: Column[]) => Column, arity(f as (...a: Column[]) => Column, 1, 2)));
}
export function filter(c: ColOrName, f: (x: Column, i: Column) => Column): Column {
  return call("filter", colExpr(c), lambda(f as (...a: Column[]) => Column, arity(f as (...a: Column[]) => Column, 1, 2)));
}
export function exists(c: ColOrName, f: (x: Column) => Column): Column { return call("exists", colExpr(c), lambda(f, 1)); }
export function forall(c: ColOrName, f: (x: Column) => Column): Column { return call("forall", colExpr(c), lambda(f, 1)); }
export function aggregate(c: ColOrName, initialValue: ColumnLike, merge: (acc: Column, x: Column) => Column, finish?: (acc: Column) => Column): Column {
  return call("aggregate", colExpr(c), toExpr(initialValue), lambda(merge, 2), ...(finish === undefined ? [] : [lambda(finish, 1)]));
}
export function reduce(c: ColOrName, initialValue: ColumnLike, merge: (acc: Column, x: Column) => Column, finish?: (acc: Column) => Column): Column {
  return call("reduce", colExpr(c), toExpr(initialValue), lambda(merge, 2), ...(finish === undefined ? [] : [lambda(finish, 1)]));
}
export function zip_with(left: ColOrName, right: ColOrName, f: (x: Column, y: Column) => Column): Column {
  return call("zip_with", colExpr(left), colExpr(right), lambda(f, 2));
}
/** array_sort(col[, comparator]): ascending with nulls last, or by a comparator returning a negative, zero or positive int. */
export function array_sort(c: ColOrName, comparator?: (left: Column, right: Column) => Column): Column {
  return call("array_sort", colExpr(c), ...(comparator === undefined ? [] : [lambda(comparator, 2)]));
}
export function map_filter(c: ColOrName, f: (k: Column, v: Column) => Column): Column { return call("map_filter", colExpr(c), lambda(f, 2)); }
export function transform_keys(c: ColOrName, f: (k: Column, v: Column) => Column): Column { return call("transform_keys", colExpr(c), lambda(f, 2)); }
export function transform_values(c: ColOrName, f: (k: Column, v: Column) => Column): Column { return call("transform_values", colExpr(c), lambda(f, 2)); }
export function map_zip_with(left: ColOrName, right: ColOrName, f: (k: Column, v1: Column, v2: Column) => Column): Column {
  return call("map_zip_with", colExpr(left), colExpr(right), lambda(f, 3));
}
