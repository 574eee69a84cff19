import { ColumnBatch } from "../columnar/column-batch.ts";
import { valueAt } from "../columnar/vector.ts";
import { compileExpression } from "../expr/compile.ts";
import type { EvalContext } from "../expr/eval-context.ts";
import { Case, Literal, transformUp, type Expression } from "../expr/expression.ts";
import { lookupFunction } from "../expr/functions/registry.ts";
import { UTC, type ZoneRules } from "../common/time-zone.ts";
import { StructType } from "../types/data-types.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";
import { mapExpressions } from "./plan-expressions.ts";

/**
 * Evaluates, once at planning time, what does not depend on the row: deterministic calls
 * and casts whose arguments are all literals (`1 + 2` → `3`), null-intolerant calls with
 * a null argument (`x + NULL` → `NULL`), and CASE branches whose condition is a literal.
 * Non-deterministic calls (current_timestamp) are left for each batch to evaluate.
 * Constants are evaluated in the session time zone, as the rows would be: folded or not,
 * `to_timestamp('2016-12-31 00:12:00')` is the same instant.
 */
export function constantFolding(timeZone: ZoneRules): OptimizerRule {
  // What evaluating a constant sees: no rows to read, a fixed clock (only deterministic calls are folded).
  const context: EvalContext = { batchTimestampMicros: 0, timeZoneId: timeZone.id };
  return {
    name: "constant_folding",
    rewrite(plan: LogicalPlan): LogicalPlan {
      return rewriteUp(plan, (p) => mapExpressions(p, (e) => foldConstants(e, context)));
    },
  };
}

/** Constant folding in UTC (a session's optimizer folds in its own time zone: see rulesFor). */
export const ConstantFolding: OptimizerRule = constantFolding(UTC);

export function foldConstants(e: Expression, context: EvalContext = { batchTimestampMicros: 0, timeZoneId: UTC.id }): Expression {
  return transformUp(e, (x) => foldNode(x, context));
}

const ONE_ROW = new ColumnBatch(new StructType([]), [], 1);

function foldNode(e: Expression, context: EvalContext): Expression {
  switch (e.kind) {
    case "Cast":
    case "GetField":
      return e.child.kind === "Literal" ? evaluate(e, context) : e;
    case "Call": {
      const f = lookupFunction(e.name);
      if (f === undefined || f.deterministic === false) return e;
      if (e.args.every((a) => a.kind === "Literal")) return evaluate(e, context);
      if (f.nullIntolerant !== false && e.dataType !== null && e.args.some(isNullLiteral)) return Literal.create(null, e.dataType);
      return e;
    }
    case "Case": return foldCase(e);
    default: return e;
  }
}

/** Drops branches that can never be taken; a literal-true branch becomes the ELSE (or the result, if first). */
function foldCase(e: Case): Expression {
  const live = e.branches.filter(([c]) => !(c.kind === "Literal" && c.value !== true));
  const alwaysTaken = live.findIndex(([c]) => c.kind === "Literal");
  if (alwaysTaken === 0) return live[0]![1];
  const branches = alwaysTaken > 0 ? live.slice(0, alwaysTaken) : live;
  const otherwise = alwaysTaken > 0 ? live[alwaysTaken]![1] : e.otherwise;
  if (branches.length === e.branches.length && otherwise === e.otherwise) return e;
  if (branches.length === 0) return otherwise ?? (e.dataType === null ? e : Literal.create(null, e.dataType));
  return Case.create(branches, otherwise, e.dataType);
}

function isNullLiteral(e: Expression): boolean {
  return e.kind === "Literal" && e.value === null;
}

/** Runs the expression on a one-row batch; leaves it alone if that fails (it will fail, or not, per row at run time). */
function evaluate(e: Expression, context: EvalContext): Expression {
  if (e.dataType === null) return e;
  try {
    const v = compileExpression(e)(ONE_ROW, context);
    return Literal.create(valueAt(v, 0), e.dataType);
  } catch {
    return e;
  }
}
