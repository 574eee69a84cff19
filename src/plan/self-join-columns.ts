import { AnalysisError } from "../common/errors.ts";
import { Call, ColumnRef, transformDown, type Expression } from "../expr/expression.ts";
import { resolveColumn } from "../expr/resolve.ts";
import type { LogicalPlan } from "./logical-plan.ts";
import { columnsOfPlan } from "./plan-column-binding.ts";
import { remapColumns } from "./rewrite-columns.ts";

/**
 * `df.col(name)` references in a self-join (a frame joined with itself, or with a frame
 * derived from it), as Spark's Dataset.join and DetectAmbiguousSelfJoin treat them: such a
 * reference is below both sides, so it cannot tell which side it means. Two forms are still
 * clear: `df("id") === df2("id")` where both name the same column (Spark's "trivially true"
 * equality, SPARK-6231) joins the left side's column with the right side's; and in a direct
 * self-join `df("id") === 1` reads the left side. Any other such reference whose name both
 * sides have fails with Spark's AMBIGUOUS_COLUMN_REFERENCE instead of reading one side
 * (a name only one side has is resolved by name, where Spark's classic check would refuse it).
 */

export function ambiguousSelfJoinColumn(name: string): AnalysisError {
  return new AnalysisError(
    `[AMBIGUOUS_COLUMN_REFERENCE] Column \`${name}\` is ambiguous. It's because you joined several DataFrame together, and some of these DataFrames are the same. ` +
    "This column points to one of the DataFrames but Spark is unable to figure out which one. Please alias the DataFrames with different names via " +
    "`DataFrame.alias` before joining them, and specify the column using qualified name, e.g. `df.alias(\"a\").join(df.alias(\"b\"), col(\"a.id\") > col(\"b.id\"))`.",
  );
}

type PlanRef = ColumnRef & { readonly planOrigin: LogicalPlan };

const isPlanRef = (e: Expression): e is PlanRef => e.kind === "ColumnRef" && e.planOrigin !== undefined && e.index < 0;

/** The reference's column index in its own frame, or -1 when it is not a top-level column there. */
function ownColumn(ref: PlanRef): number {
  try {
    const c = resolveColumn(ref.name, null, ref.planOrigin.output);
    return c.kind === "ColumnRef" ? c.index : -1;
  } catch {
    return -1;
  }
}

const below = (ref: PlanRef, plan: LogicalPlan): boolean => columnsOfPlan(plan, ref.planOrigin) !== null;

/** Spark's `a.sameRef(b)`: the two references name one column, the same frame's or one passed through the other frame unchanged. */
function sameColumn(a: PlanRef, b: PlanRef): boolean {
  const ca = ownColumn(a), cb = ownColumn(b);
  if (ca < 0 || cb < 0) return false;
  if (a.planOrigin === b.planOrigin) return ca === cb;
  return columnsOfPlan(b.planOrigin, a.planOrigin)?.[ca] === cb || columnsOfPlan(a.planOrigin, b.planOrigin)?.[cb] === ca;
}

function byName(plan: LogicalPlan, name: string, offset: number): Expression {
  const c = resolveColumn(name, null, plan.output);
  return offset === 0 ? c : remapColumns(c, (i) => i + offset);
}

/** A join condition with its self-join references settled (see above); other references are left to bindPlanColumns. */
export function resolveSelfJoinCondition(on: Expression, left: LogicalPlan, right: LogicalPlan): Expression {
  const ambiguous = (e: Expression): e is PlanRef => isPlanRef(e) && below(e, left) && below(e, right);
  const rewritten = transformDown(on, (x) => {
    if (x.kind !== "Call" || (x.name !== "equalto" && x.name !== "eqnullsafe") || x.args.length !== 2) return undefined;
    const [a, b] = x.args as [Expression, Expression];
    if (isPlanRef(a) && isPlanRef(b) && (ambiguous(a) || ambiguous(b)) && sameColumn(a, b)) {
      return Call.create(x.name, [byName(left, a.name, 0), byName(right, b.name, left.output.length)]);
    }
    if (left === right && ambiguous(a) && b.kind === "Literal") return Call.create(x.name, [byName(left, a.name, 0), b]);
    if (left === right && ambiguous(b) && a.kind === "Literal") return Call.create(x.name, [a, byName(left, b.name, 0)]);
    return undefined;
  });
  const combined = [...left.output, ...right.output];
  transformDown(rewritten, (x) => {
    // A name only one side has is still clear (name resolution finds it); one both sides have is not.
    if (ambiguous(x) && !resolvesUniquely(x.name, combined)) throw ambiguousSelfJoinColumn(x.name);
    return undefined;
  });
  return rewritten;
}

export function resolvesUniquely(name: string, scope: LogicalPlan["output"]): boolean {
  try {
    resolveColumn(name, null, scope);
    return true;
  } catch {
    return false;
  }
}

/** Whether `origin`'s columns reach `plan` through both sides of some join in it (so a reference to them is ambiguous there). */
export function selfJoinedBelow(plan: LogicalPlan, origin: LogicalPlan): boolean {
  if (plan === origin) return false;
  switch (plan.kind) {
    case "Join":
      if (columnsOfPlan(plan.left, origin) !== null && columnsOfPlan(plan.right, origin) !== null) return true;
      return selfJoinedBelow(plan.left, origin) || selfJoinedBelow(plan.right, origin);
    case "Filter": case "EventTimeWatermark": case "SubqueryAlias": case "Sort": case "Limit": case "Deduplicate": case "Project":
      return selfJoinedBelow(plan.input, origin);
    default:
      return false;
  }
}
