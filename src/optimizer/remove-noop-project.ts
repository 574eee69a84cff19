import { sameType } from "../types/data-types.ts";
import type { LogicalPlan, Project } from "../plan/logical-plan.ts";
import { stripAlias } from "../expr/expression.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * Removes a Project that outputs exactly its input's columns, in order, with the same
 * names and types (Spark's RemoveNoopOperators); pruning and push-down leave these.
 */
export const RemoveNoopProject: OptimizerRule = {
  name: "remove_noop_project",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => (p.kind === "Project" && isNoop(p) ? p.input : p));
  },
};

function isNoop(p: Project): boolean {
  const input = p.input.output;
  if (p.exprs.length !== input.length) return false;
  return p.exprs.every((e, i) => {
    const inner = stripAlias(e);
    const out = p.output[i]!;
    const col = input[i]!;
    return inner.kind === "ColumnRef" && inner.index === i && out.name === col.name
      && sameType(out.dataType, col.dataType) && out.eventTimeDelayMicros === col.eventTimeDelayMicros;
  });
}
