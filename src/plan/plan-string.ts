import { assertNever } from "../common/errors.ts";
import { formatDuration } from "../common/duration.ts";
import { autoName, displayExpression } from "../expr/display.ts";
import { ColumnRef, stripAlias, transformUp, type Expression } from "../expr/expression.ts";
import type { SourceComparison, SourceLiteral, SourcePredicate } from "../connectors/source.ts";
import { valueToString } from "../expr/cast.ts";
import { inputsOf, type Aggregate, type LogicalPlan, type Scan } from "./logical-plan.ts";

/**
 * A logical plan as Spark prints it in explain(): one node per line, children under
 * `+- ` (last) or `:- ` (others). Deterministic, so tests can compare plans as text.
 */
export function planString(plan: LogicalPlan): string {
  const lines: string[] = [];
  const walk = (p: LogicalPlan, prefix: string, childPrefix: string): void => {
    lines.push(prefix + describeNode(p));
    const inputs = inputsOf(p);
    inputs.forEach((c, i) => {
      const last = i === inputs.length - 1;
      walk(c, `${childPrefix}${last ? "+- " : ":- "}`, `${childPrefix}${last ? "   " : ":  "}`);
    });
  };
  walk(plan, "", "");
  return lines.join("\n");
}

/** One line for one node: its kind and arguments. */
export function describeNode(p: LogicalPlan): string {
  switch (p.kind) {
    case "Scan": {
      const cols = p.columns.map((i) => p.source.schema.fields[i]!.name);
      const details = p.source.details ? ` ${p.source.details}` : "";
      const pushed = p.pushedFilters.length > 0 ? `, PushedFilters: ${list(p.pushedFilters.map((f) => describePushedFilter(f, p)))}` : "";
      return `${p.isStreaming ? "StreamingScan" : "Scan"} ${p.source.format}${details} ${list(cols)}${pushed}`;
    }
    case "LocalRelation": return `LocalRelation ${p.name} ${list(p.output.map((c) => c.name))}`;
    case "Project": return `Project ${list(p.exprs.map(named))}`;
    case "Filter": return `Filter ${displayExpression(p.condition)}`;
    case "Aggregate": return `Aggregate ${list(p.groupings.map(displayExpression))}, ${list(aggregateResults(p).map(named))}`;
    case "Join": {
      const condition = p.condition ? `, ${displayExpression(p.condition)}` : "";
      return `Join ${p.joinType}${condition}`;
    }
    case "Deduplicate": return `${p.withinWatermark ? "DeduplicateWithinWatermark" : "Deduplicate"} ${list(p.keys.map((k) => p.input.output[k]!.name))}`;
    case "EventTimeWatermark": return `EventTimeWatermark ${p.input.output[p.column]!.name}, ${formatDuration(p.delayMicros)}`;
    case "Sort": return `Sort ${list(p.orders.map(displayExpression))}`;
    case "Limit":
      if (p.offset === 0) return `Limit ${p.limit}`;
      return p.limit === Infinity ? `Offset ${p.offset}` : `GlobalLimitAndOffset ${p.limit}, ${p.offset}`;
    case "Union": return "Union";
    case "SubqueryAlias": return `SubqueryAlias ${p.alias}`;
    case "MapBatches": return `MapBatches ${p.name} ${list(p.output.map((c) => c.name))}`;
    case "FlatMapGroupsWithState": {
      const state = p.stateful ? `, ${p.outputMode}, ${p.timeout}` : "";
      return `FlatMapGroupsWithState ${p.name}${state} ${list(p.output.map((c) => c.name))}`;
    }
    case "Window": return `Window ${list(p.windowExprs.map(named))}, ${list(p.partitionBy.map(displayExpression))}, ${list(p.orderBy.map(displayExpression))}`;
    case "Generate": return `Generate ${displayExpression(p.generator)}, ${p.outer}, ${list(p.output.slice(p.input.output.length).map((c) => c.name))}`;
    case "Expand": return `Expand ${list(p.projections.map((row) => list(row.map(displayExpression))))}, ${list(p.output.map((c) => c.name))}`;
    default: return assertNever(p, "logical plan");
  }
}

const COMPARISON_NAMES: Record<SourceComparison, string> = {
  "=": "EqualTo", "!=": "EqualTo", "<": "LessThan", "<=": "LessThanOrEqual", ">": "GreaterThan", ">=": "GreaterThanOrEqual",
};

/** A pushed predicate as Spark prints its source filters: `EqualTo(action,view)`, `In(action, [a,b])`. */
function describePushedFilter(f: SourcePredicate, scan: Scan): string {
  const type = scan.source.schema.fields.find((c) => c.name === f.column)?.dataType;
  const show = (v: SourceLiteral): string => (type === undefined ? String(v) : valueToString(v, type));
  switch (f.kind) {
    case "compare": {
      const test = `${COMPARISON_NAMES[f.op]}(${f.column},${show(f.value)})`;
      return f.op === "!=" ? `Not(${test})` : test;
    }
    case "isNull": return `IsNull(${f.column})`;
    case "isNotNull": return `IsNotNull(${f.column})`;
    case "in": return `In(${f.column}, [${f.values.map(show).join(",")}])`;
    case "startsWith": return `StringStartsWith(${f.column},${f.prefix})`;
    default: return assertNever(f, "pushed filter");
  }
}

function list(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

/** An output expression: `x AS name`, or just `x` when the alias repeats what x prints as. */
function named(e: Expression): string {
  if (e.kind === "Alias" && displayExpression(e.child) === e.name) return e.name;
  return displayExpression(e);
}

/**
 * Aggregate results are resolved against the post-aggregation scope [groupings…,
 * aggregates…]; print each reference as the grouping (by its column name) or the
 * aggregate call it denotes, so that `count(1) AS count` reads as in Spark.
 */
function aggregateResults(p: Aggregate): Expression[] {
  const g = p.groupings.length;
  return p.results.map((r) => transformUp(r, (x) => {
    if (x.kind !== "ColumnRef" || x.dataType === null) return x;
    const source = x.index < g ? p.groupings[x.index] : p.aggregates[x.index - g];
    if (source === undefined) return x;
    const name = x.index < g ? autoName(source) : displayExpression(stripAlias(source));
    return name === x.name ? x : ColumnRef.bound(name, x.index, x.dataType, x.nullable);
  }));
}
