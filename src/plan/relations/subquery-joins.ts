import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { valueAt } from "../../columnar/vector.ts";
import { AggregateCall, Alias, Call, Case, ColumnRef, Literal, type Expression } from "../../expr/expression.ts";
import { resolveExpression } from "../../expr/resolve.ts";
import { BooleanType, StructType } from "../../types/data-types.ts";
import type { LogicalPlan } from "../logical-plan.ts";
import { mapBatches } from "../object-operators.ts";
import { aggregate, filter, join, limit, project } from "../plan-builder.ts";

/**
 * A subquery ready to be joined: its plan, and the correlated predicates pulled out of its
 * WHERE (resolved over outer.output ++ plan.output), null when it is not correlated.
 */
export interface SubqueryPlan {
  readonly plan: LogicalPlan;
  readonly correlation: Expression | null;
  /**
   * A correlated scalar aggregate's value over no rows (`count(x)` is 0, not NULL): the
   * plan then ends with [value, present] and outer rows without a match take this value,
   * as Spark's RewriteCorrelatedScalarSubquery does against the "count bug".
   */
  readonly emptyValue?: Expression;
}

const and = (a: Expression | null, b: Expression): Expression => (a === null ? b : Call.create("and", [a, b]));

function ref(plan: LogicalPlan, i: number, offset = 0): ColumnRef {
  const c = plan.output[i]!;
  return ColumnRef.bound(c.name, offset + i, c.dataType, c.nullable, c.qualifier);
}

/**
 * `WHERE [NOT] EXISTS (…)`: a left semi (anti) join on the correlated predicates, as
 * Spark's RewritePredicateSubquery. Uncorrelated, every outer row is kept (dropped) when
 * the subquery has a row.
 */
export function existsJoin(outer: LogicalPlan, sub: SubqueryPlan, negated: boolean): LogicalPlan {
  return join(outer, sub.plan, sub.correlation ?? Literal.create(true, BooleanType), negated ? "left_anti" : "left_semi");
}

/**
 * `WHERE x [NOT] IN (SELECT y …)`: a left semi join on `x = y` (and the correlated
 * predicates); NOT IN a left anti join on `x = y OR isnull(x = y)`, so that a null on
 * either side makes the row unknown (dropped), as SQL's three-valued NOT IN.
 */
export function inJoin(outer: LogicalPlan, value: Expression, sub: SubqueryPlan, negated: boolean): LogicalPlan {
  if (sub.plan.output.length < 1) throw new AnalysisError("IN subquery returns no column");
  const w = outer.output.length;
  // The value names the outer query's columns (resolved before the join, so `k IN (SELECT k …)` is not ambiguous).
  const eq = Call.create("equalto", [resolveExpression(value, outer.output), ref(sub.plan, 0, w)]);
  if (negated && sub.correlation === null) return nullAwareAntiJoin(outer, eq, sub.plan);
  const condition = negated ? Call.create("or", [eq, Call.create("isnull", [eq])]) : eq;
  return join(outer, sub.plan, and(sub.correlation, condition), negated ? "left_anti" : "left_semi");
}

/**
 * Uncorrelated `x NOT IN (SELECT y …)` without a nested loop (Spark's null-aware anti join,
 * spark.sql.optimizeNullAwareAntiJoin): a hash anti join on x = y; then, when the subquery
 * has a NULL, no row survives; and when it has any row, a NULL x does not survive either.
 */
function nullAwareAntiJoin(outer: LogicalPlan, eq: Expression, sub: LogicalPlan): LogicalPlan {
  const unmatched = join(outer, sub, eq, "left_anti");
  const subNull = limit(filter(sub, Call.create("isnull", [ref(sub, 0)])), 1);
  const noNullInSubquery = join(unmatched, subNull, Literal.create(true, BooleanType), "left_anti");
  const x = (eq as { args: readonly Expression[] }).args[0]!;
  const anyRow = limit(sub, 1);
  return join(noNullInSubquery, anyRow, Call.create("isnull", [x]), "left_anti");
}

/**
 * A scalar subquery as a column appended to `outer` (named `name`): uncorrelated, the one
 * row of the subquery joined to every outer row (NULL when it has none; Spark's
 * SCALAR_SUBQUERY_TOO_MANY_ROWS when it has more); correlated, a left outer join with the
 * subquery aggregated by its correlated columns (RewriteCorrelatedScalarSubquery).
 */
export function scalarJoin(outer: LogicalPlan, sub: SubqueryPlan, name: string): LogicalPlan {
  const w = outer.output.length;
  if (sub.correlation !== null) {
    const present = sub.plan.output.length - 1;
    const value: Expression = sub.emptyValue === undefined
      ? ref(sub.plan, present, w)
      : Case.create([[Call.create("isnull", [ref(sub.plan, present, w)]), sub.emptyValue]], ref(sub.plan, present - 1, w));
    return project(join(outer, sub.plan, sub.correlation, "left_outer"), [...outer.output.map((_, i) => ref(outer, i)), Alias.create(value, name)]);
  }
  const single = atMostOneRow(sub.plan);
  return project(join(outer, single, null, "cross"), [...outer.output.map((_, i) => ref(outer, i)), Alias.create(ref(single, 0, w), name)]);
}

/** The subquery's value as one row: first(value) and count(*), then a check that fails the query on more than one row. */
function atMostOneRow(plan: LogicalPlan): LogicalPlan {
  if (plan.output.length !== 1) {
    throw new AnalysisError(`[INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN] Invalid subquery: Scalar subquery must return only one column, but got ${plan.output.length}.`);
  }
  const counted = aggregate(plan, [], [
    Alias.create(AggregateCall.create("first", [ref(plan, 0)]), plan.output[0]!.name),
    Alias.create(AggregateCall.create("count", [Literal.create(1, null)]), "__rows"),
  ]);
  const schema = new StructType([{ name: counted.output[0]!.name, dataType: counted.output[0]!.dataType, nullable: true }]);
  return mapBatches(counted, "scalarSubquery", schema, (b) => {
    for (let i = 0; i < b.numRows; i++) {
      if (Number(valueAt(b.columns[1]!, i)) > 1) {
        throw new ExecutionError("[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as an expression.");
      }
    }
    return new ColumnBatch(schema, [b.columns[0]!], b.numRows);
  });
}
