import { AggregateCall, Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/**
 * Spark's window functions in `functions`: used with `.over(windowSpec)`. Ranking
 * functions take no arguments; lag/lead take a column name or Column, an offset and a
 * default value (a literal), as Spark's signatures.
 */

const windowFn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));

export function row_number(): Column { return windowFn("row_number"); }
export function rank(): Column { return windowFn("rank"); }
export function dense_rank(): Column { return windowFn("dense_rank"); }
export function percent_rank(): Column { return windowFn("percent_rank"); }
export function cume_dist(): Column { return windowFn("cume_dist"); }
export function ntile(n: number): Column { return windowFn("ntile", Literal.create(n, null)); }

/** The value `offset` rows before the current row in its partition (`defaultValue` when there is none). */
export function lag(c: ColOrName, offset = 1, defaultValue: ColumnLike = null, ignoreNulls = false): Column {
  return windowFn("lag", colExpr(c), Literal.create(offset, null), toExpr(defaultValue), Literal.create(ignoreNulls, null));
}

/** The value `offset` rows after the current row in its partition (`defaultValue` when there is none). */
export function lead(c: ColOrName, offset = 1, defaultValue: ColumnLike = null, ignoreNulls = false): Column {
  return windowFn("lead", colExpr(c), Literal.create(offset, null), toExpr(defaultValue), Literal.create(ignoreNulls, null));
}

/** The value of the `offset`-th row (from 1) of the window frame. */
export function nth_value(c: ColOrName, offset: number, ignoreNulls = false): Column {
  return windowFn("nth_value", colExpr(c), Literal.create(offset, null), Literal.create(ignoreNulls, null));
}

/** The first value of the window frame (or of a group): Spark's first_value. */
export function first_value(c: ColOrName, ignoreNulls = false): Column {
  return new Column(AggregateCall.create("first_value", [colExpr(c), Literal.create(ignoreNulls, null)]));
}

/** The last value of the window frame (or of a group): Spark's last_value. */
export function last_value(c: ColOrName, ignoreNulls = false): Column {
  return new Column(AggregateCall.create("last_value", [colExpr(c), Literal.create(ignoreNulls, null)]));
}

export const rowNumber = row_number;
export const denseRank = dense_rank;
export const percentRank = percent_rank;
export const cumeDist = cume_dist;
