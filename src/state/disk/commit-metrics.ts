import type { EngineCounters } from "./engine-counters.ts";
import type { RunEngine } from "./run-engine.ts";

/** When each part of a disk provider's commit ended (performance.now()), from its start `t0`. */
export interface CommitTimes {
  readonly t0: number;
  /** The version's records encoded as its changelog. */
  readonly t1: number;
  /** The records applied to the working copy (and its flushing and merging paced). */
  readonly t2: number;
  /** The changelog durable, when the commit waited for it. */
  readonly t3: number;
  /** A manifest's upload started, if one was due. */
  readonly t4: number;
  /** When the changelog's write and fsync ended (0: not yet). */
  readonly writtenAt: number;
}

/**
 * A commit's custom metrics for progress (Spark's RocksDB state store names where there is
 * one): its phases' times, the flushing and merging it paid for (the engine's counters since
 * `before`) or that ran in idle time, the files uploaded for a manifest, and the sizes.
 */
export function commitMetrics(
  times: CommitTimes, engine: RunEngine, before: EngineCounters, idle: { waiting: number; between: number },
  uploaded: { files: number; bytes: number }, changelogBytes: number,
): Record<string, number> {
  const c = engine.counters;
  return {
    rocksdbCommitPauseLatency: Math.round(times.t1 - times.t0),
    // The changelog's write and fsync, which overlap the write batch's apply (so the two may sum past the commit's time);
    // 0 while a commit in memory's write is still going (the provider sets it when the write ends).
    rocksdbCommitFileSyncLatencyMs: times.writtenAt === 0 ? 0 : Math.round(times.writtenAt - times.t1),
    rocksdbCommitWriteBatchLatency: Math.round(times.t2 - times.t1),
    rocksdbCommitFlushLatency: Math.round(c.flushMs - before.flushMs),
    rocksdbCommitCompactLatency: Math.round(c.compactionMs - before.compactionMs),
    rocksdbCommitCheckpointLatency: Math.round(times.t4 - times.t3),
    // Flushing and merging done in idle time (background-work.ts): while the changelog was written, and since the last commit.
    stateWorkWhileSyncingMs: Math.round(idle.waiting * 1000) / 1000,
    stateWorkBetweenCommitsMs: Math.round(idle.between * 1000) / 1000,
    // Merging's bytes since the last commit's metrics, wherever it ran (a commit's share, idle time, the merge thread):
    // counted from `before` they missed every merge finished between commits. rocksdbCommitCompactLatency above is the
    // commit's own share only, so a commit may report bytes with 0 ms (the work ran in idle time or on the merge thread).
    ...compactionBytes(engine),
    rocksdbFilesCopied: uploaded.files,
    rocksdbBytesCopied: uploaded.bytes,
    rocksdbSstFileSize: engine.diskBytes,
    stateChangelogBytes: changelogBytes,
    stateMemoryUsedBytes: engine.memoryBytes,
    // Keys the filter of the runs' keys answered "maybe" (sent on to the runs' own filters) since the last commit
    // (runs-key-filter.ts): the keys asked that the runs hold, and its false positives. A micro-batch that moves the
    // watermark is followed by a no-data batch whose commit reports only its own lookups: sum a trigger's progresses.
    stateKeyFilterMaybe: engine.takeKeyFilterMaybe(),
    // Rewrites of the runs (run-stack.ts) finished since the last commit, like the counts above; 1 while one is in progress.
    stateRunRewrites: engine.takeRewrites(),
    stateRunRewriting: engine.rewriting ? 1 : 0,
    stateRunFiles: engine.runs.length,
  };
}

/** The engine's bytes written and read by merging since the last call. */
function compactionBytes(engine: RunEngine): { rocksdbTotalBytesWrittenByCompaction: number; rocksdbTotalBytesReadByCompaction: number } {
  const c = engine.counters;
  const last = reported.get(engine) ?? { written: 0, read: 0 };
  reported.set(engine, { written: c.bytesWrittenByCompaction, read: c.bytesReadByCompaction });
  return { rocksdbTotalBytesWrittenByCompaction: c.bytesWrittenByCompaction - last.written, rocksdbTotalBytesReadByCompaction: c.bytesReadByCompaction - last.read };
}

/** Per engine, its merging's bytes at its last commit's metrics. */
const reported = new WeakMap<RunEngine, { written: number; read: number }>();
