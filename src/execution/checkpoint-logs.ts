import { readFileSync } from "node:fs";
import { CheckpointPaths } from "../checkpoint/paths.ts";
import { CommitLog } from "../checkpoint/commit-log.ts";
import { OffsetSeqLog } from "../checkpoint/offset-seq-log.ts";
import { loadOrCreateStreamMetadata, type QueryFingerprint } from "../checkpoint/stream-metadata.ts";
import type { StateStoreProvider } from "../state/state-store.ts";

/** The logs of one checkpoint directory, opened for a query run. */
export interface CheckpointLogs {
  readonly paths: CheckpointPaths;
  readonly queryId: string;
  readonly offsets: OffsetSeqLog;
  readonly commits: CommitLog;
}

/** Opens (or creates) a checkpoint; refuses one written by an incompatible query. */
export async function openCheckpoint(location: string, fingerprint: QueryFingerprint, newId: string): Promise<CheckpointLogs> {
  const paths = new CheckpointPaths(location);
  const metadata = await loadOrCreateStreamMetadata(paths, fingerprint, newId);
  return { paths, queryId: metadata.id, offsets: new OffsetSeqLog(paths.offsets), commits: new CommitLog(paths.commits) };
}

/** The query id stored in a checkpoint, read synchronously so that `start()` can return a query with its id. */
export function checkpointQueryIdSync(location: string): string | null {
  try {
    const json = JSON.parse(readFileSync(new CheckpointPaths(location).metadata, "utf8")) as { id?: unknown };
    return typeof json.id === "string" ? json.id : null;
  } catch {
    return null;
  }
}

/**
 * After batch `batchId` commits: the logs and state versions older than the last `retain`
 * batches are deleted (Spark's minBatchesToRetain), so a restart can still go back that far.
 */
export async function purgeCheckpoint(logs: CheckpointLogs, providers: readonly StateStoreProvider[], retain: number, batchId: number): Promise<void> {
  const threshold = batchId + 1 - retain;
  if (threshold <= 0) return;
  await logs.offsets.purge(threshold);
  await logs.commits.purge(threshold);
  for (const p of providers) await p.purge?.(threshold);
}
