/**
 * How much of the engine's background work (writing a sealed memtable out, merging runs) a
 * commit of the disk provider does: a share proportional to what it changed, so that the
 * work keeps up with the commits without any one commit paying for all of it.
 */

/**
 * Bytes of merging a commit does per byte it changed: merging keeps up with the flushes when
 * this exceeds the write amplification of size-tiered merging up to maxRunBytes (about
 * log8(maxRunBytes / memtable) rewrites of each record, compaction-policy.ts MERGE_WIDTH).
 */
const COMPACTION_BYTES_PER_CHANGED_BYTE = 4;
/**
 * Bytes of a sealed memtable a commit writes out per byte it changed: the sealed one is out
 * before the memtable taking the versions fills (which takes about a memtable of changes).
 */
const FLUSH_BYTES_PER_CHANGED_BYTE = 2;
/** The least a commit merges or flushes (a tiny commit still moves the work on). */
const MIN_STEP_BYTES = 256 * 1024;

/** The merging budget of a commit that changed `changedBytes` (its changelog's size). */
export function compactionStep(changedBytes: number): number {
  return Math.max(MIN_STEP_BYTES, COMPACTION_BYTES_PER_CHANGED_BYTE * changedBytes);
}

/** The flushing budget of a commit that changed `changedBytes`. */
export function flushStep(changedBytes: number): number {
  return Math.max(MIN_STEP_BYTES, FLUSH_BYTES_PER_CHANGED_BYTE * changedBytes);
}
