import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import type { StatefulOperator } from "../physical/exec-operator.ts";
import { FlatMapGroupsWithStateExec } from "../physical/operators/flat-map-groups-with-state-exec.ts";
import type { PhysicalQuery } from "../physical/planner.ts";
import type { Trigger } from "./trigger.ts";
import type { WatermarkTracker } from "./watermark-tracker.ts";

/** What decides whether a trigger with no new rows still runs a batch. */
export interface NoDataBatchInputs {
  conf: RuntimeConfig;
  trigger: Trigger;
  physical: PhysicalQuery;
  watermark: WatermarkTracker;
  /** The watermark the last batch ran with (micros). */
  batchWatermarkMicros: number;
  idleTimeoutMs: number | null;
  nowMs: number;
}

/**
 * Spark's `spark.sql.streaming.noDataMicroBatches.enabled`: a batch without new rows runs
 * when stateful operators have something to do anyway — the watermark moved past the last
 * batch's (windows to close, state to evict) or processing-time timeouts are due.
 */
export function needsNoDataBatch(inputs: NoDataBatchInputs): boolean {
  const { conf, trigger, physical, watermark } = inputs;
  if (!conf.getBoolean(ConfKeys.noDataMicroBatches)) return false;
  // Processing-time timeouts of [flat]mapGroupsWithState fire on time alone (Spark runs a
  // no-data batch every trigger for them).
  if (trigger.kind === "processingTime" && trigger.intervalMs > 0 && physical.statefulOperators.some(hasProcessingTimeTimeout)) return true;
  if (physical.statefulOperators.length === 0 || physical.watermarks.length === 0) return false;
  // Idle inputs let the watermark move with processing time even when no row arrives.
  if (inputs.idleTimeoutMs !== null) watermark.advance(inputs.nowMs, inputs.idleTimeoutMs);
  return watermark.currentMicros > inputs.batchWatermarkMicros;
}

function hasProcessingTimeTimeout(op: StatefulOperator): boolean {
  return op instanceof FlatMapGroupsWithStateExec && op.node.stateful && op.node.timeout === "ProcessingTimeTimeout";
}
