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

/**
 * Spark 3.0–3.4's words (UnsupportedOperationChecker.checkStreamingQueryGlobalWatermarkLimit) for
 * a stateful operator fed by one that may emit rows behind the watermark. rivulet keeps one
 * global watermark (no per-operator propagation as Spark 3.5), so the downstream operator
 * would drop those rows as late: the query is refused instead.
 */
export const GLOBAL_WATERMARK_CORRECTNESS = "Detected pattern of possible 'correctness' issue due to global watermark. "
  + "The query contains stateful operation which can emit rows older than the current watermark plus allowed late record delay, "
  + "which are \"late rows\" in downstream stateful operations and these rows can be discarded. "
  + "Please refer the programming guide doc for more details.";

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
  if (someNode(join.left, lateRows) || someNode(join.right, lateRows)) fail(GLOBAL_WATERMARK_CORRECTNESS);
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
