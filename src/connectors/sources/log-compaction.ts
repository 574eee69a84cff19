import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Spark's CompactibleFileStreamLog arithmetic, shared by the file source log and the file
 * sink log: which entries are compactions, which interval a log already compacted keeps,
 * and which entry files a compaction lets go.
 */

/** Every interval-th entry (ids interval−1, 2·interval−1, …) is a compaction. */
export function isCompaction(batchId: number, interval: number): boolean {
  return (batchId + 1) % interval === 0;
}

/**
 * The interval of a log whose latest compaction is `latestCompact` (Spark's
 * deriveCompactInterval): a log keeps compacting where it did, so when the configured
 * interval does not fit it, the nearest interval at or above it that does (the
 * compaction's own id + 1 when nothing smaller fits).
 */
export function compactIntervalOf(configured: number, latestCompact: number): number {
  const n = latestCompact + 1;
  if (n <= configured) return n;
  const half = Math.floor(n / 2);
  if (configured < half) {
    for (let i = configured; i <= half; i++) if (n % i === 0) return i;
  }
  return n;
}

/**
 * The interval a log compacts with given its compaction files (Spark's
 * CompactibleFileStreamLog.compactInterval): none, the configured one; two or more, the
 * distance between the latest two; one, compactIntervalOf.
 */
export function logCompactInterval(configured: number, compactIds: readonly number[]): number {
  const ids = [...compactIds].sort((a, b) => b - a);
  if (ids.length >= 2) return ids[0]! - ids[1]!;
  if (ids.length === 1) return compactIntervalOf(configured, ids[0]!);
  return configured;
}

/**
 * Entry files with an id below this may be deleted once compaction `batchId` is written
 * (Spark's deleteExpiredLog): the compaction that still leaves minBatchesToRetain entries
 * after it; -1 (nothing) while the log is shorter than that.
 */
export function firstEntryToKeep(batchId: number, interval: number, minBatchesToRetain: number): number {
  const minBatch = batchId + 1 - minBatchesToRetain;
  if (interval > minBatch) return -1;
  return minBatch - (minBatch % interval) - 1;
}

/** When a compaction lets a log delete the entry files it holds (Spark's `…log.deletion`, `…log.cleanupDelay`, minBatchesToRetain). */
export interface LogCleanup {
  readonly deleteExpired: boolean;
  readonly cleanupDelayMs: number;
  readonly minBatchesToRetain: number;
}

export const DEFAULT_LOG_CLEANUP: LogCleanup = { deleteExpired: true, cleanupDelayMs: 10 * 60_000, minBatchesToRetain: 100 };

/**
 * Spark's deleteExpiredLog, after compaction `compactIndex` is written: the entry files
 * (compactions too) before the compaction that leaves minBatchesToRetain entries after
 * it, once older than cleanupDelay, so that a reader that listed the log just before has
 * had that long to read them.
 */
export async function deleteExpiredEntries(dir: string, compactIndex: number, interval: number, cleanup: LogCleanup): Promise<void> {
  if (!cleanup.deleteExpired) return;
  const keepFrom = firstEntryToKeep(compactIndex, interval, cleanup.minBatchesToRetain);
  if (keepFrom < 0) return;
  const expiredAt = Date.now() - cleanup.cleanupDelayMs;
  for (const name of await readdir(dir)) {
    const m = /^(\d+)(\.compact)?$/.exec(name);
    if (m === null || Number(m[1]) >= keepFrom) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info !== null && info.mtimeMs <= expiredAt) await rm(path, { force: true });
  }
}
