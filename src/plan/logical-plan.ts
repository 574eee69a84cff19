import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { SourcePredicate, SourceProvider } from "../connectors/source.ts";
import type { AggregateCall, Alias, Call, Expression, SortOrder } from "../expr/expression.ts";
import type { InputColumn, Scope } from "../expr/scope.ts";
import type { GroupFunction, GroupsOutputMode, GroupStateTimeoutKind } from "../state/group-state.ts";

/**
 * Logical plans: immutable nodes built identically by the DataFrame API and by SQL.
 * Every node is resolved when built (Spark analyses each Dataset eagerly), so `output`
 * is always known and expressions carry bound column indices into their input.
 */
export type LogicalPlan =
  | Scan
  | LocalRelation
  | Project
  | Filter
  | Aggregate
  | Join
  | Deduplicate
  | EventTimeWatermark
  | Sort
  | Limit
  | Union
  | SubqueryAlias
  | MapBatches
  | FlatMapGroupsWithState
  | Window
  | Expand
  | Generate;

/** A column of a plan's output; `eventTimeDelayMicros` marks a watermarked event-time column (Spark's watermark metadata). */
export interface OutputColumn extends InputColumn {
  readonly eventTimeDelayMicros?: number;
}

interface Node {
  readonly output: readonly OutputColumn[];
  readonly isStreaming: boolean;
}

export interface Scan extends Node {
  readonly kind: "Scan";
  readonly source: SourceProvider;
  /** Columns of the source schema that the query reads (column pruning); all when not pruned. */
  readonly columns: readonly number[];
  /** Predicates handed to the source (push_filter_into_scan); the Filter above still checks them. */
  readonly pushedFilters: readonly SourcePredicate[];
}

/** Rows held in memory: createDataFrame, memory-sink tables, MemoryStream in batch use. */
export interface LocalRelation extends Node {
  readonly kind: "LocalRelation";
  readonly name: string;
  readonly data: () => readonly ColumnBatch[];
}

export interface Project extends Node {
  readonly kind: "Project";
  readonly input: LogicalPlan;
  /** Resolved against input.output; each names one output column. */
  readonly exprs: readonly Expression[];
}

export interface Filter extends Node {
  readonly kind: "Filter";
  readonly input: LogicalPlan;
  readonly condition: Expression;
}

/**
 * groupBy(groupings).agg(results). `aggregates` are the distinct aggregate calls over the
 * input; `results` are resolved against the post-aggregation scope
 * [grouping values…, aggregate values…] and name the output columns.
 */
export interface Aggregate extends Node {
  readonly kind: "Aggregate";
  readonly input: LogicalPlan;
  readonly groupings: readonly Expression[];
  readonly aggregates: readonly AggregateCall[];
  readonly results: readonly Expression[];
}

export type JoinType = "inner" | "left_outer" | "right_outer" | "full_outer" | "left_semi" | "left_anti" | "cross";

export interface Join extends Node {
  readonly kind: "Join";
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  /** Resolved against left.output ++ right.output; null for a cross join. USING joins are a projection over an equi-join. */
  readonly condition: Expression | null;
}

export interface Deduplicate extends Node {
  readonly kind: "Deduplicate";
  readonly input: LogicalPlan;
  /** Input column indices that make a row's identity. */
  readonly keys: readonly number[];
  /**
   * dropDuplicatesWithinWatermark (Spark 3.5): a key is remembered until the watermark
   * passes its first row's event time plus the watermark delay, whatever the keys are.
   */
  readonly withinWatermark?: true;
}

export interface EventTimeWatermark extends Node {
  readonly kind: "EventTimeWatermark";
  readonly input: LogicalPlan;
  readonly column: number;
  readonly delayMicros: number;
}

export interface Sort extends Node {
  readonly kind: "Sort";
  readonly input: LogicalPlan;
  readonly orders: readonly SortOrder[];
}

/** LIMIT and OFFSET (Spark's GlobalLimit, Offset, GlobalLimitAndOffset): skip `offset` rows, then keep `limit` (Infinity: all). */
export interface Limit extends Node {
  readonly kind: "Limit";
  readonly input: LogicalPlan;
  readonly limit: number;
  readonly offset: number;
}

export interface Union extends Node {
  readonly kind: "Union";
  readonly inputs: readonly LogicalPlan[];
}

