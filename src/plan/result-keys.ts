import { assertNever } from "../common/errors.ts";
import type { ResultKey } from "../connectors/sink.ts";
import { displayExpression } from "../expr/display.ts";
import type { Expression } from "../expr/expression.ts";
import { inputsOf, type LogicalPlan } from "./logical-plan.ts";

/** A streaming operator whose output rows are identified by keys. */
type KeyedOperator = Extract<LogicalPlan, { kind: "Aggregate" | "Deduplicate" | "FlatMapGroupsWithState" }>;

/** Where a result column comes from: key number `key` of `operator`, or nothing a key can be traced to. */
type Lineage = { readonly operator: KeyedOperator; readonly key: number } | null;

/**
 * The key of `plan`'s result rows, found by lineage: a result column is a key column when,
 * through projections, aliases, renames, filters and subquery aliases, it is exactly one of
 * the keyed operator's keys. A key that was projected away, computed over (`upper(action)`)
 * or taken apart (`w.start`) is missing; names play no part, so any alias is fine. A
 * global aggregation's key is empty, and whole.
 */
export function resultKey(plan: LogicalPlan): ResultKey {
  const operators = topKeyedOperators(plan);
  if (operators.length === 0) return { operator: null, columns: [], missing: [] };
  if (operators.length > 1) {
    // Two keyed results side by side (a union, a join): no column set identifies a row.
    return { operator: operatorKind(operators[0]!), columns: [], missing: operators.flatMap(keyNames) };
  }
  const operator = operators[0]!;
  const columns: number[] = [];
  const carried = new Set<number>();
  lineageOf(plan).forEach((l, i) => {
    if (l === null || l.operator !== operator) return;
    columns.push(i);
    carried.add(l.key);
  });
  const missing = keyNames(operator).filter((_, k) => !carried.has(k));
  return { operator: operatorKind(operator), columns, missing };
}

function isKeyed(p: LogicalPlan): p is KeyedOperator {
  return p.isStreaming && (p.kind === "Aggregate" || p.kind === "Deduplicate" || p.kind === "FlatMapGroupsWithState");
}

/** The keyed operators nearest the root on each path (in update and complete mode a path has at most one). */
function topKeyedOperators(plan: LogicalPlan): KeyedOperator[] {
  if (isKeyed(plan)) return [plan];
  return inputsOf(plan).flatMap(topKeyedOperators);
}

function operatorKind(p: KeyedOperator): ResultKey["operator"] {
  switch (p.kind) {
    case "Aggregate": return "aggregation";
    case "Deduplicate": return "deduplication";
    case "FlatMapGroupsWithState": return "groupsWithState";
    default: return assertNever(p, "keyed operator");
  }
}

/** The operator's keys as the user wrote them, for messages. */
function keyNames(p: KeyedOperator): string[] {
  switch (p.kind) {
    case "Aggregate": return p.groupings.map(displayExpression);
    case "Deduplicate": return p.keys.map((i) => p.input.output[i]!.name);
    // Unless the engine writes the key into a column, it passes through an opaque function.
    case "FlatMapGroupsWithState": return [p.keyColumn === null ? `the key of groupByKey(...).${p.name}` : p.output[p.keyColumn]!.name];
    default: return assertNever(p, "keyed operator");
  }
}

/** The expression under any aliases: a column passes through `x AS y` unchanged. */
function unaliased(e: Expression): Expression {
  return e.kind === "Alias" ? unaliased(e.child) : e;
}

/** For each output column of `plan`, the key it carries, if any. */
function lineageOf(plan: LogicalPlan): Lineage[] {
  const none = (): Lineage[] => plan.output.map(() => null);
  switch (plan.kind) {
    case "Aggregate":
      if (!plan.isStreaming) return none();
      // Results are bound to [grouping values…, aggregate values…]: a bare reference below
      // groupings.length is a grouping key itself.
      return plan.results.map((r) => {
        const e = unaliased(r);
        return e.kind === "ColumnRef" && e.index < plan.groupings.length ? { operator: plan, key: e.index } : null;
      });
    case "Deduplicate": {
      if (!plan.isStreaming) return lineageOf(plan.input);
      const p = plan;
      return p.output.map((_, i) => (p.keys.includes(i) ? { operator: p, key: p.keys.indexOf(i) } : null));
    }
    case "Project": {
      const below = lineageOf(plan.input);
      return plan.exprs.map((x) => {
        const e = unaliased(x);
        return e.kind === "ColumnRef" ? below[e.index] ?? null : null;
      });
    }
    case "Filter": case "Sort": case "Limit": case "EventTimeWatermark": case "SubqueryAlias":
      return lineageOf(plan.input);
    case "MapBatches": {
      // Opaque, but a lambda filter or groupByKey's appended key column declares that it keeps its input's columns.
      const below = lineageOf(plan.input);
      return plan.output.map((c, i) => (c === plan.input.output[i] ? below[i] ?? null : null));
    }
    // A join may repeat a key's row once per match; a union puts rows of several results together.
    case "FlatMapGroupsWithState": {
      const p = plan;
      return p.output.map((_, i) => (p.isStreaming && i === p.keyColumn ? { operator: p, key: 0 } : null));
    }
    // A Generate repeats an input row once per generated row: no input key stays a key.
    case "Join": case "Union": case "Scan": case "LocalRelation": case "Expand": case "Generate":
      return none();
    case "Window": {
      // The input's columns pass through; the window values are new.
      const below = lineageOf(plan.input);
      return plan.output.map((_, i) => below[i] ?? null);
    }
    default:
      return assertNever(plan, "logical plan");
  }
}
