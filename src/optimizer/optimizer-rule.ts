import { inputsOf, withInputs, type LogicalPlan } from "../plan/logical-plan.ts";

/**
 * One optimizer rule (DataFusion's OptimizerRule): a pure rewrite of a logical plan that
 * must keep the plan's output schema. `rewrite` returns the very same object when it
 * changes nothing, which is how the driver detects a fixed point.
 */
export interface OptimizerRule {
  /** snake_case, as in DataFusion ("push_down_filter"); reported in firedRules. */
  readonly name: string;
  rewrite(plan: LogicalPlan): LogicalPlan;
}

/**
 * Bottom-up: rewrites the inputs first, then `f` sees the node over its rewritten
 * inputs. Unchanged subtrees keep their identity.
 */
export function rewriteUp(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = inputsOf(plan);
  const next = inputs.length === 0 ? plan : withInputs(plan, inputs.map((c) => rewriteUp(c, f)));
  return f(next);
}

/**
 * Top-down: `f` sees each node before its inputs, then the inputs of whatever `f`
 * returned are rewritten. Unchanged subtrees keep their identity.
 */
export function rewriteDown(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const next = f(plan);
  const inputs = inputsOf(next);
  return inputs.length === 0 ? next : withInputs(next, inputs.map((c) => rewriteDown(c, f)));
}
