import type { LogicalPlan } from "../plan/logical-plan.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * Removes SubqueryAlias nodes (Spark's EliminateSubqueryAliases): a table alias only
 * qualifies names for resolution, which is done when the plan is built, so the optimized
 * plan of `FROM logs l` is that of `FROM logs` — and of the DataFrame form.
 */
export const EliminateSubqueryAliases: OptimizerRule = {
  name: "eliminate_subquery_aliases",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => (p.kind === "SubqueryAlias" ? p.input : p));
  },
};
