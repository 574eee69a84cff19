import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { autoName } from "../expr/display.ts";
import {
  Alias, ColumnRef, SortOrder, Star, anyNode, isAggregate, isWindowed, stripAlias, transformDown, type Expression,
} from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import { resolveExpression } from "../expr/resolve.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { inlineLateralAliases, nonDeterministicInAggregate, readFromBelow } from "../plan/lateral-column-alias.ts";
import { filterWithSubqueries, hasSubquery, planSubqueryValues, type SubqueryPlanner } from "./subquery-rewrite.ts";
import { buildGroupingSets } from "./grouping-select.ts";
import { splitWindowsOverAggregates } from "./windows-over-aggregates.ts";

/**
 * One SELECT block → plan-builder calls, in Spark's order: FROM → WHERE → GROUP BY
 * (with HAVING) or projection → ORDER BY → DISTINCT. The calls are the ones the
 * DataFrame API makes for the same query (`filter`, `groupBy(…).agg(…)`, `select`,
 * `orderBy`, `distinct`), so both forms optimize to the same plan.
 */
export interface SelectParts {
  readonly input: LogicalPlan;
  /** Select items as written: expressions, `Alias`es, `Star`s. */
  readonly items: readonly Expression[];
  readonly where: Expression | null;
  /** null when there is no GROUP BY clause. */
  readonly groupBy: readonly Expression[] | null;
  /** GROUPING SETS / ROLLUP / CUBE: the sets, as indices into `groupBy`. */
  readonly groupingSets?: readonly (readonly number[])[] | null;
  /** GROUP BY ALL: group by every select item without an aggregate. */
  readonly groupByAll?: boolean;
  /** spark.sql.groupByOrdinal (default true): `GROUP BY 1` names the first select item. */
  readonly groupByOrdinal?: boolean;
  /** spark.sql.orderByOrdinal (default true): `ORDER BY 1` names the first output column. */
  readonly orderByOrdinal?: boolean;
  /** spark.sql.groupByAliases (default true): `GROUP BY alias` names a select item. */
  readonly groupByAliases?: boolean;
  readonly having: Expression | null;
  /** ORDER BY of the enclosing query when this SELECT is its whole body. */
  readonly orderBy: readonly SortOrder[];
  readonly distinct: boolean;
  /** Plans subquery expressions (SQL only); null when the SELECT has none. */
  readonly subqueries?: SubqueryPlanner | null;
}

export function buildSelect(selected: SelectParts): LogicalPlan {
  // `SELECT a + 1 AS b, b * 2 AS c`: lateral aliases first, so that grouping and aggregation see what they stand for.
  const computedBelow = new Set<Alias>();
  const inlined = inlineLateralAliases(selected.items, selected.input.output, computedBelow);
  if (computedBelow.size > 0) return selectOverNonDeterministicAliases(selected, inlined, computedBelow);
  const written: SelectParts = { ...selected, items: inlined };
  const parts: SelectParts = written.groupByAll
    ? { ...written, groupBy: written.items.filter((i) => i.kind !== "Star" && !isAggregate(i) && !isWindowed(i)).map(stripAlias) }
    : written;
  let input = parts.input;
  if (parts.where !== null) {
    input = parts.subqueries ? filterWithSubqueries(input, parts.where, parts.subqueries) : build.filter(input, parts.where);
  }
  if (parts.subqueries && parts.items.some(hasSubquery)) {
    // Subqueries in the select list: joined columns of the input (after WHERE), named as Spark names them.
    const items = build.expandStars(parts.items, input).map((i) => (i.kind === "Alias" || !hasSubquery(i) ? i : Alias.create(i, autoName(i))));
    const planned = planSubqueryValues(input, items, parts.subqueries);
    return buildSelect({ ...parts, input: planned.input, items: planned.exprs, where: null });
  }
  const aggregating = parts.groupBy !== null
    || parts.items.some(isAggregate)
    || (parts.having !== null && isAggregate(parts.having));
  if (!aggregating && parts.having !== null) {
    throw new AnalysisError("HAVING needs GROUP BY or an aggregate function in the select list");
  }
  if (aggregating && parts.items.some(isWindowed)) {
    // Windows over an aggregation: aggregate first (with what the windows read), then the windows.
    const { inner, items } = splitWindowsOverAggregates(parts);
    return buildSelect({ ...parts, input: buildSelect({ ...inner, input, where: null }), items, where: null, groupBy: null, groupingSets: null, groupByAll: false, having: null });
  }
  const overAggregation = aggregating ? build.splitGeneratorOverAggregation(parts.items) : null;
  if (overAggregation !== null) {
    // A generator over aggregated values: aggregate (with the generator's arguments), generate, then ORDER BY / DISTINCT.
    const aggregated = buildSelect({ ...parts, input, items: overAggregation.below, where: null, orderBy: [], distinct: false });
    const generated = build.project(aggregated, overAggregation.above(aggregated));
    return buildSelect({ ...parts, input: generated, items: [Star.create()], where: null, groupBy: null, groupingSets: null, groupByAll: false, having: null });
  }
  const plan = parts.groupingSets ? buildGroupingSets(parts, input, parts.groupingSets) : aggregating ? buildAggregate(parts, input) : buildProjection(parts, input);
  if (!parts.distinct) return plan;
  const deduplicated = build.deduplicate(plan, null);
  return parts.orderBy.length === 0 ? deduplicated : build.sort(deduplicated, parts.orderBy.map((o) => orderByOrdinal(o, deduplicated, parts.orderByOrdinal)));
}

