import { anyNode, type Expression } from "../expr/expression.ts";
import { lookupFunction } from "../expr/functions/registry.ts";

/**
 * Whether an expression gives the same value for the same input row every time it is
 * evaluated. current_timestamp() and rand() are not: the optimizer must not fold them,
 * duplicate them, or change how many rows they see.
 */
export function isDeterministic(e: Expression): boolean {
  return !anyNode(e, (x) => x.kind === "Call" && lookupFunction(x.name)?.deterministic === false);
}
