import type { Offset } from "../connectors/source.ts";
import type { CheckpointLogs } from "./checkpoint-logs.ts";
import { WatermarkTracker } from "./watermark-tracker.ts";

/** A batch to run again with exactly the offsets and watermark its first run logged. */
export interface PendingRerun {
  readonly offsets: (Offset | null)[];
  readonly watermarkMicros: number;
  /** The operators' choices its first run recorded. */
  readonly choices: Readonly<Record<string, string>>;
}

/** Where a query started on an existing checkpoint picks up (Spark's populateStartOffsets). */
export interface ResumePoint {
  readonly nextBatchId: number;
  /** The end offsets of the last committed batch, per source. */
  readonly committed: (Offset | null)[];
  /** The watermark the last committed batch ran with (late rows of the next batch are judged against it). */
  readonly batchWatermarkMicros: number;
  readonly watermark: WatermarkTracker;
  /** The last logged batch when it has no commit: it re-runs first. */
  readonly rerun: PendingRerun | null;
}

const watermarkAfter = (us: number | undefined): number => (us === undefined || us <= 0 ? -Infinity : us);

/**
 * Reads the offset and commit logs: after a committed batch the query goes on with the next
 * one; a batch with offsets but no commit runs again with the same offsets, watermark and
 * state version. Null for a checkpoint with no batch yet.
 */
export async function resumePoint(logs: CheckpointLogs, sourceCount: number, policy: WatermarkTracker["policy"]): Promise<ResumePoint | null> {
  const latest = await logs.offsets.getLatest();
  if (latest === null) return null;
  const commit = await logs.commits.getLatest();
  if (commit !== null && commit.batchId === latest.batchId) {
    return {
      nextBatchId: latest.batchId + 1,
      committed: [...latest.entry.offsets],
      batchWatermarkMicros: watermarkAfter(latest.entry.metadata.batchWatermarkUs),
      watermark: new WatermarkTracker(policy, watermarkAfter(commit.entry.nextBatchWatermarkUs), commit.entry.operatorWatermarksUs),
      rerun: null,
    };
  }
  const previous = latest.batchId > 0 ? await logs.offsets.get(latest.batchId - 1) : null;
  const watermarkMicros = watermarkAfter(latest.entry.metadata.batchWatermarkUs);
  // Each input's watermark as the batch before left it: the re-run batch's rows advance them as the first run's did.
  const before = commit !== null && commit.batchId === latest.batchId - 1 ? commit.entry.operatorWatermarksUs : undefined;
  return {
    nextBatchId: latest.batchId,
    committed: previous ? [...previous.offsets] : Array.from({ length: sourceCount }, () => null),
    batchWatermarkMicros: watermarkAfter(previous?.metadata.batchWatermarkUs),
    watermark: new WatermarkTracker(policy, watermarkMicros, before),
    rerun: { offsets: [...latest.entry.offsets], watermarkMicros, choices: latest.entry.metadata.operatorChoices ?? {} },
  };
}
