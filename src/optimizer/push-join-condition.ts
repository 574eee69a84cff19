import { referencedColumns, type Expression } from "../expr/expression.ts";
import type { Filter, Join, LogicalPlan } from "../plan/logical-plan.ts";
import { rebindColumns } from "./column-binding.ts";
import { conjunction, splitConjuncts } from "./conjuncts.ts";
import { isDeterministic } from "./determinism.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * Moves the conjuncts of a join's ON condition that read one side only into a filter on
 * that side (the join-condition half of Spark's PushPredicateThroughJoin): both sides for
 * inner, cross and left semi joins; the right (nullable) side of a left outer or left anti
 * join; the left of a right outer join; nothing for full outer joins, where a row failing a
 * one-side condition must still come out with nulls. push_down_filter then takes the filter
 * further, below a withWatermark when it does not read the event time — so the watermark
 * follows the rows that can join, as Spark's stream–stream joins expect.
 */
export const PushJoinCondition: OptimizerRule = {
  name: "push_join_condition",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => (p.kind === "Join" ? pushCondition(p) : p));
  },
};

function pushCondition(join: Join): LogicalPlan {
  if (join.condition === null) return join;
  const t = join.joinType;
  const intoLeft = t === "inner" || t === "cross" || t === "left_semi" || t === "right_outer";
  const intoRight = t === "inner" || t === "cross" || t === "left_semi" || t === "left_outer" || t === "left_anti";
  if (!intoLeft && !intoRight) return join;
  const leftWidth = join.left.output.length;
  const left: Expression[] = [];
  const right: Expression[] = [];
  const stay: Expression[] = [];
  for (const c of splitConjuncts(join.condition)) {
    const refs = [...referencedColumns(c)];
    if (refs.length === 0 || !isDeterministic(c)) stay.push(c);
    else if (intoLeft && refs.every((i) => i < leftWidth)) left.push(rebindColumns(c, (i) => i, join.left.output));
    else if (intoRight && refs.every((i) => i >= leftWidth)) right.push(rebindColumns(c, (i) => i - leftWidth, join.right.output));
    else stay.push(c);
  }
  if (left.length === 0 && right.length === 0) return join;
  const filterOn = (input: LogicalPlan, parts: Expression[]): LogicalPlan => (parts.length === 0 ? input
    : Object.freeze({ kind: "Filter", input, condition: conjunction(parts), output: input.output, isStreaming: input.isStreaming }) satisfies Filter);
  return Object.freeze({
    ...join,
    left: filterOn(join.left, left),
    right: filterOn(join.right, right),
    condition: stay.length === 0 ? null : conjunction(stay),
  });
}
