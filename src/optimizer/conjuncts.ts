import { Call, Literal, type Expression } from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import { BooleanType } from "../types/data-types.ts";

/** `a AND (b AND c)` → [a, b, c]. */
export function splitConjuncts(e: Expression): Expression[] {
  if (e.kind === "Call" && e.name === "and" && e.args.length === 2) return [...splitConjuncts(e.args[0]!), ...splitConjuncts(e.args[1]!)];
  return [e];
}

/** The AND of boolean expressions, left-deep, in order; literal true for none. */
export function conjunction(parts: readonly Expression[]): Expression {
  if (parts.length === 0) return Literal.create(true, BooleanType);
  return parts.slice(1).reduce((acc, p) => and(acc, p), parts[0]!);
}

export function and(a: Expression, b: Expression): Expression {
  return Call.create("and", [a, b], BooleanType);
}

/** Drops conjuncts that repeat an earlier one (semantically equal). */
export function distinctConjuncts(parts: readonly Expression[]): Expression[] {
  const seen = new Set<string>();
  return parts.filter((p) => {
    const k = expressionKey(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
