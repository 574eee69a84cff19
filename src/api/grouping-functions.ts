import { Call } from "../expr/expression.ts";
import { Column, colExpr } from "./column.ts";
import type { ColOrName } from "./functions.ts";


/** 1 when the row's grouping set leaves `c` out (rollup, cube, grouping sets), else 0 (Spark's grouping). */
export function grouping(c: ColOrName): Column { return new Column(Call.create("grouping", [colExpr(c)])); }

/** The grouping set's bitmask over `cols` (all grouping columns when none), Spark's grouping_id. */
export function grouping_id(...cols: ColOrName[]): Column { return new Column(Call.create("grouping_id", cols.map(colExpr))); }
