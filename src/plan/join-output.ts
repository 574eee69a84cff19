import { sameName } from "../common/identifiers.ts";
import type { JoinType, LogicalPlan } from "./logical-plan.ts";

interface JoinShape {
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  readonly usingColumns: readonly string[];
}

/**
 * Where each output column of a join comes from, as an index into left.output ++
 * right.output. Spark's order: for USING joins the key columns first (from the right side
 * in a right outer join, else from the left), then the other left columns, then the other
 * right columns; semi and anti joins output the left side only.
 */
export function joinOutputColumns(join: JoinShape): number[] {
  const leftWidth = join.left.output.length;
  const left = join.left.output.map((_, i) => i);
  if (join.joinType === "left_semi" || join.joinType === "left_anti") return left;
  const right = join.right.output.map((_, i) => leftWidth + i);
  if (join.usingColumns.length === 0) return [...left, ...right];
  const leftKeys = join.usingColumns.map((n) => join.left.output.findIndex((c) => sameName(c.name, n)));
  const rightKeys = join.usingColumns.map((n) => leftWidth + join.right.output.findIndex((c) => sameName(c.name, n)));
  const keys = join.joinType === "right_outer" ? rightKeys : leftKeys;
  return [...keys, ...left.filter((i) => !leftKeys.includes(i)), ...right.filter((i) => !rightKeys.includes(i))];
}
