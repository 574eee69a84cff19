import { autoName } from "../expr/display.ts";
import { Alias, type AggregateCall, type Expression, type SortOrder } from "../expr/expression.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";

/**
 * Applies `f` to every expression a node holds (not its inputs'): Project and Aggregate
 * outputs, Filter and Join conditions, groupings, aggregate calls, sort orders. Returns
 * `plan` itself when `f` changed nothing. An output expression that `f` rewrote keeps
 * its column name (as an Alias), so that `output` stays true to the expressions.
 */
export function mapExpressions(plan: LogicalPlan, f: (e: Expression) => Expression): LogicalPlan {
  switch (plan.kind) {
    case "Project": {
      const exprs = mapNamed(plan.exprs, plan.output.map((c) => c.name), f);
      return exprs === plan.exprs ? plan : Object.freeze({ ...plan, exprs });
    }
    case "Filter": {
      const condition = f(plan.condition);
      return condition === plan.condition ? plan : Object.freeze({ ...plan, condition });
    }
    case "Aggregate": {
      const groupings = mapAll(plan.groupings, f);
      const aggregates = mapAll(plan.aggregates, (a) => f(a) as AggregateCall);
      const results = mapNamed(plan.results, plan.output.map((c) => c.name), f);
      if (groupings === plan.groupings && aggregates === plan.aggregates && results === plan.results) return plan;
      return Object.freeze({ ...plan, groupings, aggregates, results });
    }
    case "Join": {
      const condition = plan.condition === null ? null : f(plan.condition);
      return condition === plan.condition ? plan : Object.freeze({ ...plan, condition });
    }
    case "Sort": {
      const orders = mapAll(plan.orders, (o) => f(o) as SortOrder);
      return orders === plan.orders ? plan : Object.freeze({ ...plan, orders });
    }
    default: return plan;
  }
}

/** Maps a list, returning the same array when no element changed. */
export function mapAll<T>(items: readonly T[], f: (x: T) => T): readonly T[] {
  let changed = false;
  const out = items.map((x) => {
    const y = f(x);
    if (y !== x) changed = true;
    return y;
  });
  return changed ? out : items;
}

/** Keeps each output expression's column name when its rewrite would print differently. */
export function keepName(e: Expression, name: string): Expression {
  if (e.kind === "Alias" || autoName(e) === name) return e;
  return Alias.create(e, name);
}

function mapNamed(exprs: readonly Expression[], names: readonly string[], f: (e: Expression) => Expression): readonly Expression[] {
  let changed = false;
  const out = exprs.map((e, i) => {
    const next = f(e);
    if (next === e) return e;
    changed = true;
    return keepName(next, names[i]!);
  });
  return changed ? out : exprs;
}
