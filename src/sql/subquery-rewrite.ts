import { AnalysisError } from "../common/errors.ts";
import { Call, ColumnRef, anyNode, transformDown, type Expression, type Subquery } from "../expr/expression.ts";
import { resolveExpression } from "../expr/resolve.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { existsColumn, inColumn } from "../plan/relations/existence-join.ts";

/** Builds a subquery's plan against the outer query's current plan (for its correlated names). */
export type SubqueryPlanner = (query: Subquery, outer: LogicalPlan) => build.SubqueryPlan;

const hasSubquery = (e: Expression): boolean => anyNode(e, (x) => x.kind === "Subquery");

function conjuncts(e: Expression): Expression[] {
  return e.kind === "Call" && e.name === "and" ? e.args.flatMap(conjuncts) : [e];
}

let subqueryNames = 0;

/**
 * Subqueries in `exprs` become columns of `input`: a scalar subquery's value (a join, see
 * scalarJoin), an EXISTS or IN subquery's boolean (Spark's existence join, see
 * existence-join.ts), so they can sit under OR, NOT or in a SELECT list. Returns the widened
 * input and the expressions reading those columns.
 */
export function planSubqueryValues(input: LogicalPlan, exprs: readonly Expression[], planner: SubqueryPlanner): { input: LogicalPlan; exprs: Expression[] } {
  let plan = input;
  const rewritten = exprs.map((e) => transformDown(e, (x) => {
    if (x.kind !== "Subquery") return undefined;
    const name = `${x.subqueryKind === "scalar" ? "scalarsubquery" : x.subqueryKind}()#${++subqueryNames}`;
    if (x.subqueryKind === "scalar") plan = build.scalarJoin(plan, planner(x, plan), name);
    else if (x.subqueryKind === "exists") plan = existsColumn(plan, planner(x, plan), name);
    else {
      if (x.values.some(hasSubquery)) throw new AnalysisError("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] Unsupported subquery expression: a subquery on the left of IN (subquery)");
      plan = inColumn(plan, x.values, planner(x, plan), name);
    }
    return ColumnRef.create(`\`${name}\``);
  }));
  return { input: plan, exprs: rewritten };
}

/**
 * WHERE with subqueries: each `[NOT] EXISTS (…)` and `x [NOT] IN (SELECT …)` conjunct
 * becomes a semi or anti join of the input (Spark's RewritePredicateSubquery); subqueries
 * in the other conjuncts (scalar ones, EXISTS and IN under OR or NOT) become joined columns,
 * filtered on, then projected away. Returns the filtered plan with the input's columns.
 */
export function filterWithSubqueries(input: LogicalPlan, where: Expression, planner: SubqueryPlanner): LogicalPlan {
  if (!hasSubquery(where)) return build.filter(input, where);
  let plan = input;
  const rest: Expression[] = [];
  for (const c of conjuncts(where)) {
    const negated = c.kind === "Call" && c.name === "not" && c.args[0]!.kind === "Subquery";
    const inner = negated ? (c as { args: readonly Expression[] }).args[0]! : c;
    if (inner.kind === "Subquery" && inner.subqueryKind === "exists") {
      plan = build.existsJoin(plan, planner(inner, plan), negated);
    } else if (inner.kind === "Subquery" && inner.subqueryKind === "in") {
      if (inner.values.some(hasSubquery)) throw new AnalysisError("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] Unsupported subquery expression: a subquery on the left of IN (subquery)");
      plan = inner.values.length === 1
        ? build.inJoin(plan, inner.values[0]!, planner(inner, plan), negated)
        : tupleInJoin(plan, inner.values, planner(inner, plan), negated);
    } else {
      rest.push(c);
    }
  }
  if (rest.length === 0) return plan;
  const scalars = planSubqueryValues(plan, rest, planner);
  const filtered = build.filter(scalars.input, scalars.exprs.reduce((a, b) => ({ kind: "Call", name: "and", args: [a, b], dataType: null })));
  if (filtered.output.length === input.output.length) return filtered;
  return build.project(filtered, input.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)));
}

/**
 * `(a, b) [NOT] IN (SELECT x, y …)`: a left semi join on `a = x AND b = y` (and the correlated
 * predicates); NOT IN a left anti join on that conjunction OR its being null, as one column's.
 */
function tupleInJoin(outer: LogicalPlan, values: readonly Expression[], sub: build.SubqueryPlan, negated: boolean): LogicalPlan {
  const w = outer.output.length;
  const eq = values.map((v, i): Expression => {
    const c = sub.plan.output[i]!;
    return Call.create("equalto", [resolveExpression(v, outer.output), ColumnRef.bound(c.name, w + i, c.dataType, c.nullable, c.qualifier)]);
  }).reduce((a, b) => Call.create("and", [a, b]));
  const condition = negated ? Call.create("or", [eq, Call.create("isnull", [eq])]) : eq;
  const on = sub.correlation === null ? condition : Call.create("and", [sub.correlation, condition]);
  return build.join(outer, sub.plan, on, negated ? "left_anti" : "left_semi");
}

export { hasSubquery };
