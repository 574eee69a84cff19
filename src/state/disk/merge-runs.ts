import { RunCursor, type RunFile } from "./run-file.ts";

/** The record a merge is at: the cursor positioned on it. */
export interface MergedRecord {
  cursor: RunCursor;
  tombstone: boolean;
}

/**
 * Walks runs (oldest first) in hash1 order, stopping at each key's newest record once
 * (next() returns false after the last); with `dropRemovals`, removals are skipped (no older
 * run is left for them to hide). `cursor` is valid until the next call. A loop a caller
 * drives, not a generator: a merge steps through millions of records.
 */
export class RunMerge implements MergedRecord {
  /** Newest first: within a hash1, the first record of a key wins. */
  readonly #cursors: RunCursor[];
  cursor: RunCursor;
  tombstone = false;
  /** The hash1 being merged, and the cursor to look at next within it. */
  #h1 = -1;
  #at = 0;
  /** The cursor of the record last stopped at, moved on at the next call. */
  #stopped: RunCursor | null = null;
  // Keys already stopped at or skipped for the current hash1 (compared only when a hash1 has several records).
  readonly #seenChunks: Buffer[] = [];
  readonly #seenStarts: number[] = [];
  readonly #seenEnds: number[] = [];
  #seen = 0;

  constructor(runs: readonly RunFile[], readonly dropRemovals: boolean) {
    this.#cursors = runs.map((r) => new RunCursor(r)).reverse();
    this.cursor = this.#cursors[0]!;
  }

  next(): boolean {
    this.#stopped?.next();
    this.#stopped = null;
    const cursors = this.#cursors;
    for (;;) {
      for (; this.#at < cursors.length; this.#at++) {
        const c = cursors[this.#at]!;
        while (!c.done && c.view.h1 === this.#h1) {
          const { keyStart, keyEnd } = c.view;
          if (!this.#wasSeen(c.chunk, keyStart, keyEnd)) {
            this.#see(c.chunk, keyStart, keyEnd);
            const tombstone = c.tombstone;
            if (!(tombstone && this.dropRemovals)) {
              this.cursor = c;
              this.tombstone = tombstone;
              this.#stopped = c;
              return true;
            }
          }
          c.next();
        }
      }
      let min = Infinity;
      for (const c of cursors) if (!c.done && c.view.h1 < min) min = c.view.h1;
      if (min === Infinity) return false;
      this.#h1 = min;
      this.#at = 0;
      this.#seen = 0;
    }
  }

  #wasSeen(chunk: Buffer, start: number, end: number): boolean {
    for (let i = 0; i < this.#seen; i++) {
      if (this.#seenEnds[i]! - this.#seenStarts[i]! === end - start && this.#seenChunks[i]!.compare(chunk, start, end, this.#seenStarts[i]!, this.#seenEnds[i]!) === 0) return true;
    }
    return false;
  }

  #see(chunk: Buffer, start: number, end: number): void {
    const i = this.#seen++;
    this.#seenChunks[i] = chunk;
    this.#seenStarts[i] = start;
    this.#seenEnds[i] = end;
  }
}

/** RunMerge as an iterator (scans). */
export function* mergeRuns(runs: readonly RunFile[], dropRemovals: boolean): IterableIterator<MergedRecord> {
  const merge = new RunMerge(runs, dropRemovals);
  while (merge.next()) yield merge;
}
