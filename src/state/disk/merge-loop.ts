import type { RunMerge } from "./merge-runs.ts";
import type { RunWriter } from "./run-writer.ts";

/**
 * The loop that writes a merge's records (RunMerge) into run files, a stretch at a time: the
 * one MergeJob steps on the engine's thread and writeMergedRun (merge-task.ts) runs on the merge
 * thread, so that both write the same bytes. A stretch ends between two hash1s only, never
 * inside one (a key's records never straddle two runs of a rewrite split into pieces); the
 * record the merge is at when a stretch ends is written first by the next one.
 */
export class MergeLoop {
  /** Whether the merge is at a record not written yet (it stopped there at the end of the last stretch). */
  #pending = false;
  /** The hash1 of the last record written (-1 before the first). */
  #lastH1 = -1;

  /** `onKey`: called with each record's hashes as it is written (a rewrite's filter being rebuilt). */
  constructor(readonly merge: RunMerge, readonly onKey: ((h1: number, h2: number) => void) | null = null) {}

  /**
   * Writes records into `writer` until it holds `untilBytes` (then at the next new hash1) or
   * `maxRecords` are written: true when the merge has no record left (the writer is not finished).
   */
  write(writer: RunWriter, untilBytes: number, maxRecords = Infinity): boolean {
    const merge = this.merge;
    const onKey = this.onKey;
    for (let n = 0; n < maxRecords; n++) {
      if (!this.#pending) {
        if (!merge.next()) return true;
        this.#pending = true;
      }
      const { cursor, tombstone } = merge;
      const { h1, h2 } = cursor.view;
      if (writer.bytes >= untilBytes && h1 !== this.#lastH1) return false;
      writer.addRecord(h1, h2, tombstone, cursor.chunk, cursor.chunkView, cursor.start, cursor.view.end);
      this.#pending = false;
      this.#lastH1 = h1;
      if (onKey !== null) onKey(h1, h2);
    }
    return false;
  }
}
