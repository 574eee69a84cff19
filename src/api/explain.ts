import type { RuntimeConfig } from "../common/config.ts";
import { optimize, rulesFor } from "../optimizer/optimizer.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { planString } from "../plan/plan-string.ts";
import { physicalPlanString, planPhysical } from "../physical/planner.ts";

/** Spark's explain output: the physical plan, or (extended) every stage and the rules that fired. */
export function explainString(plan: LogicalPlan, extended: boolean, conf: RuntimeConfig): string {
  const { plan: optimized, firedRules } = optimize(plan, rulesFor(conf));
  const physical = physicalPlanString(planPhysical(optimized, conf).root);
  if (!extended) return `== Physical Plan ==\n${physical}\n`;
  return [
    "== Analyzed Logical Plan ==",
    planString(plan),
    "",
    "== Optimized Logical Plan ==",
    planString(optimized),
    "",
    `== Rules Applied ==`,
    firedRules.length > 0 ? firedRules.join(", ") : "(none)",
    "",
    "== Physical Plan ==",
    physical,
    "",
  ].join("\n");
}
