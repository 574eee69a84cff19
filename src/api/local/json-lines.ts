import { Call, ColumnRef, type Expression } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";

/** toJSON's row as Spark writes it: to_json of a struct of every column (to_json keeps the session time zone and drops null fields). */
export function jsonOfRow(plan: LogicalPlan): Expression {
  const fields = plan.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
  return Call.create("to_json", [Call.create("struct", fields)]);
}

/** Whether a plan still has the shape of toJSON's Dataset<string>: one string column named `value`. */
export function isValueColumn(plan: LogicalPlan): boolean {
  return plan.output.length === 1 && plan.output[0]!.name === "value" && plan.output[0]!.dataType.kind === "string";
}
