import { referencedColumns, stripAlias, transformUp, type Expression } from "../expr/expression.ts";
import {
  withInputs, type Aggregate, type EventTimeWatermark, type Filter, type Join, type LogicalPlan, type Project,
} from "../plan/logical-plan.ts";
import { rebindColumns, joinOutputColumns } from "./column-binding.ts";
import { conjunction, splitConjuncts } from "./conjuncts.ts";
import { isDeterministic } from "./determinism.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * Moves filters toward the sources, so that fewer rows reach projections, joins and
 * aggregations (Spark's PushPredicateThroughNonJoin / PushPredicateThroughJoin). The
 * condition is split into conjuncts and only those that can move do:
 * - below Project (the projection's expressions are substituted; only deterministic ones),
 *   Sort, SubqueryAlias, and into every input of a Union;
 * - below EventTimeWatermark unless the conjunct reads the event-time column (the
 *   watermark must see every row's event time);
 * - into a Join side when it reads only that side: both for inner/cross joins, the
 *   preserved side of a left/right outer join, the left of a semi/anti join;
 * - below Aggregate when it reads only grouping columns that are not windows;
 * - below Generate when it reads only the Generate's input columns (not the generated ones).
 * Never below Deduplicate, Limit, MapBatches or FlatMapGroupsWithState: that would change which rows they see.
 * Only the deterministic conjuncts before the first non-deterministic one may move.
 */
export const PushDownFilter: OptimizerRule = {
  name: "push_down_filter",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => (p.kind === "Filter" ? pushDown(p) : p));
  },
};

/** Where a conjunct goes: rewritten for below, or null to stay above. */
type Mover = (conjunct: Expression) => Expression | null;

function pushDown(filter: Filter): LogicalPlan {
  const child = filter.input;
  const conjuncts = splitConjuncts(filter.condition);
  const firstNonDeterministic = conjuncts.findIndex((c) => !isDeterministic(c));
  const movable = firstNonDeterministic < 0 ? conjuncts : conjuncts.slice(0, firstNonDeterministic);
  const fixed = firstNonDeterministic < 0 ? [] : conjuncts.slice(firstNonDeterministic);
  if (movable.length === 0) return filter;

  /** Moves what `mover` accepts below `child` via `rebuild`; the rest stays in a Filter above. */
  const move = (mover: Mover, rebuild: (moved: Expression[]) => LogicalPlan): LogicalPlan => {
    const moved: Expression[] = [];
    const stay: Expression[] = [];
    for (const c of movable) {
      const m = mover(c);
      if (m === null) stay.push(c);
      else moved.push(m);
    }
    if (moved.length === 0) return filter;
    const newChild = rebuild(moved);
    const remaining = [...stay, ...fixed];
    return remaining.length === 0 ? newChild : Object.freeze({ ...filter, input: newChild, condition: conjunction(remaining) });
  };
  /** The child over a new (and further pushed) Filter of `parts` on its only input. */
  const overInput = (input: LogicalPlan) => (parts: Expression[]) => withInputs(child, [filterOf(input, parts)]);

  switch (child.kind) {
    case "Project": return move(throughProject(child), overInput(child.input));
    case "Sort": case "SubqueryAlias":
      return move((c) => rebindColumns(c, (i) => i, child.input.output), overInput(child.input));
    case "EventTimeWatermark": return move(throughWatermark(child), overInput(child.input));
    case "Aggregate": return move(throughAggregate(child), overInput(child.input));
    case "Union":
      return move((c) => c, (parts) => withInputs(child, child.inputs.map((input) => filterOf(input, parts.map((c) => rebindColumns(c, (i) => i, input.output))))));
    case "Join": return pushIntoJoin(filter, child, movable, fixed);
    case "Generate": {
      // A conjunct on the input's columns only keeps or drops all of a row's generated rows: it may filter the input instead.
      const width = child.input.output.length;
      return move((c) => ([...referencedColumns(c)].every((i) => i < width) ? rebindColumns(c, (i) => i, child.input.output) : null), overInput(child.input));
    }
    case "Scan": case "LocalRelation": case "Filter": case "Deduplicate": case "Limit": case "MapBatches": case "FlatMapGroupsWithState":
    // A filter above window values changes which rows the windows see; one above an Expand sees its copies.
    case "Window": case "Expand":
      return filter;
  }
}

/** A Filter over `input`, itself pushed as far down as it goes. */
function filterOf(input: LogicalPlan, parts: readonly Expression[]): LogicalPlan {
  const f: Filter = Object.freeze({ kind: "Filter", input, condition: conjunction(parts), output: input.output, isStreaming: input.isStreaming });
  return pushDown(f);
}

function throughProject(project: Project): Mover {
  return (c) => {
    const refs = [...referencedColumns(c)];
    if (!refs.every((i) => isDeterministic(project.exprs[i]!))) return null;
    return transformUp(c, (x) => (x.kind === "ColumnRef" ? stripAlias(project.exprs[x.index]!) : x));
  };
}

function throughWatermark(w: EventTimeWatermark): Mover {
  return (c) => (referencedColumns(c).has(w.column) ? null : rebindColumns(c, (i) => i, w.input.output));
}

/** A grouping key that a result column passes through unchanged, if any (not a window: its rows are assigned, not kept). */
function throughAggregate(agg: Aggregate): Mover {
  const keyOf = (outputIndex: number): Expression | null => {
    const r = stripAlias(agg.results[outputIndex]!);
    if (r.kind !== "ColumnRef" || r.index >= agg.groupings.length) return null;
    const g = stripAlias(agg.groupings[r.index]!);
    return g.kind === "WindowTime" || g.kind === "SessionWindow" || !isDeterministic(g) ? null : g;
  };
  return (c) => {
    const refs = [...referencedColumns(c)];
    // A global aggregation emits a row even for no input: a constant condition cannot move below it.
    if (refs.length === 0 && agg.groupings.length === 0) return null;
    if (!refs.every((i) => keyOf(i) !== null)) return null;
    return transformUp(c, (x) => (x.kind === "ColumnRef" ? keyOf(x.index)! : x));
  };
}

function pushIntoJoin(filter: Filter, join: Join, movable: readonly Expression[], fixed: readonly Expression[]): LogicalPlan {
  const t = join.joinType;
  const intoLeft = t === "inner" || t === "cross" || t === "left_outer" || t === "left_semi" || t === "left_anti";
  const intoRight = t === "inner" || t === "cross" || t === "right_outer";
  const columns = joinOutputColumns(join);
  const leftWidth = join.left.output.length;
  const left: Expression[] = [];
  const right: Expression[] = [];
  const stay: Expression[] = [];
  for (const c of movable) {
    const refs = [...referencedColumns(c)].map((i) => columns[i]!);
    if (intoLeft && refs.length > 0 && refs.every((i) => i < leftWidth)) left.push(rebindColumns(c, (i) => columns[i]!, join.left.output));
    else if (intoRight && refs.length > 0 && refs.every((i) => i >= leftWidth)) right.push(rebindColumns(c, (i) => columns[i]! - leftWidth, join.right.output));
    else stay.push(c);
  }
  if (left.length === 0 && right.length === 0) return filter;
  const newJoin = withInputs(join, [
    left.length > 0 ? filterOf(join.left, left) : join.left,
    right.length > 0 ? filterOf(join.right, right) : join.right,
  ]);
  const remaining = [...stay, ...fixed];
  return remaining.length === 0 ? newJoin : Object.freeze({ ...filter, input: newJoin, condition: conjunction(remaining) });
}
