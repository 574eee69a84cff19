import type { CstNode } from "chevrotain";
import { AnalysisError } from "../../common/errors.ts";
import { Alias, Call, Case, ColumnRef, Literal, Star, isAggregate, isWindowed, type Expression } from "../../expr/expression.ts";
import { BooleanType } from "../../types/data-types.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { has, node, nodes, type Children } from "../cst.ts";
import type { ExpressionBuilder } from "../expression-builder.ts";
import { identifierNames } from "./identifier-names.ts";

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
 * `FROM t, LATERAL (SELECT t.a * 2 AS x [WHERE …]) [AS s[(c)]]` (Spark 3.2+): the subquery runs
 * once per row of the relations before it and sees their columns; without a FROM of its own it
 * is a projection of those rows (and its WHERE a filter), the plan Spark's decorrelation makes
 * of it. `lateral` is the relation primary `LATERAL (query) alias`.
 */
export function lateralSubquery(left: LogicalPlan, lateral: CstNode, exprs: ExpressionBuilder): LogicalPlan {
  const { items, where } = lateralSelect(node(lateral.children, "query")!, exprs);
  const computed = build.project(where === null ? left : build.filter(left, where), [Star.create(), ...items]);
  return withLateralAlias(computed, left.output.length, lateral, exprs);
}

/**
 * `LATERAL (…) AS s(c1, c2)`: the subquery's columns (those after the first `leftWidth`)
 * renamed by the column list, if any, and qualified by `s`, as Spark's SubqueryAlias does.
 */
function withLateralAlias(plan: LogicalPlan, leftWidth: number, lateral: CstNode, exprs: ExpressionBuilder): LogicalPlan {
  const alias = node(lateral.children, "tableAlias");
  if (alias === undefined) return plan;
  const name = exprs.identifierText(alias);
  const columnList = node(alias.children, "identifierList");
  const out = plan.output;
  const width = out.length - leftWidth;
  const names = columnList === undefined ? out.slice(leftWidth).map((c) => c.name) : identifierNames(exprs, columnList);
  if (names.length !== width) {
    throw new AnalysisError(`Number of column aliases does not match number of columns. Number of column aliases: ${names.length}; number of columns: ${width}.`);
  }
  const bound = (i: number, qualifier: string | null): Expression => { const c = out[i]!; return ColumnRef.bound(c.name, i, c.dataType, c.nullable, qualifier); };
  // Renamed first (an Alias has no qualifier), then qualified by bound references.
  const renamed = out.every((c, i) => i < leftWidth || c.name === names[i - leftWidth]) ? plan
    : build.project(plan, out.map((c, i) => (i < leftWidth ? bound(i, c.qualifier) : Alias.create(bound(i, c.qualifier), names[i - leftWidth]!))));
  const named = renamed.output;
  return build.project(renamed, named.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, i < leftWidth ? c.qualifier : name)));
}

/**
 * `t [CROSS | INNER | LEFT [OUTER]] JOIN LATERAL (SELECT …) [ON cond]` (Spark 3.2+). The subquery
 * gives at most one row per row of `t`, so the inner join is the comma form filtered by the
 * condition, and the left join keeps every row of `t`, with nulls for the subquery's columns
 * where its WHERE or the condition does not hold.
 */
export function lateralJoin(left: LogicalPlan, lateral: CstNode, exprs: ExpressionBuilder, joinType: "inner" | "left_outer", on: (() => Expression) | null): LogicalPlan {
  if (joinType === "inner") {
    const joined = lateralSubquery(left, lateral, exprs);
    return on === null ? joined : build.filter(joined, on());
  }
  const { items, where } = lateralSelect(node(lateral.children, "query")!, exprs);
  // Aliased before the condition, which may name the subquery's columns by its alias.
  const computed = withLateralAlias(build.project(left, [Star.create(), ...items]), left.output.length, lateral, exprs);
  const holds = (e: Expression | null): Expression | null => (e === null ? null : Call.create("coalesce", [e, Literal.create(false, BooleanType)]));
  const conditions = [holds(where), holds(on === null ? null : on())].filter((e) => e !== null);
  if (conditions.length === 0) return computed;
  const matched = conditions.reduce((a, b) => Call.create("and", [a, b]));
  const withMatch = build.project(computed, [Star.create(), Alias.create(matched, MATCHED)]);
  const out = withMatch.output;
  const bound = (i: number): Expression => { const c = out[i]!; return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier); };
  const leftWidth = left.output.length;
  const flag = bound(out.length - 1);
  const joined = build.project(withMatch, out.slice(0, -1).map((c, i) => (i < leftWidth
    ? bound(i)
    : Alias.create(Case.create([[flag, bound(i)]], Literal.create(null, c.dataType)), c.name))));
  return withLateralAlias(joined, leftWidth, lateral, exprs);
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

/** `LATERAL (query) [alias]` as a relation primary (itself), or undefined when it is another relation. */
export function lateralQuery(primary: CstNode): CstNode | undefined {
  if (!has(primary.children, "LATERAL")) return undefined;
  if (has(primary.children, "watermarkClause") || has(primary.children, "sampleClause")) {
    throw new AnalysisError(`${UNSUPPORTED}; a LATERAL subquery takes no watermark or sample here`);
  }
  return primary;
}
