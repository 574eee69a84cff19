import type { CstNode } from "chevrotain";
import { AnalysisError } from "../../common/errors.ts";
import { Alias, Call, Case, ColumnRef, Literal, Star, isAggregate, isWindowed, type Expression } from "../../expr/expression.ts";
import { BooleanType } from "../../types/data-types.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { has, node, nodes, type Children } from "../cst.ts";
import type { ExpressionBuilder } from "../expression-builder.ts";

const UNSUPPORTED = "rivulet plans a LATERAL subquery that is one SELECT without FROM, GROUP BY, aggregates or windows (a computation over each row before it): write the others as a join";

/** The one SELECT block of a `(query)` that is nothing else, or undefined. */
function singleSelect(query: CstNode): Children | undefined {
  const q = query.children;
  if (has(q, "withClause") || has(q, "orderByClause") || has(q, "limitClause") || has(q, "offsetClause")) return undefined;
  const intersects = nodes(node(q, "queryBody")!.children, "intersectTerm");
  if (intersects.length !== 1) return undefined;
  const terms = nodes(intersects[0]!.children, "queryTerm");
  if (terms.length !== 1) return undefined;
  return node(terms[0]!.children, "querySpecification")?.children;
}

/**
 * `FROM t, LATERAL (SELECT t.a * 2 AS x [WHERE …])` (Spark 3.2+): the subquery runs once per
 * row of the relations before it and sees their columns; without a FROM of its own it is a
 * projection of those rows (and its WHERE a filter), the plan Spark's decorrelation makes of it.
 */
export function lateralSubquery(left: LogicalPlan, query: CstNode, exprs: ExpressionBuilder): LogicalPlan {
  const { items, where } = lateralSelect(query, exprs);
  return build.project(where === null ? left : build.filter(left, where), [Star.create(), ...items]);
}

/**
 * `t [CROSS | INNER | LEFT [OUTER]] JOIN LATERAL (SELECT …) [ON cond]` (Spark 3.2+). The subquery
 * gives at most one row per row of `t`, so the inner join is the comma form filtered by the
 * condition, and the left join keeps every row of `t`, with nulls for the subquery's columns
 * where its WHERE or the condition does not hold.
 */
export function lateralJoin(left: LogicalPlan, query: CstNode, exprs: ExpressionBuilder, joinType: "inner" | "left_outer", on: (() => Expression) | null): LogicalPlan {
  if (joinType === "inner") {
    const joined = lateralSubquery(left, query, exprs);
    return on === null ? joined : build.filter(joined, on());
  }
  const { items, where } = lateralSelect(query, exprs);
  const computed = build.project(left, [Star.create(), ...items]);
  const holds = (e: Expression | null): Expression | null => (e === null ? null : Call.create("coalesce", [e, Literal.create(false, BooleanType)]));
  const conditions = [holds(where), holds(on === null ? null : on())].filter((e) => e !== null);
  if (conditions.length === 0) return computed;
  const matched = conditions.reduce((a, b) => Call.create("and", [a, b]));
  const withMatch = build.project(computed, [Star.create(), Alias.create(matched, MATCHED)]);
  const out = withMatch.output;
  const bound = (i: number): Expression => { const c = out[i]!; return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier); };
  const leftWidth = left.output.length;
  const flag = bound(out.length - 1);
  return build.project(withMatch, out.slice(0, -1).map((c, i) => (i < leftWidth
    ? bound(i)
    : Alias.create(Case.create([[flag, bound(i)]], Literal.create(null, c.dataType)), c.name))));
}

/** Where the left join keeps whether a row of the subquery matched, for one projection. */
const MATCHED = "__lateral_matched";

/** The SELECT items and WHERE of a LATERAL subquery rivulet can plan as a computation over each row. */
function lateralSelect(query: CstNode, exprs: ExpressionBuilder): { items: Expression[]; where: Expression | null } {
  const spec = singleSelect(query);
  if (spec === undefined || has(spec, "fromClause") || has(spec, "groupByClause") || has(spec, "havingClause") || has(spec, "windowClause") || has(spec, "DISTINCT")) {
    throw new AnalysisError(UNSUPPORTED);
  }
  const items = nodes(spec, "selectItem").map((n) => exprs.build(n));
  if (items.some((i) => i.kind === "Star" || isAggregate(i) || isWindowed(i))) throw new AnalysisError(UNSUPPORTED);
  const whereNode = node(spec, "whereClause");
  return { items, where: whereNode === undefined ? null : exprs.build(node(whereNode.children, "expression")!) };
}

/** Whether a relation is `LATERAL (query)` alone (no joins after it). */
export function lateralPrimary(relation: CstNode): CstNode | undefined {
  const r = relation.children;
  if (has(r, "joinClause") && has(node(r, "relationPrimary")!.children, "LATERAL")) throw new AnalysisError(`${UNSUPPORTED}; a LATERAL subquery takes no join here`);
  return lateralQuery(node(r, "relationPrimary")!);
}

/** The query of `LATERAL (query)` as a relation primary, or undefined when it is another relation. */
export function lateralQuery(primary: CstNode): CstNode | undefined {
  if (!has(primary.children, "LATERAL")) return undefined;
  if (has(primary.children, "tableAlias") || has(primary.children, "watermarkClause") || has(primary.children, "sampleClause")) {
    throw new AnalysisError(`${UNSUPPORTED}; a LATERAL subquery takes no alias, watermark or sample here`);
  }
  return node(primary.children, "query");
}
