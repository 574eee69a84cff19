import { AnalysisError } from "../../common/errors.ts";
import { AggregateCall, Alias, Call, Case, ColumnRef, Literal, type Expression } from "../../expr/expression.ts";
import { resolveExpression } from "../../expr/resolve.ts";
import { isDeterministic } from "../../optimizer/determinism.ts";
import { mapExpressions } from "../../optimizer/plan-expressions.ts";
import { BooleanType, LongType } from "../../types/data-types.ts";
import { someNode, type LogicalPlan } from "../logical-plan.ts";
import { aggregate, join, limit, project } from "../plan-builder.ts";
import { union } from "./set-operations.ts";
import type { SubqueryPlan } from "./subquery-joins.ts";

/**
 * EXISTS and IN subqueries where their value is seen (under OR or NOT, in a SELECT list):
 * Spark's ExistenceJoin, a boolean column appended to the outer rows. Built here from left
 * semi and left anti joins: the outer rows some subquery row matches get one value, the
 * others another, and the parts are unioned (row order is not kept, as no SQL order is
 * promised without ORDER BY). IN keeps SQL's three-valued logic: NULL when no row matches
 * but one compares as unknown (a NULL value or a NULL in the subquery).
 */

function ref(plan: LogicalPlan, i: number, offset = 0): ColumnRef {
  const c = plan.output[i]!;
  return ColumnRef.bound(c.name, offset + i, c.dataType, c.nullable, c.qualifier);
}

const and = (a: Expression | null, b: Expression): Expression => (a === null ? b : Call.create("and", [a, b]));

/** The outer rows with one more column `name`, valued `value` (an expression over those rows). */
function withColumn(rows: LogicalPlan, value: Expression, name: string): LogicalPlan {
  return project(rows, [...rows.output.map((_, i) => ref(rows, i)), Alias.create(value, name)]);
}

/** The outer plan is read once per part: a nondeterministic one (rand()) would give parts that do not partition its rows. */
function requireDeterministic(outer: LogicalPlan, what: string): void {
  const nondeterministic = someNode(outer, (p) => {
    let found = false;
    mapExpressions(p, (e) => {
      if (!isDeterministic(e)) found = true;
      return e;
    });
    return found;
  });
  if (nondeterministic) {
    throw new AnalysisError(
      `[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] Unsupported subquery expression: ${what} outside a conjunct of WHERE over a nondeterministic input (rand(), uuid(), …); ` +
      "rivulet would evaluate the input twice. Compute the nondeterministic column in a separate query or cache it first.",
    );
  }
}

/** Outer rows with `name` = whether a subquery row satisfies `condition` (over outer ++ subquery): Spark's ExistenceJoin. */
function markMatches(outer: LogicalPlan, sub: LogicalPlan, condition: Expression, name: string): LogicalPlan {
  return union([
    withColumn(join(outer, sub, condition, "left_semi"), Literal.create(true, BooleanType), name),
    withColumn(join(outer, sub, condition, "left_anti"), Literal.create(false, BooleanType), name),
  ]);
}

/** `[NOT] EXISTS (…)` as a value: never NULL. Uncorrelated, one aggregate row (does the subquery have a row?) joined to every outer row. */
export function existsColumn(outer: LogicalPlan, sub: SubqueryPlan, name: string): LogicalPlan {
  if (sub.correlation === null) {
    const any = aggregate(limit(sub.plan, 1), [], [Alias.create(AggregateCall.create("count", [Literal.create(1, null)]), "__rows")]);
    const joined = join(outer, any, null, "cross");
    const w = outer.output.length;
    return project(joined, [...outer.output.map((_, i) => ref(outer, i)), Alias.create(Call.create("greaterthan", [ref(any, 0, w), Literal.create(0, LongType)]), name)]);
  }
  requireDeterministic(outer, "EXISTS");
  return markMatches(outer, sub.plan, sub.correlation, name);
}

/**
 * `(v1, …) IN (SELECT y1, … …)` as a value: TRUE when a subquery row (of those the correlation
 * keeps) equals the values; else NULL when one compares as unknown; else FALSE (also over no rows).
 */
export function inColumn(outer: LogicalPlan, values: readonly Expression[], sub: SubqueryPlan, name: string): LogicalPlan {
  if (sub.plan.output.length < values.length) throw new AnalysisError("IN subquery returns fewer columns than the values it is compared with");
  const w = outer.output.length;
  // The values name the outer query's columns (resolved before the join, so `k IN (SELECT k …)` is not ambiguous).
  const bound = values.map((v) => resolveExpression(v, outer.output));
  const eq = bound
    .map((v, i): Expression => Call.create("equalto", [v, ref(sub.plan, i, w)]))
    .reduce((a, b) => Call.create("and", [a, b]));
  if (sub.correlation === null && bound.length === 1) return uncorrelatedIn(outer, bound[0]!, eq, sub.plan, name);
  requireDeterministic(outer, "IN");
  const matched = withColumn(join(outer, sub.plan, and(sub.correlation, eq), "left_semi"), Literal.create(true, BooleanType), name);
  const unmatched = join(outer, sub.plan, and(sub.correlation, eq), "left_anti");
  // Spark's null-aware condition: a row whose comparison is unknown.
  const unknown = and(sub.correlation, Call.create("or", [eq, Call.create("isnull", [eq])]));
  return union([
    matched,
    withColumn(join(unmatched, sub.plan, unknown, "left_semi"), Literal.create(null, BooleanType), name),
    withColumn(join(unmatched, sub.plan, unknown, "left_anti"), Literal.create(false, BooleanType), name),
  ]);
}

/**
 * Uncorrelated `x IN (SELECT y …)` with a hash join on x = y: the matched rows are TRUE; the
 * others, joined to the subquery's row count and non-null count, are FALSE over no rows, NULL
 * when x is NULL or the subquery holds a NULL, FALSE otherwise.
 */
function uncorrelatedIn(outer: LogicalPlan, x: Expression, eq: Expression, sub: LogicalPlan, name: string): LogicalPlan {
  requireDeterministic(outer, "IN");
  const matched = withColumn(join(outer, sub, eq, "left_semi"), Literal.create(true, BooleanType), name);
  const unmatched = join(outer, sub, eq, "left_anti");
  const counts = aggregate(sub, [], [
    Alias.create(AggregateCall.create("count", [Literal.create(1, null)]), "__rows"),
    Alias.create(AggregateCall.create("count", [ref(sub, 0)]), "__values"),
  ]);
  const w = unmatched.output.length;
  const joined = join(unmatched, counts, null, "cross");
  const rows = ref(counts, 0, w), nonNull = ref(counts, 1, w);
  const value = Case.create([
    [Call.create("equalto", [rows, Literal.create(0, LongType)]), Literal.create(false, BooleanType)],
    [Call.create("or", [Call.create("isnull", [x]), Call.create("greaterthan", [rows, nonNull])]), Literal.create(null, BooleanType)],
  ], Literal.create(false, BooleanType));
  return union([matched, project(joined, [...unmatched.output.map((_, i) => ref(unmatched, i)), Alias.create(value, name)])]);
}
