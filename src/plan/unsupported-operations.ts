import { ConfKeys } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import type { OutputMode } from "../connectors/sink.ts";
import { collectNodes, type Expression, type WindowExpression } from "../expr/expression.ts";
import { displayExpression } from "../expr/display.ts";
import { displayWindowFunction } from "../expr/window/window-display.ts";
import { eventTimeDelayOf } from "./plan-builder.ts";
import { checkStreamStreamJoin } from "./streaming-join/stream-stream-join-checks.ts";
import { forEachNode, someNode, type FlatMapGroupsWithState, type LogicalPlan, type Project, type Window } from "./logical-plan.ts";
import { isSampleDraw } from "./sample.ts";

function fail(message: string): never {
  throw new AnalysisError(message);
}

function isStreamingAggregate(p: LogicalPlan): boolean {
  return p.kind === "Aggregate" && p.isStreaming;
}

function isSessionWindow(g: Expression): boolean {
  return (g.kind === "Alias" ? g.child : g).kind === "SessionWindow";
}

const STATEFUL = new Set<LogicalPlan["kind"]>(["Aggregate", "Deduplicate", "FlatMapGroupsWithState"]);

/** Spark's words (WatermarkPropagator) when a watermark is defined below another one. */
export const REDEFINING_WATERMARK = "Redefining watermark is disallowed. You can set the config "
  + `'${ConfKeys.statefulOperatorAllowMultiple}' to 'false' to restore the previous behavior. `
  + "Note that multiple stateful operators will be disallowed.";

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming: what a streaming query cannot do
 * in its output mode, checked when the query starts. With `allowMultipleStatefulOperators`
 * false (spark.sql.streaming.statefulOperator.allowMultiple), a watermark may be redefined
 * and one global watermark drives the query, but only one stateful operator may run.
 */
export function checkStreamingPlan(plan: LogicalPlan, outputMode: OutputMode, { allowMultipleStatefulOperators = true } = {}): void {
  const aggregates: LogicalPlan[] = [];
  forEachNode(plan, (p) => { if (isStreamingAggregate(p)) aggregates.push(p); });
  checkGroupsWithStateCount(plan, outputMode);

  // Spark 3.4+: aggregations may be chained (each on the watermark its input propagates), in
  // append mode only, where every one of them closes its groups by event time.
  if (aggregates.length > 1 && (outputMode !== "append" || !allowMultipleStatefulOperators)) {
    fail("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets");
  }
  if (outputMode === "complete" && aggregates.length === 0) {
    fail("Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets");
  }
  if (outputMode === "append") {
    for (const agg of aggregates) {
      if (agg.kind === "Aggregate" && !agg.groupings.some((g) => eventTimeDelayOf(g, agg.input) !== undefined)) {
        fail("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark");
      }
    }
  }

  for (const agg of aggregates) {
    if (agg.kind !== "Aggregate" || !agg.groupings.some(isSessionWindow)) continue;
    if (outputMode === "update") fail("Update output mode not supported for session window on streaming DataFrames/DataSets");
    if (agg.groupings.every(isSessionWindow)) fail("Global aggregation with session window in streaming query is not supported.");
  }

  forEachNode(plan, (p) => {
    if (!p.isStreaming) return;
    switch (p.kind) {
      case "Sort":
        if (!(outputMode === "complete" && someNode(p.input, isStreamingAggregate))) {
          fail("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode");
        }
        break;
      case "Project":
        // A window's column is named by the projection above it (Spark's Window holds the user's alias).
        if (p.input.kind === "Window" && p.input.isStreaming) throw nonTimeWindowError(p.input, p);
        if (isSampleDraw(p)) fail("Sampling is not supported on streaming DataFrames/Datasets");
        break;
      case "Window":
        throw nonTimeWindowError(p, null);
      case "Limit":
        if (p.offset > 0) fail("Offset is not supported on streaming DataFrames/Datasets");
        if (outputMode === "update") fail("Limits are not supported on streaming DataFrames/Datasets in Update output mode");
        break;
      case "Join": {
        const l = p.left.isStreaming, r = p.right.isStreaming;
        if (l && r) {
          checkStreamStreamJoin(p, outputMode);
          break;
        }
        const streamSide = l ? "left" : "right";
        const allowed = p.joinType === "inner" || p.joinType === "cross"
          || (streamSide === "left" && (p.joinType === "left_outer" || p.joinType === "left_semi" || p.joinType === "left_anti"))
          || (streamSide === "right" && p.joinType === "right_outer");
        if (!allowed) fail(`${p.joinType.replace("_", " ").toUpperCase()} join with a streaming DataFrame/Dataset on the ${streamSide} and a static DataFrame/Dataset on the ${streamSide === "left" ? "right" : "left"} is not supported`);
        break;
      }
      case "Union":
        if (p.inputs.some((i) => !i.isStreaming)) fail("Union between streaming and batch DataFrames/Datasets is not supported");
        break;
      case "EventTimeWatermark":
        if (allowMultipleStatefulOperators && someNode(p.input, (c) => c.kind === "EventTimeWatermark" && c.isStreaming)) {
          fail(REDEFINING_WATERMARK);
        }
        break;
      case "Deduplicate":
      case "Aggregate":
        if (p.kind === "Deduplicate" && p.withinWatermark && !p.input.output.some((c) => c.eventTimeDelayMicros !== undefined)) {
          fail("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark");
        }
        if (!allowMultipleStatefulOperators && someNode(p.input, (c) => STATEFUL.has(c.kind) && c.isStreaming)) {
          fail(`Multiple stateful operators are disallowed when '${ConfKeys.statefulOperatorAllowMultiple}' is 'false'`);
        }
        if (p.kind === "Aggregate" && p.aggregates.some((a) => a.distinct)) {
          fail("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.");
        }
        // After a stream–stream join (any type, range conditions too) the operator runs on the join's output
        // watermark (Spark 3.5's watermark propagation, physical/watermark-propagation.ts): allowed, as Spark.
        if (someNode(p.input, isStreamingAggregate) && outputMode !== "append") {
          fail(`${p.kind === "Deduplicate" ? "dropDuplicates" : "An aggregation"} after a streaming aggregation is only supported in append output mode`);
        }
        break;
      case "FlatMapGroupsWithState":
        if (!p.stateful) {
          fail(`${p.name} is not supported on streaming DataFrames/Datasets: use mapGroupsWithState or flatMapGroupsWithState, which keep each key's state across micro-batches`);
        }
        checkGroupsWithState(p, outputMode, aggregates.length > 0);
        break;
      default:
        if (isSampleDraw(p)) fail("Sampling is not supported on streaming DataFrames/Datasets");
        break;
    }
  });
}

