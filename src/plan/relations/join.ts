import { AnalysisError } from "../../common/errors.ts";
import { typeOf } from "../../expr/coercion.ts";
import { displayExpression } from "../../expr/display.ts";
import { Call, ColumnRef, type Expression } from "../../expr/expression.ts";
import { resolveExpression } from "../../expr/resolve.ts";
import { joinOutputColumns, usingJoinOutput, usingJoinProjection, usingKeys } from "../join-output.ts";
import type { Join, JoinType, LogicalPlan, OutputColumn } from "../logical-plan.ts";
import { markUsingJoinProjection } from "../metadata-through-joins.ts";
import { bindPlanColumns } from "../plan-column-binding.ts";
import { project } from "../plan-builder.ts";
import { resolveSelfJoinCondition } from "../self-join-columns.ts";

/** Joins: Spark's join type names, joins on a condition, and USING joins (a projection over an equi-join). */

const JOIN_TYPES: Record<string, JoinType> = {
  inner: "inner", cross: "cross",
  outer: "full_outer", full: "full_outer", fullouter: "full_outer", full_outer: "full_outer",
  left: "left_outer", leftouter: "left_outer", left_outer: "left_outer",
  right: "right_outer", rightouter: "right_outer", right_outer: "right_outer",
  semi: "left_semi", leftsemi: "left_semi", left_semi: "left_semi",
  anti: "left_anti", leftanti: "left_anti", left_anti: "left_anti",
};

export function parseJoinType(text: string): JoinType {
  const t = JOIN_TYPES[text.toLowerCase()];
  if (!t) throw new AnalysisError(`Unsupported join type '${text}'. Supported join types include: ${Object.keys(JOIN_TYPES).join(", ")}`);
  return t;
}

/**
 * join(right, on, how): `on` is a condition, or column names for a USING join (SQL's
 * `USING (k)` and NATURAL JOIN, the DataFrame's `join(other, "k")` and `join(other, ["k"],
 * how)`), which joins on equality of those columns and outputs each key once: see
 * join-output.ts for Spark's rules.
 */
export function join(left: LogicalPlan, right: LogicalPlan, on: Expression | readonly string[] | null, joinType: JoinType): LogicalPlan {
  if (!Array.isArray(on)) return joinOn(left, right, on as Expression | null, joinType);
  const keys = usingKeys(left, right, on as readonly string[]);
  const combined = [...left.output, ...right.output];
  const w = left.output.length;
  const condition = keys
    .map((k): Expression => {
      const l = left.output[k.left]!, r = right.output[k.right]!;
      return Call.create("equalto", [ColumnRef.bound(l.name, k.left, l.dataType, l.nullable, l.qualifier), ColumnRef.bound(r.name, w + k.right, r.dataType, r.nullable, r.qualifier)]);
    })
    .reduce<Expression | null>((acc, e) => (acc === null ? e : Call.create("and", [acc, e])), null);
  const joined = joinOn(left, right, condition === null ? null : resolveExpression(condition, combined), joinType === "cross" ? "inner" : joinType);
  const shape = { left, right, joinType };
  const projected = project(joined, usingJoinProjection(shape, keys));
  return markUsingJoinProjection(Object.freeze({ ...projected, output: usingJoinOutput(shape, keys, projected.output) }) as LogicalPlan);
}

function joinOn(left: LogicalPlan, right: LogicalPlan, on: Expression | null, joinType: JoinType): Join {
  const combined = [...left.output, ...right.output];
  let condition: Expression | null = null;
  if (on !== null) {
    condition = resolveExpression(bindPlanColumns(resolveSelfJoinCondition(on, left, right), left, right), combined);
    if (typeOf(condition).kind !== "boolean") throw new AnalysisError(`join condition '${displayExpression(condition)}' is not a boolean`);
  }
  const nullableLeft = joinType === "right_outer" || joinType === "full_outer";
  const nullableRight = joinType === "left_outer" || joinType === "full_outer";
  const leftOut = left.output.map((c) => (nullableLeft ? { ...c, nullable: true } : c));
  const rightOut = right.output.map((c) => (nullableRight ? { ...c, nullable: true } : c));
  const combinedOut = [...leftOut, ...rightOut];
  const output: OutputColumn[] = joinOutputColumns({ left, right, joinType }).map((i) => combinedOut[i]!);
  return Object.freeze({ kind: "Join", left, right, joinType, condition, output, isStreaming: left.isStreaming || right.isStreaming });
}
