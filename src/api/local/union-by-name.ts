import { AnalysisError } from "../../common/errors.ts";
import { sameName } from "../../common/identifiers.ts";
import { Alias, ColumnRef, type Expression } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import type { DataType } from "../../types/data-types.ts";

/**
 * `unionByName`: the right side's columns reordered by name to the left's. With
 * `allowMissingColumns`, a column only one side has is null on the other, and the right
 * side's extra columns come last (Spark's).
 */
export function unionByNamePlan(left: LogicalPlan, right: LogicalPlan, allowMissingColumns: boolean): LogicalPlan {
  const nullOf = (c: { name: string; dataType: DataType }): Expression =>
    Alias.create({ kind: "Cast", child: { kind: "Literal", value: null, dataType: { kind: "null" } }, to: c.dataType, dataType: c.dataType }, c.name);
  const refOf = (plan: LogicalPlan, i: number): Expression => {
    const o = plan.output[i]!;
    return ColumnRef.bound(o.name, i, o.dataType, o.nullable, o.qualifier);
  };
  const rightOnly = right.output.filter((o) => !left.output.some((c) => sameName(c.name, o.name)));
  if (!allowMissingColumns && right.output.length !== left.output.length) {
    throw new AnalysisError(`[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has ${left.output.length} columns and the second input has ${right.output.length} columns.`);
  }
  const rightExprs = left.output.map((c) => {
    const i = right.output.findIndex((o) => sameName(o.name, c.name));
    if (i < 0) {
      if (!allowMissingColumns) throw new AnalysisError(`Cannot resolve column name "${c.name}" among (${right.output.map((o) => o.name).join(", ")})`);
      return nullOf(c);
    }
    return refOf(right, i);
  });
  if (!allowMissingColumns || rightOnly.length === 0) return build.union([left, build.project(right, rightExprs)]);
  const paddedLeft = build.project(left, [...left.output.map((_, i) => refOf(left, i)), ...rightOnly.map(nullOf)]);
  const paddedRight = build.project(right, [...rightExprs, ...rightOnly.map((o) => refOf(right, right.output.indexOf(o)))]);
  return build.union([paddedLeft, paddedRight]);
}
