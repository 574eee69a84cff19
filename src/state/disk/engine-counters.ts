/** Counters for progress (Spark's RocksDB metric names where they exist). */
export interface EngineCounters {
  flushes: number;
  flushMs: number;
  compactions: number;
  compactionMs: number;
  bytesWrittenByFlush: number;
  bytesWrittenByCompaction: number;
  bytesReadByCompaction: number;
  /** The largest run a merge has written (bounded by maxRunBytes). */
  largestMergeBytes: number;
  /** The most a single compaction step (one commit's share) has written. */
  largestStepBytes: number;
  /** Steps that had to finish a merge because mergeable runs piled up (STALL_RUNS). */
  compactionStalls: number;
}

/** Counters at zero, for a new engine. */
export function newEngineCounters(): EngineCounters {
  return {
    flushes: 0, flushMs: 0, compactions: 0, compactionMs: 0, bytesWrittenByFlush: 0, bytesWrittenByCompaction: 0, bytesReadByCompaction: 0,
    largestMergeBytes: 0, largestStepBytes: 0, compactionStalls: 0,
  };
}
