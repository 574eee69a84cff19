import { sameName } from "../common/identifiers.ts";
import { ColumnRef, anyNode, transformDown, type Expression } from "../expr/expression.ts";
import { resolveColumn } from "../expr/resolve.ts";
import { joinOutputColumns } from "./join-output.ts";
import type { LogicalPlan } from "./logical-plan.ts";
import { ambiguousSelfJoinColumn, resolvesUniquely, selfJoinedBelow } from "./self-join-columns.ts";

/**
 * Where the output columns of plan `target` appear in the output of `plan` (target's column
 * k → plan's column, -1 when it does not pass through), or null when `target` is not
 * (unambiguously) below `plan`. A column passes through filters, watermarks, aliases, sorts,
 * limits and deduplication, a projection that selects it as is, and either side of a join.
 */
export function columnsOfPlan(plan: LogicalPlan, target: LogicalPlan): number[] | null {
  if (plan === target) return target.output.map((_, i) => i);
  switch (plan.kind) {
    case "Filter": case "EventTimeWatermark": case "SubqueryAlias": case "Sort": case "Limit": case "Deduplicate":
      return columnsOfPlan(plan.input, target);
    case "Project": {
      const inner = columnsOfPlan(plan.input, target);
      if (inner === null) return null;
      return inner.map((i) => (i < 0 ? -1 : plan.exprs.findIndex((e) => e.kind === "ColumnRef" && e.index === i)));
    }
    case "Join": {
      const left = columnsOfPlan(plan.left, target);
      const right = columnsOfPlan(plan.right, target);
      if ((left === null) === (right === null)) return null; // not below, or on both sides (a self-join of one frame)
      const out = joinOutputColumns(plan);
      const width = plan.left.output.length;
      return left !== null ? left.map((i) => (i < 0 ? -1 : out.indexOf(i))) : right!.map((i) => (i < 0 ? -1 : out.indexOf(width + i)));
    }
    default:
      return null;
  }
}

/**
 * Binds the `df.col(name)` references in `e` to the columns they came from (Spark resolves a
 * column with a plan id against that plan), over `inputs` laid side by side (a join's left
 * and right). References whose frame is not below exactly one input are left to name resolution.
 */
export function bindPlanColumns(e: Expression, ...inputs: readonly LogicalPlan[]): Expression {
  if (!anyNode(e, (x) => x.kind === "ColumnRef" && x.planOrigin !== undefined && x.index < 0)) return e;
  return transformDown(e, (x) => {
    if (x.kind !== "ColumnRef" || x.planOrigin === undefined || x.index >= 0) return undefined;
    const unbound = ColumnRef.create(x.name, x.qualifier);
    const origin = x.planOrigin as LogicalPlan;
    const found = inputs.map((input) => columnsOfPlan(input, origin));
    const side = found.findIndex((m) => m !== null);
    if (side < 0 || found.some((m, i) => m !== null && i !== side)) {
      // Below both sides of a join: Spark's ambiguous self-join when the name does not settle it.
      const selfJoined = found.every((m) => m !== null) || inputs.some((input) => selfJoinedBelow(input, origin));
      if (selfJoined && !resolvesUniquely(x.name, inputs.flatMap((input) => input.output))) throw ambiguousSelfJoinColumn(x.name);
      return unbound;
    }
    const inOrigin = resolveColumn(x.name, null, origin.output);
    let ref = inOrigin;
    while (ref.kind === "GetField") ref = ref.child;
    if (ref.kind !== "ColumnRef") return unbound;
    const input = inputs[side]!;
    const index = found[side]![ref.index] ?? -1;
    if (index < 0 || !sameName(input.output[index]!.name, ref.name)) return unbound;
    const offset = inputs.slice(0, side).reduce((n, p) => n + p.output.length, 0);
    const c = input.output[index]!;
    const bound = ColumnRef.bound(c.name, offset + index, c.dataType, c.nullable, c.qualifier);
    // A nested field (`df.col("window.end")`) keeps its path on the bound column.
    return inOrigin === ref ? bound : transformDown(inOrigin, (y) => (y === ref ? bound : undefined));
  });
}