/**
 * `SELECT rand() AS r, r * 2 AS d FROM t WHERE …`: r is computed once, in a projection (after
 * WHERE) that passes t's columns through, and the select list reads it there, as Spark's two
 * Projects; in an aggregation or with windows it is refused.
 */
function selectOverNonDeterministicAliases(selected: SelectParts, items: readonly Expression[], computedBelow: ReadonlySet<Alias>): LogicalPlan {
  const aggregating = selected.groupBy !== null || selected.groupByAll === true || (selected.groupingSets ?? null) !== null
    || items.some(isAggregate) || items.some(isWindowed) || (selected.having !== null && isAggregate(selected.having));
  if (aggregating) throw nonDeterministicInAggregate([...computedBelow][0]!);
  let input = selected.input;
  if (selected.where !== null) {
    input = selected.subqueries ? filterWithSubqueries(input, selected.where, selected.subqueries) : build.filter(input, selected.where);
  }
  const below = build.project(input, [Star.create(), ...computedBelow]);
  return buildSelect({ ...selected, input: below, items: readFromBelow(items, computedBelow), where: null });
}

/**
 * `ORDER BY 2` → the second output column of `plan` (a SELECT's projection or a set operation).
 * With spark.sql.orderByOrdinal off, the integer is a constant and the item sorts nothing.
 */
export function orderByOrdinal(order: SortOrder, plan: LogicalPlan, enabled = true): SortOrder {
  const n = enabled ? positionOf(order.child) : null;
  if (n === null) return order;
  const c = plan.output[n - 1];
  if (c === undefined) throw new AnalysisError(`[ORDER_BY_POS_OUT_OF_RANGE] ORDER BY position ${n} is not in select list (valid range is [1, ${plan.output.length}]).`);
  return SortOrder.create(ColumnRef.bound(c.name, n - 1, c.dataType, c.nullable, c.qualifier), order.ascending, order.nullsFirst);
}

export function positionOf(e: Expression): number | null {
  return e.kind === "Literal" && e.dataType === null && typeof e.value === "number" && Number.isInteger(e.value) ? e.value : null;
}

export function aliasOf(items: readonly Expression[], name: string): Expression | undefined {
  return items.find((i) => i.kind === "Alias" && sameName(i.name, name));
}

function buildProjection(parts: SelectParts, input: LogicalPlan): LogicalPlan {
  // SELECT * is the input itself (no identity projection to plan around).
  const all = parts.items.length === 1 && parts.items[0]!.kind === "Star" && parts.items[0]!.qualifier === null;
  const projected = all ? input : build.project(input, parts.items);
  if (parts.orderBy.length === 0 || parts.distinct) return projected;
  const orders = parts.orderBy.map((o) => orderByOrdinal(o, projected, parts.orderByOrdinal));
  try {
    return build.sort(projected, orders);
  } catch (e) {
    if (!(e instanceof AnalysisError)) throw e;
    // ORDER BY a column the select list drops: sort below the projection (select aliases inlined).
    const inlined = orders.map((o) => transformDown(o, (x) => {
      if (x.kind !== "ColumnRef" || x.index >= 0 || x.name.includes(".")) return undefined;
      const alias = aliasOf(parts.items, x.name);
      return alias === undefined ? undefined : stripAlias(alias);
    }) as SortOrder);
    if (!parts.items.some(isWindowed)) return build.project(build.sort(input, inlined), parts.items);
    // A window reorders its rows, so the sort goes above it: carry the dropped input columns through, sort, drop them.
    const carried = input.output.filter((c) => !projected.output.some((p) => sameName(p.name, c.name)))
      .map((c) => ColumnRef.create(c.name, c.qualifier));
    const sorted = build.sort(build.project(input, [...parts.items, ...carried]), orders);
    return build.project(sorted, projected.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)));
  }
}

interface ItemSlot {
  /** Index into the groupings, or -1 when the item is computed by the aggregation. */
  readonly group: number;
  readonly name: string;
}

