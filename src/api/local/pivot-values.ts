import { AnalysisError } from "../../common/errors.ts";
import { executeBatch } from "../../execution/batch-execution.ts";
import { valueAt } from "../../columnar/vector.ts";
import { ColumnRef, Literal, type Expression } from "../../expr/expression.ts";
import { displayExpression } from "../../expr/display.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import type { Session } from "../../session/session.ts";

/**
 * `pivot(column)` without values, as Spark's collectPivotValues: the column's distinct values,
 * sorted, at most `spark.sql.pivotMaxValues` (10000) of them; never on a stream.
 */
const PIVOT_MAX_VALUES = "spark.sql.pivotMaxValues";

export async function distinctPivotValues(session: Session, input: LogicalPlan, column: Expression): Promise<Expression[]> {
  if (input.isStreaming) throw new AnalysisError("[_LEGACY_ERROR_TEMP_3063] pivot is not supported on a streaming DataFrames/Datasets");
  const maxValues = Number(session.conf.get(PIVOT_MAX_VALUES) ?? "10000");
  const selected = build.project(input, [column]);
  const only = selected.output[0]!;
  const distinct = build.sort(build.limit(build.deduplicate(selected, null), maxValues + 1), [ColumnRef.bound(only.name, 0, only.dataType, only.nullable)]);
  const batch = await executeBatch(session.optimizePlan(distinct), session.conf);
  if (batch.numRows > maxValues) {
    throw new AnalysisError(`[_LEGACY_ERROR_TEMP_1090] The pivot column ${displayExpression(column)} has more than ${maxValues} distinct values, this could indicate an error. If this was intended, set ${PIVOT_MAX_VALUES} to at least the number of distinct values of the pivot column.`);
  }
  const values = batch.columns[0]!;
  return Array.from({ length: batch.numRows }, (_, i) => Literal.create(valueAt(values, i), only.dataType));
}
