import { Call, Literal } from "../expr/expression.ts";
import { Column, colExpr } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/**
 * Spark's generator functions: each input row becomes zero or more rows. One per select();
 * name their columns with `alias` (`explode(col("m")).alias("k", "v")` for a map).
 */
const generator = (name: string, c: ColOrName): Column => new Column(Call.create(name, [colExpr(c)]));

/** One row per element of an array (`col`) or entry of a map (`key`, `value`); none for a null or empty one. */
export function explode(c: ColOrName): Column { return generator("explode", c); }
/** As explode, but a null or empty array or map gives one row of nulls. */
export function explode_outer(c: ColOrName): Column { return generator("explode_outer", c); }
/** As explode, with the element's position first (`pos`, from 0). */
export function posexplode(c: ColOrName): Column { return generator("posexplode", c); }
export function posexplode_outer(c: ColOrName): Column { return generator("posexplode_outer", c); }
/** One row per struct of an array of structs, one column per field. */
export function inline(c: ColOrName): Column { return generator("inline", c); }
export function inline_outer(c: ColOrName): Column { return generator("inline_outer", c); }
/** The fields of a JSON object as STRING columns `c0`, `c1`, …; nulls when missing or malformed. */
export function json_tuple(json: ColOrName, ...fields: string[]): Column {
  return new Column(Call.create("json_tuple", [colExpr(json), ...fields.map((f) => Literal.create(f, null))]));
}
/** Spark's `stack(n, cols…)`: the values as n rows of ceil(k / n) columns (`col0`, …). */
export function stack(n: number, ...cols: ColOrName[]): Column {
  return new Column(Call.create("stack", [Literal.create(n, null), ...cols.map(colExpr)]));
}