const MODE_NAMES: Record<OutputMode, string> = { append: "Append", update: "Update", complete: "Complete" };

/** Spark's checks of how many [flat]mapGroupsWithState a query may hold, and of which kinds. */
function checkGroupsWithStateCount(plan: LogicalPlan, outputMode: OutputMode): void {
  const maps: FlatMapGroupsWithState[] = [], flatMaps: FlatMapGroupsWithState[] = [];
  forEachNode(plan, (p) => {
    if (p.kind === "FlatMapGroupsWithState" && p.isStreaming && p.stateful) (p.name === "mapGroupsWithState" ? maps : flatMaps).push(p);
  });
  if (maps.length >= 2) fail("Multiple mapGroupsWithStates are not supported on a streaming DataFrames/Datasets");
  if (maps.length > 0 && flatMaps.length > 0) fail("Mixing mapGroupsWithStates and flatMapGroupsWithStates are not supported on a streaming DataFrames/Datasets");
  if (flatMaps.length >= 2 && (outputMode !== "append" || flatMaps.some((f) => f.outputMode !== "append"))) {
    fail("Multiple flatMapGroupsWithStates are not supported when they are not all in append mode or the output mode is not append on a streaming DataFrames/Datasets");
  }
}

/**
 * Spark's checks of one [flat]mapGroupsWithState against the query's output mode and its
 * aggregations: mapGroupsWithState only in update mode and without aggregation; a
 * flatMapGroupsWithState's declared mode is the query's, or, with an aggregation after it,
 * append (an update-mode state function's rows would be aggregated again at each update).
 */
function checkGroupsWithState(p: FlatMapGroupsWithState, outputMode: OutputMode, aggregations: boolean): void {
  const mode = MODE_NAMES[outputMode];
  if (p.name === "mapGroupsWithState") {
    if (aggregations) fail("mapGroupsWithState is not supported with aggregation on a streaming DataFrame/Dataset");
    if (outputMode !== "update") fail(`mapGroupsWithState is not supported with ${mode} output mode on a streaming DataFrame/Dataset; use outputMode("update")`);
  } else if (!aggregations) {
    if (p.outputMode !== outputMode) {
      fail(`${p.name} in ${p.outputMode} mode is not supported with ${mode} output mode on a streaming DataFrame/Dataset; use outputMode("${p.outputMode}")`);
    }
  } else if (p.outputMode === "update") {
    fail(`${p.name} in update mode is not supported with aggregation on a streaming DataFrame/Dataset`);
  } else if (someNode(p.input, isStreamingAggregate)) {
    fail(`${p.name} in append mode is not supported after aggregation on a streaming DataFrame/Dataset`);
  }
}

/**
 * Spark's [NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING], naming each window function, its
 * column and its specification as Spark prints them (upper case, comma-separated).
 */
function nonTimeWindowError(p: Window, above: Project | null): AnalysisError {
  const first = p.input.output.length;
  /** The name the projection above gives the window's k-th column (`AS rn`), else the window's own. */
  const nameOf = (k: number): string => {
    for (const e of above?.exprs ?? []) {
      if (e.kind === "Alias" && e.child.kind === "ColumnRef" && e.child.index === first + k) return e.name;
    }
    return p.windowExprs[k]!.name;
  };
  const found = p.windowExprs.flatMap((alias, k) => collectNodes(alias.child, (e): e is WindowExpression => e.kind === "WindowExpression").map((w) => ({ name: nameOf(k), w })));
  const windowFunc = found.map(({ w }) => displayWindowFunction(w.fn, displayExpression).toUpperCase()).join(",");
  const columnName = found.map(({ name }) => `\`${name}\``).join(",");
  const windowSpec = found.map(({ w }) => {
    const shown = displayExpression(w);
    return shown.slice(shown.indexOf(" OVER (") + " OVER ".length).toUpperCase();
  }).join(",");
  return new AnalysisError(
    `[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in ${windowFunc} (as column ${columnName}) on streaming DataFrames/Datasets. ` +
      `Structured Streaming only supports time-window aggregation using the WINDOW function. (window specification: ${windowSpec})`,
    { messageParameters: { windowFunc, columnName, windowSpec } },
  );
}
