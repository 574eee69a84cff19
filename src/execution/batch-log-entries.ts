import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import type { CommitMetadata } from "../checkpoint/commit-log.ts";
import { OffsetSeqMetadata } from "../checkpoint/offset-seq-log.ts";
import type { Offset, Source } from "../connectors/source.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import { purgeCheckpoint, type CheckpointLogs } from "./checkpoint-logs.ts";
import type { StateSchemaCheck } from "./state-schema-check.ts";

/** The logs write "no watermark yet" as 0. */
export function finiteOrZero(micros: number): number {
  return Number.isFinite(micros) ? micros : 0;
}

/** What a batch's offsets log entry records besides its end offsets. */
export interface WriteAheadFields {
  readonly watermarkMicros: number;
  readonly timestampMs: number;
  /** Settings fixed by the checkpoint (loggedSettings). */
  readonly conf: Record<string, string>;
  /** Operators' choices a re-run must repeat (recorded-choices.ts). */
  readonly choices: Readonly<Record<string, string>>;
}

/** `offsets/<batchId>`, written before the batch runs (Spark's write-ahead step). */
export async function writeAhead(logs: CheckpointLogs, batchId: number, ends: readonly (Offset | null)[], fields: WriteAheadFields): Promise<void> {
  const metadata = OffsetSeqMetadata.create({
    batchWatermarkUs: finiteOrZero(fields.watermarkMicros), batchTimestampMs: fields.timestampMs, conf: fields.conf, operatorChoices: fields.choices,
  });
  await logs.offsets.addNew(batchId, { offsets: ends, metadata });
}

/** What committing a batch touches. */
export interface CommitTargets {
  readonly logs: CheckpointLogs | null;
  readonly stateSchemas: StateSchemaCheck | null;
  readonly sources: readonly Source[];
  readonly providers: readonly StateStoreProvider[];
  readonly conf: RuntimeConfig;
}

/**
 * Commits batch `batchId` once its sink has it (Spark's commit step): once the batch's state
 * versions are durable (the operators committed them applied only, OperatorState, so the
 * sink ran while their changelogs were fsynced), `commits/<batchId>`, the state schemas the
 * checkpoint lacked, then the sources may forget the batch's input (cleanSource) and the logs
 * and state versions past minBatchesToRetain go. A state version that cannot be made durable
 * fails the commit (and the query) before `commits/<batchId>`: a restart re-runs the batch.
 */
export async function commitBatch(targets: CommitTargets, batchId: number, entry: CommitMetadata, ends: readonly (Offset | null)[]): Promise<void> {
  const { logs, sources } = targets;
  await Promise.all(targets.providers.map((p) => p.durable?.()));
  if (logs) {
    await logs.commits.addNew(batchId, entry);
    await targets.stateSchemas?.recordAfterCommit();
  }
  await Promise.all(sources.map((s, i) => (ends[i] !== null && s.commit ? s.commit(ends[i]!) : undefined)));
  if (logs) await purgeCheckpoint(logs, targets.providers, targets.conf.getNumber(ConfKeys.minBatchesToRetain), batchId);
}
