import { InternalError } from "../common/errors.ts";
import { referencedColumns, type AggregateCall, type Expression, type SortOrder } from "../expr/expression.ts";
import { inputsOf, withInputs, type LogicalPlan, type OutputColumn } from "../plan/logical-plan.ts";
import { remapColumns } from "../plan/rewrite-columns.ts";
import { joinOutputColumns } from "./column-binding.ts";
import type { OptimizerRule } from "./optimizer-rule.ts";

/**
 * Reads only the columns a query uses (Spark's ColumnPruning + schema pruning into the
 * scan): walking down from the root, each node works out which of its input's columns
 * it needs; a Scan narrows `columns` (so a JSON source decodes only those fields) and
 * Projects drop expressions nobody reads. Every reference above a narrowed node is
 * re-indexed. The root keeps all of its output, so the query's schema does not change.
 *
 * Nodes that cannot narrow their output keep it whole: Aggregate (its results), Union
 * (inputs must stay aligned), MapBatches and FlatMapGroupsWithState (opaque lambdas over
 * whole rows: they need every input column),
 * LocalRelation (its data is fixed).
 */
export const ColumnPruning: OptimizerRule = {
  name: "column_pruning",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return prune(plan, allColumns(plan)).plan;
  },
};

/** A pruned plan and where each old output column went (-1: dropped). */
interface Pruned {
  readonly plan: LogicalPlan;
  readonly map: readonly number[];
}

function allColumns(plan: LogicalPlan): Set<number> {
  return new Set(plan.output.map((_, i) => i));
}

function unchanged(plan: LogicalPlan): Pruned {
  return { plan, map: plan.output.map((_, i) => i) };
}

function union(...sets: Iterable<number>[]): Set<number> {
  const out = new Set<number>();
  for (const s of sets) for (const i of s) out.add(i);
  return out;
}

function refsOf(exprs: readonly Expression[]): Set<number> {
  return union(...exprs.map(referencedColumns));
}

function isIdentity(map: readonly number[]): boolean {
  return map.every((m, i) => m === i);
}

/** Re-points an expression's columns through `map`; the same object when nothing moves. */
function reindex<E extends Expression>(e: E, map: readonly number[]): E {
  if (isIdentity(map)) return e;
  return remapColumns(e, (i) => {
    const m = map[i];
    if (m === undefined || m < 0) throw new InternalError(`column pruning dropped column ${i}, which is still referenced`);
    return m;
  }) as E;
}

/** The old output columns that survive `map`, at their new positions. */
function selectOutput(output: readonly OutputColumn[], map: readonly number[]): OutputColumn[] {
  const out: OutputColumn[] = [];
  map.forEach((m, i) => { if (m >= 0) out[m] = output[i]!; });
  return out;
}

/** Keeps `keep` (sorted old indices) of `width` columns. */
function mapOfKept(width: number, keep: readonly number[]): number[] {
  const map = new Array<number>(width).fill(-1);
  keep.forEach((k, j) => { map[k] = j; });
  return map;
}

/** Required indices in order; at least one column, so that rows (and their count) still flow. */
function keptColumns(required: ReadonlySet<number>, width: number): number[] {
  const keep = [...required].filter((i) => i < width).sort((a, b) => a - b);
  return keep.length === 0 && width > 0 ? [0] : keep;
}

/** A node whose output is its input's: Filter, Sort, Limit, Deduplicate, EventTimeWatermark, SubqueryAlias. */
function passThrough(plan: LogicalPlan & { readonly input: LogicalPlan }, needs: Set<number>, rebuild: (input: LogicalPlan, map: readonly number[]) => object): Pruned {
  const child = prune(plan.input, needs);
  if (child.plan === plan.input) return unchanged(plan);
  const output = selectOutput(plan.output, child.map);
  const next = Object.freeze({ ...plan, ...rebuild(child.plan, child.map), input: child.plan, output }) as LogicalPlan;
  return { plan: next, map: child.map };
}

