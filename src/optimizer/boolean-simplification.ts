import { Call, Literal, transformUp, type Expression } from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import type { Filter, LocalRelation, LogicalPlan } from "../plan/logical-plan.ts";
import { BooleanType } from "../types/data-types.ts";
import { isDeterministic } from "./determinism.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";
import { mapExpressions } from "./plan-expressions.ts";

/**
 * Simplifies boolean logic (Spark's BooleanSimplification + PruneFilters):
 * `true AND x` → `x`, `false AND x` → `false`, `x OR true` → `true`, `NOT NOT x` → `x`,
 * `NOT (a = b)` → `(a != b)`, `x AND x` → `x`. A Filter that keeps every row goes; one
 * that keeps none becomes an empty relation (batch) or `Filter false` (streaming, where
 * the source must still be read so that offsets advance).
 */
export const BooleanSimplification: OptimizerRule = {
  name: "boolean_simplification",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => {
      const next = mapExpressions(p, simplifyBoolean);
      return next.kind === "Filter" ? pruneFilter(next) : next;
    });
  },
};

export function simplifyBoolean(e: Expression): Expression {
  return transformUp(e, simplifyNode);
}

const TRUE = Literal.create(true, BooleanType);
const FALSE = Literal.create(false, BooleanType);

/** NOT (a op b) → a op' b. Ordering comparisons are only inverted where NaN cannot occur. */
const NEGATED: Record<string, string> = {
  equalto: "notequalto", notequalto: "equalto",
  lessthan: "greaterthanorequal", greaterthanorequal: "lessthan",
  lessthanorequal: "greaterthan", greaterthan: "lessthanorequal",
  isnull: "isnotnull", isnotnull: "isnull",
};

function isLiteral(e: Expression, value: boolean | null): boolean {
  return e.kind === "Literal" && e.value === value;
}

function simplifyNode(e: Expression): Expression {
  if (e.kind !== "Call") return e;
  const [a, b] = e.args;
  switch (e.name) {
    case "and":
      if (a === undefined || b === undefined) return e;
      if (isLiteral(a, true)) return b;
      if (isLiteral(b, true)) return a;
      if (isLiteral(a, false) || isLiteral(b, false)) return FALSE;
      if (sameDeterministic(a, b)) return a;
      return e;
    case "or":
      if (a === undefined || b === undefined) return e;
      if (isLiteral(a, false)) return b;
      if (isLiteral(b, false)) return a;
      if (isLiteral(a, true) || isLiteral(b, true)) return TRUE;
      if (sameDeterministic(a, b)) return a;
      return e;
    case "not": {
      if (a === undefined) return e;
      if (a.kind === "Literal" && typeof a.value === "boolean") return a.value ? FALSE : TRUE;
      if (a.kind !== "Call") return e;
      if (a.name === "not") return a.args[0]!;
      const negated = NEGATED[a.name];
      if (negated === undefined) return e;
      const ordering = a.name !== "equalto" && a.name !== "notequalto" && a.name !== "isnull" && a.name !== "isnotnull";
      // With NaN, `NOT (x < 1)` is true while `x >= 1` is false.
      if (ordering && a.args.some((x) => x.dataType?.kind === "double" || x.dataType?.kind === "float")) return e;
      return Call.create(negated, a.args, BooleanType);
    }
    default: return e;
  }
}

function sameDeterministic(a: Expression, b: Expression): boolean {
  return isDeterministic(a) && expressionKey(a) === expressionKey(b);
}

function pruneFilter(f: Filter): LogicalPlan {
  const c = f.condition;
  if (c.kind !== "Literal") return f;
  if (c.value === true) return f.input;
  if (f.isStreaming) {
    return c.value === false ? f : Object.freeze({ ...f, condition: FALSE });
  }
  const empty: LocalRelation = Object.freeze({ kind: "LocalRelation", name: "empty", data: () => [], output: f.output, isStreaming: false });
  return empty;
}
