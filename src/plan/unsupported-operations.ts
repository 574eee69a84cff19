import { ConfKeys } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import type { OutputMode } from "../connectors/sink.ts";
import type { Expression } from "../expr/expression.ts";
import { eventTimeDelayOf } from "./plan-builder.ts";
import { checkStreamStreamJoin } from "./streaming-join/stream-stream-join-checks.ts";
import { forEachNode, someNode, type LogicalPlan } from "./logical-plan.ts";

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
      case "Window":
        fail("Non-time-based windows are not supported on streaming DataFrames/Datasets");
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
        if (someNode(p.input, isStreamingAggregate)) fail(`${p.name} after a streaming aggregation is not supported on streaming DataFrames/Datasets`);
        if (p.outputMode === "update" && outputMode !== "update") {
          fail(`${p.name}${p.name === "flatMapGroupsWithState" ? " in update mode" : ""} is not supported with ${outputMode === "append" ? "Append" : "Complete"} output mode on a streaming DataFrame/Dataset; use outputMode("update")`);
        }
        break;
      default:
        break;
    }
  });
}
