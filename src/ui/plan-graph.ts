import type { ExecOperator } from "../physical/exec-operator.ts";
import { redactSecrets } from "./redact.ts";

/** A physical plan as the web UI draws it: one node per operator, children below. */
export interface PlanNode {
  readonly name: string;
  /** The operator's explain line, secrets masked. */
  readonly detail: string;
  readonly children: readonly PlanNode[];
}

export function planGraph(op: ExecOperator): PlanNode {
  return { name: op.name, detail: redactSecrets(op.describe()), children: op.children.map(planGraph) };
}