function prune(plan: LogicalPlan, required: ReadonlySet<number>): Pruned {
  switch (plan.kind) {
    case "Scan": {
      const keep = keptColumns(required, plan.output.length);
      if (keep.length === plan.output.length) return unchanged(plan);
      const next = Object.freeze({ ...plan, columns: keep.map((i) => plan.columns[i]!), output: keep.map((i) => plan.output[i]!) });
      return { plan: next, map: mapOfKept(plan.output.length, keep) };
    }
    case "LocalRelation": return unchanged(plan);
    case "Project": {
      const keep = keptColumns(required, plan.exprs.length);
      const child = prune(plan.input, refsOf(keep.map((i) => plan.exprs[i]!)));
      if (child.plan === plan.input && keep.length === plan.exprs.length) return unchanged(plan);
      const next = Object.freeze({
        ...plan,
        input: child.plan,
        exprs: keep.map((i) => reindex(plan.exprs[i]!, child.map)),
        output: keep.map((i) => plan.output[i]!),
      });
      return { plan: next, map: mapOfKept(plan.exprs.length, keep) };
    }
    case "Filter":
      return passThrough(plan, union(required, referencedColumns(plan.condition)), (_, map) => ({ condition: reindex(plan.condition, map) }));
    case "Sort":
      return passThrough(plan, union(required, refsOf(plan.orders)), (_, map) => ({ orders: plan.orders.map((o) => reindex<SortOrder>(o, map)) }));
    case "Limit": case "SubqueryAlias":
      return passThrough(plan, new Set(required), () => ({}));
    case "Deduplicate":
      return passThrough(plan, union(required, plan.keys), (_, map) => ({ keys: plan.keys.map((k) => map[k]!) }));
    case "EventTimeWatermark":
      // The watermark is computed from the event-time column whether or not anyone above reads it.
      return passThrough(plan, union(required, [plan.column]), (_, map) => ({ column: map[plan.column]! }));
    case "Aggregate": {
      const child = prune(plan.input, union(refsOf(plan.groupings), refsOf(plan.aggregates)));
      if (child.plan === plan.input) return unchanged(plan);
      const next = Object.freeze({
        ...plan,
        input: child.plan,
        groupings: plan.groupings.map((g) => reindex(g, child.map)),
        aggregates: plan.aggregates.map((a) => reindex<AggregateCall>(a, child.map)),
      });
      return { plan: next, map: plan.output.map((_, i) => i) };
    }
    case "Join": {
      const columns = joinOutputColumns(plan);
      const leftWidth = plan.left.output.length;
      const needs = union(
        [...required].map((i) => columns[i]!),
        plan.condition === null ? [] : referencedColumns(plan.condition),
      );
      const left = prune(plan.left, new Set([...needs].filter((i) => i < leftWidth)));
      const right = prune(plan.right, new Set([...needs].filter((i) => i >= leftWidth).map((i) => i - leftWidth)));
      if (left.plan === plan.left && right.plan === plan.right) return unchanged(plan);
      const newLeftWidth = left.plan.output.length;
      const combined = [...left.map, ...right.map.map((m) => (m < 0 ? -1 : newLeftWidth + m))];
      const kept = columns.map((c) => combined[c]! >= 0);
      const map: number[] = [];
      let next = 0;
      kept.forEach((k) => map.push(k ? next++ : -1));
      const join = Object.freeze({
        ...plan,
        left: left.plan,
        right: right.plan,
        condition: plan.condition === null ? null : reindex(plan.condition, combined),
        output: selectOutput(plan.output, map),
      });
      return { plan: join, map };
    }
    case "Generate": {
      // The generator's arguments and the input columns read above; the generated columns stay (they are one value).
      const width = plan.input.output.length;
      const child = prune(plan.input, union([...required].filter((i) => i < width), referencedColumns(plan.generator)));
      if (child.plan === plan.input) return unchanged(plan);
      const newWidth = child.plan.output.length;
      const generated = plan.output.slice(width);
      const next = Object.freeze({
        ...plan,
        input: child.plan,
        generator: reindex(plan.generator, child.map),
        output: [...child.plan.output, ...generated],
      });
      return { plan: next, map: [...child.map, ...generated.map((_, j) => newWidth + j)] };
    }
    case "Union": case "MapBatches": case "FlatMapGroupsWithState": case "Window": case "Expand": {
      // Union inputs stay aligned and lambdas (MapBatches, FlatMapGroupsWithState) see whole rows: each input keeps its whole output.
      const inputs = inputsOf(plan).map((p) => prune(p, allColumns(p)).plan);
      return unchanged(withInputs(plan, inputs));
    }
  }
}
