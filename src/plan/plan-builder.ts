import { AnalysisError } from "../common/errors.ts";
import { inlineLateralAliases, nonDeterministicInAggregate, readFromBelow } from "./lateral-column-alias.ts";
import { parseDuration } from "../common/duration.ts";
import { sameName } from "../common/identifiers.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { SourceProvider } from "../connectors/source.ts";
import { castIfNeeded, typeOf } from "../expr/coercion.ts";
import { autoName, displayExpression } from "../expr/display.ts";
import {
  AggregateCall, Alias, Call, ColumnRef, GetField, SortOrder, anyNode, collectNodes, isAggregate, isWindowed, transformDown, type Expression, type SessionWindow, type WindowTime,
} from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import { foldAggregateFilter } from "./aggregate-filter.ts";
import { resolveColumn, resolveExpression } from "../expr/resolve.ts";
import { BooleanType, StructType, typeName } from "../types/data-types.ts";
import { extractGenerator, splitGeneratorOverAggregation } from "./generate.ts";
import { bindPlanColumns } from "./plan-column-binding.ts";
import { extractWindows } from "./window-builder.ts";
import { hideMetadata, withFileMetadata } from "./file-metadata-columns.ts";
import type {
  Aggregate, Deduplicate, EventTimeWatermark, Filter, Limit, LocalRelation, LogicalPlan,
  OutputColumn, Project, Scan, Sort, SubqueryAlias,
} from "./logical-plan.ts";

/**
 * Builds resolved logical plans. The DataFrame API and the SQL front end both call these,
 * so a query means the same thing whichever way it was written. Each builder resolves
 * names and types against its input immediately, as Spark analyses a Dataset eagerly.
 */

function columnOf(e: Expression, input: LogicalPlan): OutputColumn {
  const name = autoName(e);
  const inner = e.kind === "Alias" ? e.child : e;
  const base = inner.kind === "ColumnRef" ? input.output[inner.index] : undefined;
  const nullable = base ? base.nullable : true;
  const col: OutputColumn = { name, qualifier: e.kind === "ColumnRef" ? e.qualifier : null, dataType: typeOf(e), nullable };
  // The watermark travels with the event-time column through aliases, and onto a window over it.
  const delay = eventTimeDelayOf(e, input);
  return delay !== undefined ? { ...col, eventTimeDelayMicros: delay } : col;
}

export function scan(source: SourceProvider, isStreaming: boolean): Scan {
  if (!isStreaming && !source.supportsBatch) {
    throw new AnalysisError(`data source ${source.format} does not support batch reads; use spark.readStream`);
  }
  const output = source.schema.fields.map((f) => ({ name: f.name, qualifier: null, dataType: f.dataType, nullable: f.nullable }));
  return Object.freeze({ kind: "Scan", source, columns: output.map((_, i) => i), pushedFilters: [], output, isStreaming });
}

export function localRelation(name: string, schema: StructType, data: () => readonly ColumnBatch[], isStreaming = false): LocalRelation {
  const output = schema.fields.map((f) => ({ name: f.name, qualifier: null, dataType: f.dataType, nullable: f.nullable }));
  return Object.freeze({ kind: "LocalRelation", name, data, output, isStreaming });
}

