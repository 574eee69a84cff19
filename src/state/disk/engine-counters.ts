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
