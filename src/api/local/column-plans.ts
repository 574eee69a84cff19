import { AnalysisError } from "../../common/errors.ts";
import { sameName } from "../../common/identifiers.ts";
import { Alias, ColumnRef, type Expression } from "../../expr/expression.ts";
import { resolveExpression } from "../../expr/resolve.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import { bindPlanColumns } from "../../plan/plan-column-binding.ts";
import * as build from "../../plan/plan-builder.ts";
import type { Column } from "../column.ts";

/**
 * The plans of the Dataset calls that reshape its columns (withColumn, withColumnRenamed,
 * toDF, drop): a projection over the plan's output, or the plan itself when nothing changes.
 */

const refOf = (plan: LogicalPlan, i: number): ColumnRef => {
  const c = plan.output[i]!;
  return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
};

/** Adds column `name`, or replaces the column of that name in place. */
export function withColumnPlan(plan: LogicalPlan, name: string, expr: Expression): LogicalPlan {
  const existing = plan.output.findIndex((c) => sameName(c.name, name));
  const exprs: Expression[] = plan.output.map((_, i) => (i === existing ? Alias.create(expr, name) : refOf(plan, i)));
  if (existing < 0) exprs.push(Alias.create(expr, name));
  return build.project(plan, exprs);
}

/** Renames every column named `existing`; no such column: the plan as it is (Spark's no-op). */
export function renamedPlan(plan: LogicalPlan, existing: string, newName: string): LogicalPlan {
  if (!plan.output.some((c) => sameName(c.name, existing))) return plan;
  return build.project(plan, plan.output.map((c, i) => (sameName(c.name, existing) ? Alias.create(refOf(plan, i), newName) : refOf(plan, i))));
}

/** toDF(names…): every column renamed, in order; the count must match. */
export function toDFPlan(plan: LogicalPlan, names: readonly string[]): LogicalPlan {
  if (names.length !== plan.output.length) {
    const old = plan.output.map((c) => c.name);
    throw new AnalysisError(`The number of columns doesn't match. Old column names (${old.length}): ${old.join(", ")}. New column names (${names.length}): ${names.join(", ")}`);
  }
  return build.project(plan, plan.output.map((_, i) => Alias.create(refOf(plan, i), names[i]!)));
}

/**
 * drop(cols…): a name drops every column of that name; a Column drops the one column it
 * resolves to (after a join, `b.col("id")` only b's), as Spark's drop(String) and drop(Column).
 */
export function droppedPlan(plan: LogicalPlan, cols: readonly (Column | string)[]): LogicalPlan {
  const names = cols.filter((c): c is string => typeof c === "string");
  const indices = new Set(cols.filter((c): c is Column => typeof c !== "string").map((c) => {
    try {
      const resolved = resolveExpression(bindPlanColumns(c.expr, plan), plan.output);
      return resolved.kind === "ColumnRef" ? resolved.index : -1;
    } catch (error) {
      // A column the Dataset does not have is no error (nothing to drop); an ambiguous one is.
      if (error instanceof AnalysisError && error.message.startsWith("[UNRESOLVED_COLUMN")) return -1;
      throw error;
    }
  }));
  const kept = plan.output.map((c, i) => ({ c, i })).filter(({ c, i }) => !indices.has(i) && !names.some((n) => sameName(n, c.name)));
  if (kept.length === plan.output.length) return plan;
  return build.project(plan, kept.map(({ i }) => refOf(plan, i)));
}
