import { AnalysisError } from "../../common/errors.ts";
import { Alias, ColumnRef } from "../../expr/expression.ts";
import type { LogicalPlan } from "../logical-plan.ts";
import { project } from "../plan-builder.ts";

/**
 * `(SELECT …) AS t(a, b)`, `WITH t(a, b) AS (…)`, `CREATE VIEW v(a, b) AS …` and the
 * DataFrame's `toDF("a", "b")`: renames the columns by position (Spark's
 * UnresolvedSubqueryColumnAliases), which must be as many as the plan's.
 */
export function columnAliases(input: LogicalPlan, names: readonly string[]): LogicalPlan {
  if (names.length !== input.output.length) {
    throw new AnalysisError(`Number of column aliases does not match number of columns. Number of column aliases: ${names.length}; number of columns: ${input.output.length}.`);
  }
  if (input.output.every((c, i) => c.name === names[i])) return input;
  return project(input, input.output.map((c, i) => Alias.create(ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier), names[i]!)));
}
