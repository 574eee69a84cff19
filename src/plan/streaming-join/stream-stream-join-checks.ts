import { AnalysisError } from "../../common/errors.ts";
import type { OutputMode } from "../../connectors/sink.ts";
import { someNode, type Join, type JoinType, type LogicalPlan } from "../logical-plan.ts";
import { eventTimeDelayOf } from "../plan-builder.ts";
import { equiJoinKeys } from "./equi-join-keys.ts";
import { stateValueWatermark } from "./state-watermark.ts";

/** Spark's names of join types, as its messages print them. */
export const SPARK_JOIN_TYPE_NAME: Record<JoinType, string> = {
  inner: "Inner", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter",
  left_semi: "LeftSemi", left_anti: "LeftAnti", cross: "Cross",
};

const MODE_NAME: Record<OutputMode, string> = { append: "Append", update: "Update", complete: "Complete" };

/** rivulet's words for what Spark 3.5 runs and rivulet does not yet. */
export const JOIN_AFTER_STATEFUL = "Detected pattern of possible 'correctness' issue due to global watermark. "
  + "A stream-stream join after a streaming aggregation or after a stream-stream join that can emit rows "
  + "behind the watermark (an outer join, a time-range condition) is not supported yet: rivulet propagates watermarks "
  + "(Spark 3.5's per-operator watermarks) to an aggregation or dropDuplicates after a join, not to a join's inputs";

function fail(message: string): never {
  throw new AnalysisError(message);
}

/** Spark's StreamingJoinHelper.isWatermarkInJoinKeys: an equi-join key of either side is watermarked event time. */
export function isWatermarkInJoinKeys(join: Join): boolean {
  const { leftKeys, rightKeys } = equiJoinKeys(join.condition, join.left.output.length);
  return leftKeys.some((k) => eventTimeDelayOf(k, join.left) !== undefined) || rightKeys.some((k) => eventTimeDelayOf(k, join.right) !== undefined);
}

/** Whether the condition bounds the state of `side` by the other side's watermark (Spark's getStateValueWatermark(…).isDefined). */
export function hasStateValueWatermark(join: Join, side: "left" | "right"): boolean {
  const leftWidth = join.left.output.length;
  return stateValueWatermark(join.condition, {
    columns: [...join.left.output, ...join.right.output],
    isStateSide: (i) => (side === "left" ? i < leftWidth : i >= leftWidth),
  }, 1_000_000_000) !== null;
}

/** Whether a stream–stream join may emit rows behind the watermark (outer rows, range-joined rows). */
export function mayEmitLateRows(join: Join): boolean {
  if (!(join.left.isStreaming && join.right.isStreaming)) return false;
  return join.joinType !== "inner" || hasStateValueWatermark(join, "left") || hasStateValueWatermark(join, "right");
}

/** Spark's checks of a join of two streams (UnsupportedOperationChecker and StreamingJoinStrategy). */
export function checkStreamStreamJoin(join: Join, outputMode: OutputMode): void {
  if (outputMode !== "append") {
    fail(`Join between two streaming DataFrames/Datasets is not supported in ${MODE_NAME[outputMode]} output mode, only in Append output mode`);
  }
  const isAggregate = (p: LogicalPlan): boolean => p.kind === "Aggregate" && p.isStreaming;
  const lateRows = (p: LogicalPlan): boolean => isAggregate(p) || (p.kind === "Join" && mayEmitLateRows(p));
  // Spark 3.5 runs these on watermarks propagated to the join's inputs; rivulet propagates them to an
  // aggregation or dropDuplicates above a join (physical/watermark-propagation.ts), not yet to a join's inputs.
  if (someNode(join.left, lateRows) || someNode(join.right, lateRows)) fail(JOIN_AFTER_STATEFUL);
  const type = SPARK_JOIN_TYPE_NAME[join.joinType];
  switch (join.joinType) {
    case "inner":
      break;
    case "cross":
      fail("Stream-stream join without equality predicate is not supported");
      break;
    case "left_anti":
      fail(`${type} joins with a streaming DataFrame/Dataset on the right are not supported`);
      break;
    case "left_outer":
    case "left_semi":
    case "right_outer":
    case "full_outer": {
      const validRange = join.joinType === "full_outer"
        ? hasStateValueWatermark(join, "left") || hasStateValueWatermark(join, "right")
        : hasStateValueWatermark(join, join.joinType === "right_outer" ? "right" : "left");
      if (!isWatermarkInJoinKeys(join) && !validRange) {
        fail(`Stream-stream ${type} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, `
          + "or a watermark on the nullable side and an appropriate range condition");
      }
      break;
    }
  }
  if (equiJoinKeys(join.condition, join.left.output.length).leftKeys.length === 0) {
    fail("Stream-stream join without equality predicate is not supported");
  }
}
