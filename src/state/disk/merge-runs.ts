import { RunCursor, type RunFile } from "./run-file.ts";

/** The record a merge is at: the cursor positioned on it. */
export interface MergedRecord {
  cursor: RunCursor;
  tombstone: boolean;
}

/**
 * Walks runs (oldest first) in hash1 order, yielding each key's newest record once; with
 * `dropRemovals`, removals are skipped (no older run is left for them to hide). The
 * yielded cursor is valid until the next step.
 */
export function* mergeRuns(runs: readonly RunFile[], dropRemovals: boolean): IterableIterator<MergedRecord> {
  // Newest first: within a hash1, the first record of a key wins.
  const cursors = runs.map((r) => new RunCursor(r)).reverse();
  // Keys already yielded for the current hash1 (only looked at when a hash1 has several records).
  const seenChunks: Buffer[] = [];
  const seenStarts: number[] = [];
  const seenEnds: number[] = [];
  const out: MergedRecord = { cursor: cursors[0]!, tombstone: false };
  for (;;) {
    let min = Infinity;
    for (const c of cursors) if (!c.done && c.view.h1 < min) min = c.view.h1;
    if (min === Infinity) return;
    seenChunks.length = 0;
    seenStarts.length = 0;
    seenEnds.length = 0;
    for (const c of cursors) {
      while (!c.done && c.view.h1 === min) {
        const { keyStart, keyEnd } = c.view;
        let seen = false;
        for (let i = 0; i < seenChunks.length && !seen; i++) {
          seen = seenEnds[i]! - seenStarts[i]! === keyEnd - keyStart && seenChunks[i]!.compare(c.chunk, keyStart, keyEnd, seenStarts[i]!, seenEnds[i]!) === 0;
        }
        if (!seen) {
          seenChunks.push(c.chunk);
          seenStarts.push(keyStart);
          seenEnds.push(keyEnd);
          const tombstone = c.tombstone;
          if (!(tombstone && dropRemovals)) {
            out.cursor = c;
            out.tombstone = tombstone;
            yield out;
          }
        }
        c.next();
      }
    }
  }
}