/** Renames the qualifier of every output column (`df.alias("a")`, `FROM t AS a`). */
export interface SubqueryAlias extends Node {
  readonly kind: "SubqueryAlias";
  readonly input: LogicalPlan;
  readonly alias: string;
}

/**
 * An opaque per-batch transformation (typed Dataset lambdas): the optimizer cannot see
 * inside, as in Spark, but plans around it.
 */
export interface MapBatches extends Node {
  readonly kind: "MapBatches";
  readonly input: LogicalPlan;
  readonly name: string;
  readonly fn: (batch: ColumnBatch) => ColumnBatch;
}

/**
 * groupByKey(keyFn) then a function per key (Spark's FlatMapGroupsWithState; also
 * mapGroups and reduceGroups): both lambdas are opaque, as in Spark. With `stateful`,
 * each key keeps a GroupState across micro-batches in the state store; `outputMode` and
 * `timeout` are what the user declared.
 */
export interface FlatMapGroupsWithState extends Node {
  readonly kind: "FlatMapGroupsWithState";
  readonly input: LogicalPlan;
  /** The API call, for plans and errors: "flatMapGroupsWithState", "mapGroups", … */
  readonly name: string;
  readonly keyFn: (row: Record<string, unknown>) => unknown;
  readonly fn: GroupFunction;
  readonly stateful: boolean;
  readonly outputMode: GroupsOutputMode;
  readonly timeout: GroupStateTimeoutKind;
  /** The output column the engine fills with the group's key (reduceGroups' `key`); null when the function makes every column. */
  readonly keyColumn: number | null;
}

/**
 * Window functions over one window specification's partitioning and ordering (Spark's
 * Window): output is the input's columns then one column per window expression. Each of
 * `windowExprs` is an Alias of a resolved WindowExpression over `input` with exactly
 * `partitionBy` and `orderBy`; frames may differ.
 */
export interface Window extends Node {
  readonly kind: "Window";
  readonly input: LogicalPlan;
  readonly windowExprs: readonly Alias[];
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly SortOrder[];
}

/**
 * Each input row once per projection list (Spark's Expand, under GROUPING SETS, ROLLUP and
 * CUBE): `projections[k]` are resolved against the input and give the output columns.
 */
export interface Expand extends Node {
  readonly kind: "Expand";
  readonly input: LogicalPlan;
  readonly projections: readonly (readonly Expression[])[];
}

/**
 * A generator over each input row (Spark's Generate: explode, posexplode, inline, json_tuple,
 * stack, from a SELECT list or LATERAL VIEW): output is the input's columns, repeated once per
 * generated row, then the generator's columns. `generator` is a resolved Call whose dataType is
 * the struct of the generated columns; with `outer`, a row generating nothing keeps one row of nulls.
 */
export interface Generate extends Node {
  readonly kind: "Generate";
  readonly input: LogicalPlan;
  readonly generator: Call;
  readonly outer: boolean;
}

export function inputsOf(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case "Scan": case "LocalRelation": return [];
    case "Join": return [plan.left, plan.right];
    case "Union": return plan.inputs;
    default: return [plan.input];
  }
}

/** Rebuilds `plan` over new inputs (same order as inputsOf); output is unchanged by construction. */
export function withInputs(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  const old = inputsOf(plan);
  if (old.length === inputs.length && old.every((p, i) => p === inputs[i])) return plan;
  const isStreaming = inputs.some((p) => p.isStreaming);
  switch (plan.kind) {
    case "Scan": case "LocalRelation": return plan;
    case "Join": return Object.freeze({ ...plan, left: inputs[0]!, right: inputs[1]!, isStreaming });
    case "Union": return Object.freeze({ ...plan, inputs, isStreaming });
    default: return Object.freeze({ ...plan, input: inputs[0]!, isStreaming }) as LogicalPlan;
  }
}

/** Pre-order walk. */
export function forEachNode(plan: LogicalPlan, f: (p: LogicalPlan) => void): void {
  f(plan);
  for (const c of inputsOf(plan)) forEachNode(c, f);
}

export function someNode(plan: LogicalPlan, p: (n: LogicalPlan) => boolean): boolean {
  return p(plan) || inputsOf(plan).some((c) => someNode(c, p));
}

/** Bottom-up rewrite of the plan tree. */
export function transformPlanUp(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = inputsOf(plan);
  const rewritten = inputs.length === 0 ? plan : withInputs(plan, inputs.map((c) => transformPlanUp(c, f)));
  return f(rewritten);
}

export type { Scope };
