import { randomUUID } from "node:crypto";
import { AnalysisError } from "../common/errors.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { Row } from "../columnar/values.ts";
import { displayExpression } from "../expr/display.ts";
import { childrenOf, type Expression } from "../expr/expression.ts";
import { someNode, type LogicalPlan } from "../plan/logical-plan.ts";
import type { StructType } from "../types/data-types.ts";
import type { Session } from "../session/session.ts";
import type { Column } from "./column.ts";
import type { Dataset } from "./dataset.ts";

/** What `observe` attached to a plan: the metrics' name and aggregate columns. */
interface ObservedMetrics {
  readonly name: string;
  readonly exprs: readonly Column[];
}

/** The plans `observe` made, with every observation of the chain that ends at them. */
const observedPlans = new WeakMap<LogicalPlan, readonly ObservedMetrics[]>();
/** Plans whose observations a later `observe` carried on (they are inner links of a chain). */
const carriedPlans = new WeakSet<LogicalPlan>();

/**
 * Spark's Observation: the metrics `df.observe(observation, …)` collects on a batch
 * Dataset, as `await observation.get` (a Row by metric name). Here they are computed when
 * asked for, over the observed Dataset's rows (Spark collects them while an action runs).
 */
export class Observation {
  readonly name: string;
  #observed: { df: Dataset<any, any>; exprs: readonly Column[] } | null = null;
  #result: Promise<Row> | null = null;

  constructor(name?: string) {
    if (name !== undefined && name === "") throw new AnalysisError("[INVALID_PARAMETER_VALUE] Name must be a non-empty string (Observation).");
    this.name = name ?? randomUUID();
  }

  /** The metrics by name, once; a Promise that fails when the Observation was never used with `observe`. */
  get get(): Promise<Row> {
    if (this.#observed === null) return Promise.reject(new AnalysisError(`Observation ${this.name} was not used with Dataset.observe: there are no metrics to get.`));
    const { df, exprs } = this.#observed;
    this.#result ??= df.agg(exprs[0]!, ...exprs.slice(1)).collect().then((rows: Row[]) => rows[0]!);
    return this.#result;
  }

  /** @internal */
  attach(df: Dataset<any, any>, exprs: readonly Column[]): void {
    if (this.#observed !== null) throw new AnalysisError("An Observation can be used with a Dataset only once");
    this.#observed = { df, exprs };
  }
}

/**
 * Spark's `Dataset.observe(name | Observation, expr, …)`: the same rows, with named metrics —
 * aggregate expressions (count, max, sum, …) over the rows that pass this point. A streaming
 * query reports each batch's in `lastProgress.observedMetrics[name]` (and its listeners'
 * QueryProgressEvent); there, `observe` must be the last transformation before writeStream.
 */
export function observeDataset<D extends Dataset<any, any>>(df: D, observation: string | Observation, exprs: readonly Column[]): D {
  if (exprs.length === 0) throw new AnalysisError("[INVALID_OBSERVED_METRICS.MISSING_NAME] Invalid observed metrics. The observed metrics should be named: observe() needs at least one expression.");
  for (const e of exprs) checkMetric(e.expr, false);
  const name = typeof observation === "string" ? observation : observation.name;
  if (name === "") throw new AnalysisError("[INVALID_PARAMETER_VALUE] Name must be a non-empty string (observe).");
  // A new plan node (the same rows) marks the point observed; the optimizer removes it.
  const observed = df.select("*") as unknown as D;
  const before = observedPlans.get(df.plan);
  if (before !== undefined) carriedPlans.add(df.plan);
  observedPlans.set(observed.plan, [...(before ?? []), { name, exprs }]);
  if (typeof observation !== "string") observation.attach(observed, exprs);
  return observed;
}

/**
 * For a streaming query over `plan`: computes each observation's metrics over a batch's
 * output rows; null when nothing is observed. Fails when `observe` is not the last
 * transformation (its point would not be the output rows).
 */
export function batchObserver(session: Session, plan: LogicalPlan, schema: StructType): ((output: readonly ColumnBatch[]) => Promise<Record<string, unknown>>) | null {
  if (someNode(plan, (p) => p !== plan && observedPlans.has(p) && !carriedPlans.has(p))) {
    throw new AnalysisError("[UNSUPPORTED_FEATURE] The feature is not supported: a streaming Dataset transformed after observe(); call observe() last, just before writeStream.");
  }
  const observations = observedPlans.get(plan);
  if (observations === undefined) return null;
  return async (output) => {
    const rows = session.createDataFrameFromBatches(schema, output);
    const metrics: Record<string, unknown> = {};
    for (const o of observations) metrics[o.name] = (await rows.agg(o.exprs[0]!, ...o.exprs.slice(1)).collect())[0];
    return metrics;
  };
}

/** Spark's CheckAnalysis of observed metrics: columns only inside an aggregate, no window, no nested or DISTINCT aggregate. */
function checkMetric(e: Expression, inAggregate: boolean): void {
  if (e.kind === "AggregateCall") {
    if (inAggregate) throw invalid("NESTED_AGGREGATES_UNSUPPORTED", `Nested aggregates are not allowed in observed metrics, but found: ${quoted(e)}.`);
    if ((e as { distinct?: boolean }).distinct === true) {
      throw invalid("AGGREGATE_EXPRESSION_WITH_DISTINCT_UNSUPPORTED", `Aggregate expressions with DISTINCT are not allowed in observed metrics, but found: ${quoted(e)}.`);
    }
    for (const c of childrenOf(e)) checkMetric(c, true);
    return;
  }
  if (e.kind === "WindowExpression") throw invalid("WINDOW_EXPRESSIONS_UNSUPPORTED", `Window expressions are not allowed in observed metrics, but found: ${quoted(e)}.`);
  if ((e.kind === "ColumnRef" || e.kind === "Star") && !inAggregate) {
    throw invalid("NON_AGGREGATE_FUNC_ARG_IS_ATTRIBUTE", `Attribute ${quoted(e)} can only be used as an argument to an aggregate function.`);
  }
  for (const c of childrenOf(e)) checkMetric(c, inAggregate);
}

function invalid(subClass: string, detail: string): AnalysisError {
  return new AnalysisError(`[INVALID_OBSERVED_METRICS.${subClass}] Invalid observed metrics. ${detail}`);
}

function quoted(e: Expression): string {
  return `"${displayExpression(e)}"`;
}
