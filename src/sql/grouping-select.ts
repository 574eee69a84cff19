import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { autoName } from "../expr/display.ts";
import { Alias, ColumnRef, SortOrder, isAggregate, stripAlias, transformDown, type Expression } from "../expr/expression.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { groupingSetsAggregate } from "../plan/grouping-sets.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { aliasOf, positionOf, type SelectParts } from "./select-builder.ts";

/**
 * A SELECT with GROUPING SETS, ROLLUP or CUBE: one Aggregate over an Expand
 * (plan/grouping-sets.ts). HAVING and ORDER BY are computed as extra aggregation results,
 * then filtered, sorted and projected away; names in them read the grouping columns first,
 * then the select list's aliases, as Spark resolves them.
 */
export function buildGroupingSets(parts: SelectParts, input: LogicalPlan, sets: readonly (readonly number[])[]): LogicalPlan {
  if (parts.items.some((i) => i.kind === "Star")) {
    throw new AnalysisError("SELECT * cannot be combined with GROUP BY or aggregate functions: name the grouping columns and aggregates");
  }
  const resolves = (e: Expression): boolean => {
    try {
      resolveExpression(e, input.output, { allowAggregates: true });
      return true;
    } catch (err) {
      if (err instanceof AnalysisError) return false;
      throw err;
    }
  };
  const groupings = (parts.groupBy ?? []).map((g) => {
    const n = parts.groupByOrdinal === false ? null : positionOf(g);
    if (n !== null) {
      const item = parts.items[n - 1];
      if (item === undefined) throw new AnalysisError(`[GROUP_BY_POS_OUT_OF_RANGE] GROUP BY position ${n} is not in select list (valid range is [1, ${parts.items.length}]).`);
      if (isAggregate(item)) throw new AnalysisError(`GROUP BY position ${n} refers to an expression that contains an aggregate function: ${autoName(item)}`);
      return stripAlias(item);
    }
    if (g.kind === "ColumnRef" && parts.groupByAliases !== false && !resolves(g)) {
      const alias = aliasOf(parts.items, g.name);
      if (alias !== undefined && !isAggregate(alias)) return stripAlias(alias);
    }
    return g;
  });
  // Select aliases in HAVING / ORDER BY, where no input column of that name exists.
  const inlineAliases = (e: Expression): Expression => transformDown(e, (x) => {
    if (x.kind !== "ColumnRef" || x.index >= 0 || resolves(x)) return undefined;
    const alias = aliasOf(parts.items, x.name);
    return alias === undefined ? undefined : stripAlias(alias);
  });
  const extras: Expression[] = [];
  if (parts.having !== null) extras.push(Alias.create(inlineAliases(parts.having), "__having"));
  const orders = parts.distinct ? [] : parts.orderBy.map((o, k) => {
    const n = positionOf(o.child);
    const key = n === null ? inlineAliases(o.child) : parts.items[n - 1];
    if (key === undefined) throw new AnalysisError(`ORDER BY position ${n} is not in select list (valid range is [1, ${parts.items.length}])`);
    extras.push(Alias.create(stripAlias(key), `__order${k}`));
    return o;
  });
  let plan: LogicalPlan = groupingSetsAggregate(input, groupings, sets, [...parts.items, ...extras]);
  const width = parts.items.length;
  const ref = (i: number): ColumnRef => { const c = plan.output[i]!; return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier); };
  let next = width;
  if (parts.having !== null) plan = build.filter(plan, ref(next++));
  if (orders.length > 0) plan = build.sort(plan, orders.map((o) => SortOrder.create(ref(next++), o.ascending, o.nullsFirst)));
  if (extras.length === 0) return plan;
  return build.project(plan, parts.items.map((item, i) => {
    const r = ref(i);
    return item.kind === "Alias" && !sameName(item.name, r.name) ? Alias.create(r, item.name) : r;
  }));
}
