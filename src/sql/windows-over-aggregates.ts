import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { autoName } from "../expr/display.ts";
import { Alias, ColumnRef, transformDown, withChildren, type Expression, type SortOrder } from "../expr/expression.ts";
import type { SelectParts } from "./select-builder.ts";

/**
 * Window functions in an aggregating SELECT (`rank() OVER (ORDER BY sum(b)) … GROUP BY a`), as
 * Spark's ExtractWindowExpressions: the aggregation computes every grouping column and
 * aggregate the windows read (as hidden columns), and the windows run over its result.
 * Returns the inner (aggregating) SELECT and the outer select list over it.
 */
export function splitWindowsOverAggregates(parts: SelectParts): { inner: SelectParts; items: Expression[] } {
  const hidden: Alias[] = [];
  const keys: string[] = [];
  // Each hidden column is named as its expression prints (`sum(b)`), so that names built over it read as Spark's.
  const hide = (e: Expression): Expression => {
    const key = JSON.stringify(e);
    let i = keys.indexOf(key);
    if (i < 0) {
      i = keys.length;
      keys.push(key);
      const shown = autoName(e);
      const name = /[.`]/.test(shown) || hidden.some((h) => sameName(h.name, shown)) ? `__agg${i}` : shown;
      hidden.push(Alias.create(e, name));
    }
    return ColumnRef.create(hidden[i]!.name);
  };
  // A GROUP BY expression (month(d)) is read whole from the aggregation, as Spark matches grouping expressions.
  const grouping = new Set((parts.groupBy ?? []).filter((g) => g.kind !== "ColumnRef" && g.kind !== "Literal").map((g) => JSON.stringify(g)));
  // Outside a window function: a grouping expression, a column or an aggregate is read from the aggregation.
  const lift = (e: Expression): Expression => transformDown(e, (x) => {
    if (x.kind !== "WindowExpression" && grouping.has(JSON.stringify(x))) return hide(x);
    if (x.kind === "WindowExpression") {
      const fn = x.fn.kind === "AggregateCall" || x.fn.kind === "Call" ? withChildren(x.fn, x.fn.args.map(lift)) : lift(x.fn);
      return { ...x, fn, partitionBy: x.partitionBy.map(lift), orderBy: x.orderBy.map((o) => ({ ...o, child: lift(o.child) }) as SortOrder) };
    }
    if (x.kind === "AggregateCall" || x.kind === "ColumnRef") return hide(x);
    return undefined;
  });
  const items = parts.items.map((item) => {
    if (item.kind === "Star") throw new AnalysisError("SELECT * cannot be combined with GROUP BY or aggregate functions: name the grouping columns and aggregates");
    return lift(item);
  });
  return { inner: { ...parts, items: hidden, orderBy: [], distinct: false }, items };
}
