import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { BatchContext } from "../exec-operator.ts";
import { evictSide } from "./evict-side.ts";
import type { JoinBatchState, JoinPlan } from "./join-plan.ts";
import { stateThreshold } from "./join-spec.ts";
import { storeAndJoin } from "./store-and-join.ts";

/**
 * One batch of a stream–stream join on its buffered rows: the left side's new rows joined
 * with the right's state and buffered, then the right's joined with the left's (so a pair
 * meets exactly once), then each side's eviction at its state threshold for this batch's
 * watermark.
 */
export function joinBatch(ctx: BatchContext, plan: JoinPlan, state: JoinBatchState, left: ColumnBatch, right: ColumnBatch): void {
  const watermark = ctx.watermarkMicros;
  const leftThreshold = stateThreshold(plan.spec, "left", watermark);
  const rightThreshold = stateThreshold(plan.spec, "right", watermark);
  storeAndJoin(ctx, plan, state, "left", left, leftThreshold);
  storeAndJoin(ctx, plan, state, "right", right, rightThreshold);
  evictSide(plan, state, "left", leftThreshold);
  evictSide(plan, state, "right", rightThreshold);
}
