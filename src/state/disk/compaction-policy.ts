import { BITS_PER_KEY, SMALL_RUN_BITS_PER_KEY } from "./bloom-filter.ts";

/**
 * Runs merged at once. Eight, not four: a key absent from the state asks the filter of all
 * the runs' keys (runs-key-filter.ts), not each run, so more runs cost a new key nothing, and
 * a wider merge rewrites each record fewer times (a run of a flushed memtable, ~19 MiB at the
 * default budget, is merged once into a final run of ~150 MiB, where four at a time merged it
 * twice: into ~76, then ~300 MiB). A key that is present pays one more run filter probe per
 * newer run it is not in.
 */
export const MERGE_WIDTH = 8;
/**
 * Mergeable runs past which merging stops being paced and finishes before the commit returns
 * (a write stall): with the final runs, it bounds how many runs a present key may ask.
 */
export const STALL_RUNS = 2 * MERGE_WIDTH;

/**
 * Which runs to merge next (size-tiered with a ceiling), from the runs' sizes oldest first:
 * the newest MERGE_WIDTH runs once they are within a factor of MERGE_WIDTH in size (or once
 * uneven runs pile up), never a run over maxRunBytes / MERGE_WIDTH, so that no merge writes
 * more than maxRunBytes however large the state grows: runs past that size are final, and
 * a large state is a series of them (each with its own partitioned filter) instead of one
 * run that every few flushes rewrites whole. Returns [from, to) or null.
 */
export function pickMerge(sizes: readonly number[], maxRunBytes: number): [number, number] | null {
  const from = mergeableFrom(sizes, maxRunBytes);
  const n = sizes.length;
  if (n - from < MERGE_WIDTH) return null;
  let min = Infinity;
  let max = 0;
  for (let i = n - MERGE_WIDTH; i < n; i++) {
    min = Math.min(min, sizes[i]!);
    max = Math.max(max, sizes[i]!);
  }
  // Runs of uneven sizes (small ones from snapshots of a small memtable) are merged too once there are many.
  if (max > MERGE_WIDTH * min && n - from < STALL_RUNS) return null;
  return [n - MERGE_WIDTH, n];
}

/** Where the runs that may still be merged begin: after the newest final run. */
export function mergeableFrom(sizes: readonly number[], maxRunBytes: number): number {
  const limit = maxRunBytes / MERGE_WIDTH;
  let from = sizes.length;
  while (from > 0 && sizes[from - 1]! <= limit) from--;
  return from;
}

/**
 * Bits per key of the filters of a merge's run, from its inputs' bytes: the largest runs
 * (merges of over half of maxRunBytes, which hold most keys of a big state) get BITS_PER_KEY,
 * so that their filters stay within the block cache; the others, like flushed runs, more.
 */
export function mergedRunBitsPerKey(inputBytes: number, maxRunBytes: number): number {
  return inputBytes > maxRunBytes / 2 ? BITS_PER_KEY : SMALL_RUN_BITS_PER_KEY;
}

/**
 * The share of the runs' records that are dead (removed keys' records, removals, older versions
 * of updated keys) past which all the runs are rewritten into runs of the live records only.
 * Size-tiered merging never merges a final run again, so without this a state that stays flat
 * while its keys churn (a join's buffered rows, evicted as new ones come) grows its run files
 * without end: each final run's removed keys and the removals in newer runs never meet. At two
 * thirds, the run files hold at most about three times the live records, and a rewrite writes
 * about half as many records as were added since the last one (RocksDB's universal compaction
 * bounds space amplification the same way). At a half, rewrites cost more than they saved on the
 * join benchmark (benchmarks/RESULTS.md, branch compact18).
 */
export const REWRITE_DEAD_SHARE = 2 / 3;
/** Bytes of one run a rewrite writes, at most, as a share of maxRunBytes (a rewrite writes several runs of disjoint hash ranges). */
export const REWRITE_PIECE_SHARE = 0.5;

/** What a rewrite decision needs of each run, oldest first. */
export interface RunCounts {
  readonly fileBytes: number;
  readonly numEntries: number;
  readonly numTombstones: number;
}

/**
 * Whether all the runs are due to be rewritten (merged from the oldest, removals dropped),
 * judged by their dead records: the records beyond the state's `liveKeys` (a key's newest put
 * is live; its older records and every removal are dead). Not before the runs are at least a
 * final run's worth (below that, size-tiered merges reach the oldest run often enough), nor
 * with fewer than two runs (one run from the oldest holds no removal or older version).
 */
export function rewriteDue(runs: readonly RunCounts[], liveKeys: number, maxRunBytes: number): boolean {
  if (runs.length < 2 || liveKeys < 0) return false;
  let bytes = 0;
  let entries = 0;
  for (const r of runs) {
    bytes += r.fileBytes;
    entries += r.numEntries;
  }
  if (bytes <= maxRunBytes / MERGE_WIDTH) return false;
  return entries - liveKeys >= REWRITE_DEAD_SHARE * entries;
}
