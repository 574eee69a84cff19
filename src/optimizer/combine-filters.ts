import type { LogicalPlan } from "../plan/logical-plan.ts";
import { conjunction, distinctConjuncts, splitConjuncts } from "./conjuncts.ts";
import { isDeterministic } from "./determinism.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * `Filter c2 (Filter c1 x)` → `Filter (c1 AND c2) x`, so that push-down sees every
 * conjunct at once. Repeated conjuncts are dropped. As in Spark, a non-deterministic
 * inner condition is kept apart: merging would change the rows it is evaluated on.
 */
export const CombineFilters: OptimizerRule = {
  name: "combine_filters",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => {
      if (p.kind !== "Filter" || p.input.kind !== "Filter") return p;
      const inner = p.input;
      if (!isDeterministic(inner.condition)) return p;
      const parts = distinctConjuncts([...splitConjuncts(inner.condition), ...splitConjuncts(p.condition)]);
      return Object.freeze({ ...inner, condition: conjunction(parts) });
    });
  },
};