function buildAggregate(parts: SelectParts, input: LogicalPlan): LogicalPlan {
  if (parts.items.some((i) => i.kind === "Star")) {
    throw new AnalysisError("SELECT * cannot be combined with GROUP BY or aggregate functions: name the grouping columns and aggregates");
  }
  const scope = input.output;
  const tryKey = (e: Expression): string | null => {
    try {
      return expressionKey(resolveExpression(e, scope, { allowAggregates: true }));
    } catch (err) {
      if (err instanceof AnalysisError) return null;
      throw err;
    }
  };

  // GROUP BY 1, GROUP BY alias (input columns win over aliases, as in Spark).
  const groupings = (parts.groupBy ?? []).map((g) => {
    const n = parts.groupByOrdinal === false ? null : positionOf(g);
    if (n !== null) {
      const item = parts.items[n - 1];
      if (item === undefined) throw new AnalysisError(`[GROUP_BY_POS_OUT_OF_RANGE] GROUP BY position ${n} is not in select list (valid range is [1, ${parts.items.length}]).`);
      if (isAggregate(item)) throw new AnalysisError(`GROUP BY position ${n} refers to an expression that contains an aggregate function: ${autoName(item)}`);
      return stripAlias(item);
    }
    if (g.kind === "ColumnRef" && parts.groupByAliases !== false && !g.name.includes(".") && tryKey(g) === null) {
      const alias = aliasOf(parts.items, g.name);
      if (alias !== undefined && !isAggregate(alias)) return stripAlias(alias);
    }
    return g;
  });
  const groupKeys = groupings.map((g) => tryKey(g));

  // Each select item is a grouping column or an aggregation result.
  const aggItems: Expression[] = [];
  const slots: ItemSlot[] = parts.items.map((item) => {
    const inner = stripAlias(item);
    const key = tryKey(inner);
    const group = key === null ? -1 : groupKeys.indexOf(key);
    if (group >= 0) return { group, name: item.kind === "Alias" ? item.name : autoName(resolveExpression(inner, scope)) };
    aggItems.push(item);
    return { group: -1, name: item.kind === "Alias" ? item.name : "" };
  });
  const itemKeys = aggItems.map((i) => tryKey(stripAlias(i)));

  // Aggregates that only HAVING or ORDER BY use are computed too, then projected away.
  const hidden: Expression[] = [];
  const hiddenKeys: string[] = [];
  const extras = [...(parts.having ? [parts.having] : []), ...parts.orderBy];
  for (const e of extras) {
    transformDown(e, (x) => {
      if (x.kind !== "AggregateCall") return undefined;
      const key = tryKey(x);
      if (key !== null && !itemKeys.includes(key) && !hiddenKeys.includes(key)) { hidden.push(x); hiddenKeys.push(key); }
      return x;
    });
  }

  const agg = build.aggregate(input, groupings, [...aggItems, ...hidden]);
  const g = groupings.length;
  const bound = (index: number): ColumnRef => {
    const c = agg.output[index]!;
    return ColumnRef.bound(c.name, index, c.dataType, c.nullable, c.qualifier);
  };
  let aggIndex = 0;
  const itemRefs = slots.map((s) => bound(s.group >= 0 ? s.group : g + aggIndex++));

  // HAVING / ORDER BY over the aggregation's output: aliases, grouping expressions, aggregates.
  const post = (e: Expression): Expression => transformDown(e, (x) => {
    // A name that is a grouping column reads it, before a select alias of the same name (Spark's HAVING b > 10 over GROUP BY b).
    const groupKey = x.kind === "ColumnRef" ? tryKey(x) : null;
    if (groupKey !== null && groupKeys.includes(groupKey)) return bound(groupKeys.indexOf(groupKey));
    if (x.kind === "ColumnRef" && x.index < 0 && !x.name.includes(".")) {
      const i = parts.items.findIndex((it) => it.kind === "Alias" && sameName(it.name, x.name));
      if (i >= 0) return itemRefs[i]!;
    }
    if (x.kind === "Literal" || x.kind === "SortOrder") return undefined;
    const key = tryKey(x);
    if (key === null) return undefined;
    if (x.kind === "AggregateCall") {
      const i = itemKeys.indexOf(key);
      return bound(i >= 0 ? g + i : g + aggItems.length + hiddenKeys.indexOf(key));
    }
    if (!anyNode(x, (y) => y.kind === "AggregateCall")) {
      const gi = groupKeys.indexOf(key);
      if (gi >= 0) return bound(gi);
    }
    return undefined;
  });

  let plan: LogicalPlan = agg;
  if (parts.having !== null) {
    // HAVING with a subquery (`count(*) > (SELECT avg(c) …)`): filtered as WHERE is, over the aggregation's output.
    const having = post(parts.having);
    plan = parts.subqueries && hasSubquery(having) ? filterWithSubqueries(plan, having, parts.subqueries) : build.filter(plan, having);
  }
  const finalExprs = itemRefs.map((ref, i) => {
    const name = slots[i]!.name || ref.name;
    return name === ref.name ? ref : Alias.create(ref, name);
  });
  if (parts.orderBy.length > 0 && !parts.distinct) {
    const orders = parts.orderBy.map((o) => {
      const n = positionOf(o.child);
      if (n === null) return post(o) as SortOrder;
      const ref = itemRefs[n - 1];
      if (ref === undefined) throw new AnalysisError(`[ORDER_BY_POS_OUT_OF_RANGE] ORDER BY position ${n} is not in select list (valid range is [1, ${itemRefs.length}]).`);
      return SortOrder.create(ref, o.ascending, o.nullsFirst);
    });
    plan = build.sort(plan, orders);
  }
  const identity = finalExprs.length === plan.output.length
    && finalExprs.every((e, i) => e.kind === "ColumnRef" && e.index === i);
  return identity ? plan : build.project(plan, finalExprs);
}
