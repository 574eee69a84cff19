import type { CstNode } from "chevrotain";
import { AnalysisError } from "../../common/errors.ts";
import { Star, isAggregate, isWindowed } from "../../expr/expression.ts";
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
  const spec = singleSelect(query);
  if (spec === undefined || has(spec, "fromClause") || has(spec, "groupByClause") || has(spec, "havingClause") || has(spec, "windowClause") || has(spec, "DISTINCT")) {
    throw new AnalysisError(UNSUPPORTED);
  }
  const items = nodes(spec, "selectItem").map((n) => exprs.build(n));
  if (items.some((i) => i.kind === "Star" || isAggregate(i) || isWindowed(i))) throw new AnalysisError(UNSUPPORTED);
  const whereNode = node(spec, "whereClause");
  const filtered = whereNode === undefined ? left : build.filter(left, exprs.build(node(whereNode.children, "expression")!));
  return build.project(filtered, [Star.create(), ...items]);
}

/** Whether a relation is `LATERAL (query)` alone (no joins after it). */
export function lateralPrimary(relation: CstNode): CstNode | undefined {
  const r = relation.children;
  const primary = node(r, "relationPrimary")!;
  if (!has(primary.children, "LATERAL")) return undefined;
  if (has(r, "joinClause") || has(primary.children, "tableAlias") || has(primary.children, "watermarkClause") || has(primary.children, "sampleClause")) {
    throw new AnalysisError(`${UNSUPPORTED}; a LATERAL subquery takes no alias, join, watermark or sample here`);
  }
  return node(primary.children, "query");
}
