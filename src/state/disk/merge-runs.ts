import { InternalError } from "../../common/errors.ts";
import { RunCursor, type RunFile } from "./run-file.ts";

/** The record a merge is at: the cursor positioned on it. */
export interface MergedRecord {
  cursor: RunCursor;
  tombstone: boolean;
}

/** Cursors a merge can order (a heap key is hash1 · CURSOR_SPAN + the cursor's index). */
const CURSOR_SPAN = 1 << 16;

/**
 * Walks runs (oldest first) in hash1 order, stopping at each key's newest record once
 * (next() returns false after the last); with `dropRemovals`, removals are skipped (no older
 * run is left for them to hide). `cursor` is valid until the next call. A loop a caller
 * drives, not a generator: a merge steps through millions of records.
 *
 * The cursors not done are kept in a binary heap ordered by their record's hash1, then newest
 * run first, so that a record costs about log2(runs) comparisons instead of a scan of every
 * cursor (merges are MERGE_WIDTH = 8 runs wide, compaction-policy.ts; a scan reads them all).
 */
export class RunMerge implements MergedRecord {
  /** Newest first: within a hash1, the first record of a key wins. */
  readonly #cursors: RunCursor[];
  cursor: RunCursor;
  tombstone = false;
  /** Indexes of the cursors not done, a heap on #keyOf (the top is the record to look at next). */
  readonly #heap: Int32Array;
  #size = 0;
  /** Per cursor: its record's hash1 · CURSOR_SPAN + its index (newest first among equal hash1s). */
  readonly #keyOf: Float64Array;
  /** The hash1 being merged (-1 before the first). */
  #h1 = -1;
  /** Whether the top cursor's record was returned last, to be moved on at the next call. */
  #stopped = false;
  // Keys already stopped at or skipped for the current hash1 (compared only when a hash1 has several records).
  readonly #seenChunks: Buffer[] = [];
  readonly #seenStarts: number[] = [];
  readonly #seenEnds: number[] = [];
  #seen = 0;

  constructor(runs: readonly RunFile[], readonly dropRemovals: boolean) {
    if (runs.length > CURSOR_SPAN) throw new InternalError(`cannot merge ${runs.length} runs at once`);
    this.#cursors = runs.map((r) => new RunCursor(r)).reverse();
    this.cursor = this.#cursors[0]!;
    this.#heap = new Int32Array(runs.length);
    this.#keyOf = new Float64Array(runs.length);
    const live: number[] = [];
    this.#cursors.forEach((c, i) => {
      if (c.done) return;
      this.#keyOf[i] = c.view.h1 * CURSOR_SPAN + i;
      live.push(i);
    });
    // Sorted is a heap.
    live.sort((a, b) => this.#keyOf[a]! - this.#keyOf[b]!);
    this.#heap.set(live);
    this.#size = live.length;
  }

  next(): boolean {
    if (this.#stopped) {
      this.#stopped = false;
      this.#advanceTop();
    }
    const cursors = this.#cursors;
    while (this.#size > 0) {
      const c = cursors[this.#heap[0]!]!;
      const { h1, keyStart, keyEnd } = c.view;
      if (h1 !== this.#h1) {
        this.#h1 = h1;
        this.#seen = 0;
      }
      if (!this.#wasSeen(c.chunk, keyStart, keyEnd)) {
        this.#see(c.chunk, keyStart, keyEnd);
        const tombstone = c.tombstone;
        if (!(tombstone && this.dropRemovals)) {
          this.cursor = c;
          this.tombstone = tombstone;
          this.#stopped = true;
          return true;
        }
      }
      this.#advanceTop();
    }
    return false;
  }

  /** Moves the top cursor on and restores the heap (dropping the cursor when it is done). */
  #advanceTop(): void {
    const heap = this.#heap;
    const keyOf = this.#keyOf;
    const ci = heap[0]!;
    const c = this.#cursors[ci]!;
    c.next();
    if (c.done) {
      heap[0] = heap[--this.#size]!;
      if (this.#size === 0) return;
    } else {
      keyOf[ci] = c.view.h1 * CURSOR_SPAN + ci;
    }
    // Sift the top down.
    const n = this.#size;
    const top = heap[0]!;
    const key = keyOf[top]!;
    let i = 0;
    for (;;) {
      let j = 2 * i + 1;
      if (j >= n) break;
      if (j + 1 < n && keyOf[heap[j + 1]!]! < keyOf[heap[j]!]!) j++;
      if (keyOf[heap[j]!]! >= key) break;
      heap[i] = heap[j]!;
      i = j;
    }
    heap[i] = top;
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