/** Expands `*` / `t.*` into the input's columns. */
export function expandStars(exprs: readonly Expression[], input: LogicalPlan): Expression[] {
  return exprs.flatMap((e) => {
    if (e.kind !== "Star") return [expandStructStars(e, input)];
    // colRegex: Java's String.matches (the whole name), case-insensitive as Spark's default analysis.
    const regex = e.pattern === undefined ? null : new RegExp(`^(?:${e.pattern})$`, "is");
    const cols = input.output
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => e.qualifier === null || (c.qualifier !== null && sameName(c.qualifier, e.qualifier)))
      .filter(({ c }) => regex === null || regex.test(c.name));
    if (regex !== null) return cols.map(({ c, i }) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
    if (cols.length === 0 && e.qualifier !== null) return structFields(e.qualifier, input);
    return cols.map(({ c, i }) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
  });
}

/** `struct(*)` (`to_json(struct(*))` sends a whole row): the stars inside struct() become the input's columns. */
function expandStructStars(e: Expression, input: LogicalPlan): Expression {
  if (!anyNode(e, (x) => x.kind === "Call" && x.name === "struct" && x.args.some((a) => a.kind === "Star"))) return e;
  return transformDown(e, (x) => (x.kind === "Call" && x.name === "struct" && x.args.some((a) => a.kind === "Star")
    ? Call.create("struct", expandStars(x.args, input), x.dataType)
    : undefined));
}

/** `s.*` of a struct column `s` (or `t.s.*`, `s.inner.*`): one column per field, named after it, as Spark expands it. */
function structFields(path: string, input: LogicalPlan): Expression[] {
  let struct: Expression;
  try {
    struct = resolveExpression(ColumnRef.create(path), input.output);
  } catch (error) {
    throw new AnalysisError(`cannot resolve '${path}.*' given input columns`, { cause: error });
  }
  const type = typeOf(struct);
  if (type.kind !== "struct") throw new AnalysisError(`cannot resolve '${path}.*': ${path} is a ${typeName(type)}, not a struct`);
  return type.fields.map((f) => Alias.create(GetField.create(struct, f.name, f.dataType), f.name));
}

/** select(...): a projection, or a global aggregation when the expressions aggregate (Spark's `select(count("*"))`). */
export function project(input: LogicalPlan, exprs: readonly Expression[]): LogicalPlan {
  ({ input, exprs } = withFileMetadata(input, exprs));
  const computedBelow = new Set<Alias>();
  const expanded = inlineLateralAliases(expandStars(exprs, input), input.output, computedBelow);
  if (computedBelow.size > 0) {
    if (expanded.some(isAggregate) || expanded.some(isWindowed)) throw nonDeterministicInAggregate([...computedBelow][0]!);
    const passed = input.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
    return project(project(input, [...passed, ...computedBelow]), readFromBelow(expanded, computedBelow));
  }
  const overAggregation = expanded.some(isAggregate) ? splitGeneratorOverAggregation(expanded) : null;
  if (overAggregation !== null) {
    const aggregated = aggregate(input, [], overAggregation.below);
    return project(aggregated, overAggregation.above(aggregated));
  }
  const generated = extractGenerator(input, expanded);
  if (generated !== null) return project(generated.plan, generated.exprs);
  if (expanded.some(isAggregate)) return aggregate(input, [], expanded);
  if (expanded.some(isWindowed)) {
    const extracted = extractWindows(input, expanded);
    return project(extracted.plan, extracted.exprs);
  }
  const resolved = expanded.map((e) => resolveExpression(bindPlanColumns(e, input), input.output));
  // Spark's TimeWindowing/SessionWindowing: a row whose time is null is in no window, so it is filtered out.
  const times = resolved.flatMap((e) => collectNodes(e, (x): x is WindowTime | SessionWindow => x.kind === "WindowTime" || x.kind === "SessionWindow"))
    .map((w) => w.timeColumn).filter((t) => t.kind === "Literal" ? t.value === null : !(t.kind === "ColumnRef" && !t.nullable));
  if (times.length > 0) {
    const notNull = times.map((t) => Call.create("isnotnull", [t])).reduce((a, b) => Call.create("and", [a, b]));
    input = filterOver(input, notNull);
  }
  const output = resolved.map((e) => columnOf(e, input));
  return Object.freeze({ kind: "Project", input, exprs: resolved, output, isStreaming: input.isStreaming }) satisfies Project;
}

export function filter(input: LogicalPlan, condition: Expression): LogicalPlan {
  const metadata = withFileMetadata(input, [condition]);
  // `_metadata` stays hidden above the filter that read it.
  if (metadata.added) return hideMetadata(filter(metadata.input, metadata.exprs[0]!), input.output);
  return withMissingReferences(input, [condition], (from) => filterOver(from, condition));
}

function filterOver(input: LogicalPlan, condition: Expression): Filter {
  if (isWindowed(condition)) throw new AnalysisError("It is not allowed to use window functions inside WHERE clause");
  const resolved = resolveExpression(bindPlanColumns(condition, input), input.output);
  const t = typeOf(resolved);
  if (t.kind !== "boolean" && t.kind !== "null") {
    throw new AnalysisError(`filter expression '${displayExpression(resolved)}' of type ${typeName(t)} is not a boolean`);
  }
  if (isAggregate(resolved)) throw new AnalysisError(`aggregate functions are not allowed in a filter: ${displayExpression(resolved)}`);
  return Object.freeze({ kind: "Filter", input, condition: castIfNeeded(resolved, BooleanType), output: input.output, isStreaming: input.isStreaming });
}

/**
 * groupBy(groupings).agg(aggExprs). Output: the grouping columns, then one column per
 * aggregate expression (which may combine aggregate calls and grouping expressions).
 */
export function aggregate(input: LogicalPlan, groupings: readonly Expression[], aggExprs: readonly Expression[], keepGroupingColumns = true): Aggregate {
  const metadata = withFileMetadata(input, [...groupings, ...aggExprs]);
  if (metadata.added) {
    input = metadata.input;
    groupings = metadata.exprs.slice(0, groupings.length);
    aggExprs = metadata.exprs.slice(groupings.length);
  }
  // Resolved allowing aggregates, so that an aggregate in GROUP BY gets its own error below.
  const groups = expandStars(groupings, input).map((g) => resolveExpression(bindPlanColumns(g, input), input.output, { allowAggregates: true }));
  for (const g of groups) {
    if (isAggregate(g)) throw new AnalysisError(`aggregate functions are not allowed in GROUP BY: ${displayExpression(g)}`);
  }
  if (groups.filter((g) => isTimeWindow(g.kind === "Alias" ? g.child : g)).length > 1) {
    throw new AnalysisError("Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.");
  }
  const groupKeys = groups.map(expressionKey);
  const aggregates: AggregateCall[] = [];
  const aggKeys: string[] = [];
  const post = (index: number, e: Expression, name: string): Expression => ColumnRef.bound(name, index, typeOf(e), true);

  // A time or session window grouping is also visible by its name (`window.start`,
  // `session_window`), as Spark's TimeWindowing makes it a column below the aggregation;
  // the input's own columns come first.
  const windowGroups = groups.map((g, i) => ({ g: g.kind === "Alias" ? g.child : g, i }))
    .filter(({ g }) => isTimeWindow(g) && !input.output.some((c) => sameName(c.name, autoName(g))));
  const scope = [...input.output, ...windowGroups.map(({ g }) => ({ name: autoName(g), qualifier: null, dataType: typeOf(g), nullable: true }))];

  const rewrite = (e: Expression): Expression => {
    const resolved = resolveExpression(bindPlanColumns(e, input), scope, { allowAggregates: true });
    const rewritten = transformDown(resolved, (x) => {
      if (x.kind === "ColumnRef" && x.index >= input.output.length) {
        const gi = windowGroups[x.index - input.output.length]!.i;
        return post(gi, groups[gi]!, autoName(groups[gi]!));
      }
      const gi = groupKeys.indexOf(expressionKey(x));
      if (gi >= 0 && x.kind !== "Alias") return post(gi, groups[gi]!, autoName(groups[gi]!));
      if (x.kind === "AggregateCall") {
        if (x.args.some((a) => isAggregate(a))) throw new AnalysisError("[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.");
        const key = expressionKey(x);
        let ai = aggKeys.indexOf(key);
        if (ai < 0) { ai = aggregates.length; aggregates.push(foldAggregateFilter(x)); aggKeys.push(key); }
        return post(groups.length + ai, x, displayExpression(x));
      }
      if (x.kind === "ColumnRef") {
        throw new AnalysisError(`[MISSING_AGGREGATION] The non-aggregating expression "${x.name}" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(${x.name})" if you do not care about which of the values within a group is returned.`);
      }
      return undefined;
    });
    // Keep the user's column name (from the unrewritten expression).
    return rewritten.kind === "Alias" ? rewritten : Alias.create(rewritten, autoName(resolved));
  };

  const aggResults = inlineLateralAliases(aggExprs, input.output).map(rewrite);
  if (aggResults.some((r) => anyNode(r, (x) => x.kind === "Call" && (x.name === "grouping" || x.name === "grouping_id")))) {
    throw new AnalysisError("[UNSUPPORTED_GROUPING_EXPRESSION] grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup.");
  }
  const groupResults = keepGroupingColumns ? groups.map((g, i) => Alias.create(post(i, g, autoName(g)), autoName(g))) : [];
  const results = [...groupResults, ...aggResults];
  const output: OutputColumn[] = results.map((r, i) => {
    const col: OutputColumn = { name: autoName(r), qualifier: null, dataType: typeOf(r), nullable: true };
    if (keepGroupingColumns && i < groups.length) {
      const g = groups[i]!;
      const delay = eventTimeDelayOf(g, input);
      if (delay !== undefined) return { ...col, eventTimeDelayMicros: delay, nullable: false };
      if (g.kind === "ColumnRef") return { ...col, qualifier: g.qualifier, nullable: input.output[g.index]!.nullable };
    }
    // A select-list column that is an event-time grouping (SQL's `SELECT window … GROUP BY
    // window(t, …)`) keeps its watermark, for an aggregation chained after this one.
    const inner = r.kind === "Alias" ? r.child : r;
    if (inner.kind === "ColumnRef" && inner.index < groups.length) {
      const delay = eventTimeDelayOf(groups[inner.index]!, input);
      if (delay !== undefined) return { ...col, eventTimeDelayMicros: delay, nullable: false };
    }
    return col;
  });
  return Object.freeze({ kind: "Aggregate", input, groupings: groups, aggregates, results, output, isStreaming: input.isStreaming });
}

function isTimeWindow(e: Expression): e is WindowTime | SessionWindow {
  return e.kind === "WindowTime" || e.kind === "SessionWindow";
}

/**
 * The watermark delay carried by a grouping key: a watermarked column, `window_time` of a
 * watermarked window column (Spark's chained time windows), or a window over either.
 */
export function eventTimeDelayOf(g: Expression, input: LogicalPlan): number | undefined {
  const inner = g.kind === "Alias" ? g.child : g;
  return eventTimeColumnDelay(isTimeWindow(inner) ? inner.timeColumn : inner, input);
}

function eventTimeColumnDelay(e: Expression, input: LogicalPlan): number | undefined {
  if (e.kind === "ColumnRef") return input.output[e.index]?.eventTimeDelayMicros;
  if (e.kind === "Call" && e.name === "window_time" && e.args[0]!.kind === "ColumnRef") return input.output[e.args[0]!.index]?.eventTimeDelayMicros;
  return undefined;
}

export function withWatermark(input: LogicalPlan, eventTime: string, delayThreshold: string): EventTimeWatermark {
  const delayMicros = parseDuration(delayThreshold, "delay threshold", { allowMonths: true });
  // Spark's words: Dataset.withWatermark's require(…) (an IllegalArgumentException there).
  if (delayMicros < 0) throw new AnalysisError(`requirement failed: delay threshold (${delayThreshold}) should not be negative.`);
  const ref = resolveColumn(eventTime, null, input.output);
  if (ref.kind !== "ColumnRef") throw new AnalysisError(`withWatermark: '${eventTime}' must name a top-level column`);
  const t = typeOf(ref);
  if (t.kind !== "timestamp") {
    throw new AnalysisError(`Event time must be defined on a window or a timestamp, but ${eventTime} is of type ${typeName(t)}`);
  }
  const output = input.output.map((c, i) => {
    if (i === ref.index) return { ...c, eventTimeDelayMicros: delayMicros };
    if (c.eventTimeDelayMicros === undefined) return c;
    const { eventTimeDelayMicros: _, ...rest } = c;
    return rest;
  });
  return Object.freeze({ kind: "EventTimeWatermark", input, column: ref.index, delayMicros, output, isStreaming: input.isStreaming });
}

export function deduplicate(input: LogicalPlan, columns: readonly string[] | null, withinWatermark = false): Deduplicate {
  const keys = columns === null
    ? input.output.map((_, i) => i)
    : columns.map((name) => {
      const i = input.output.findIndex((c) => sameName(c.name, name));
      if (i < 0) throw new AnalysisError(`cannot resolve column name "${name}" among (${input.output.map((c) => c.name).join(", ")})`);
      return i;
    });
  return Object.freeze({ kind: "Deduplicate", input, keys, output: input.output, isStreaming: input.isStreaming, ...(withinWatermark ? { withinWatermark: true as const } : {}) });
}

export function sort(input: LogicalPlan, orders: readonly Expression[]): LogicalPlan {
  const metadata = withFileMetadata(input, orders);
  if (metadata.added) return hideMetadata(sort(metadata.input, metadata.exprs), input.output);
  return withMissingReferences(input, orders, (from) => sortOver(from, orders));
}

/**
 * Spark's ResolveMissingReferences: `df.select("sal").orderBy("name")` and
 * `.filter(col("name")…)` may name a column the Project below dropped. The Project then
 * carries it, the Sort or Filter runs over it, and a Project above drops it again.
 */
function withMissingReferences(input: LogicalPlan, exprs: readonly Expression[], build: (from: LogicalPlan) => LogicalPlan): LogicalPlan {
  try {
    return build(input);
  } catch (error) {
    if (!(error instanceof AnalysisError) || input.kind !== "Project") throw error;
    // A `_metadata` the projection left out is found below it too (Spark's ResolveMissingReferences).
    const inner = withFileMetadata(input.input, exprs).input;
    const below = inner.output;
    const missing: Expression[] = [];
    for (const e of exprs) {
      for (const ref of collectNodes(e, (x): x is ColumnRef => x.kind === "ColumnRef" && x.planOrigin === undefined)) {
        if (resolves(ref, input.output) || !resolves(ref, below)) continue;
        // The column itself (not `s.field`), so that the name resolves above as it did below.
        let bound = resolveColumn(ref.name, ref.qualifier, below);
        while (bound.kind === "GetField") bound = bound.child;
        if (!missing.some((m) => expressionKey(m) === expressionKey(bound))) missing.push(bound);
      }
    }
    if (missing.length === 0) throw error;
    const exprsWide = [...input.exprs, ...missing];
    const widened: Project = Object.freeze({ kind: "Project", input: inner, exprs: exprsWide, output: exprsWide.map((e) => columnOf(e, inner)), isStreaming: input.isStreaming });
    const built = build(widened);
    const kept = input.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
    return Object.freeze({ kind: "Project", input: built, exprs: kept, output: input.output, isStreaming: input.isStreaming }) satisfies Project;
  }
}

function resolves(ref: ColumnRef, scope: LogicalPlan["output"]): boolean {
  try {
    resolveColumn(ref.name, ref.qualifier, scope);
    return true;
  } catch {
    return false;
  }
}

function sortOver(input: LogicalPlan, orders: readonly Expression[]): Sort {
  const resolved = orders.map((o) => {
    const so = o.kind === "SortOrder" ? o : SortOrder.create(o, true);
    return resolveExpression(bindPlanColumns(so, input), input.output) as SortOrder;
  });
  return Object.freeze({ kind: "Sort", input, orders: resolved, output: input.output, isStreaming: input.isStreaming });
}

export function limit(input: LogicalPlan, n: number, offset = 0): Limit {
  checkLimitLike("limit", n);
  checkLimitLike("offset", offset);
  return Object.freeze({ kind: "Limit", input, limit: n, offset, output: input.output, isStreaming: input.isStreaming });
}

/** offset(n): skips the first n rows (Spark 3.4's Dataset.offset, SQL OFFSET). */
export function offset(input: LogicalPlan, n: number): Limit {
  if (input.kind === "Limit" && input.offset === 0 && input.limit === Infinity) return limit(input.input, Infinity, n);
  return limit(input, Infinity, n);
}

function checkLimitLike(what: "limit" | "offset", n: number): void {
  if (n === Infinity && what === "limit") return;
  if (!Number.isInteger(n)) throw new AnalysisError(`[INVALID_LIMIT_LIKE_EXPRESSION.DATA_TYPE] The ${what} like expression "${n}" is invalid. The ${what} expression must be integer type, but got "${typeof n}".`);
  if (n < 0) throw new AnalysisError(`[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The ${what} like expression "${n}" is invalid. The ${what} expression must be equal to or greater than 0, but got ${n}.`);
}

export function subqueryAlias(input: LogicalPlan, alias: string): SubqueryAlias {
  return Object.freeze({ kind: "SubqueryAlias", input, alias, output: input.output.map((c) => ({ ...c, qualifier: alias })), isStreaming: input.isStreaming });
}

export { generate, splitGeneratorOverAggregation } from "./generate.ts";
export { join, parseJoinType } from "./relations/join.ts";
export { union, intersect, except } from "./relations/set-operations.ts";
export { inlineTable } from "./relations/inline-table.ts";
export { range, rangeFunction } from "./relations/range.ts";
export { naturalJoinColumns } from "./join-output.ts";
export { AggregateCall };
export { columnAliases } from "./relations/column-aliases.ts";
export { existsJoin, inJoin, scalarJoin, type SubqueryPlan } from "./relations/subquery-joins.ts";
