import { unlinkSync } from "node:fs";
import { RunMerge } from "./merge-runs.ts";
import type { RunFile } from "./run-file.ts";
import { RunWriter } from "./run-writer.ts";
import { ThreadedMerge } from "./threaded-merge.ts";

/**
 * One merge of adjacent runs into a new run file, done in steps (RocksDB runs compactions
 * in background threads; here a commit does a step of a size proportional to its own
 * changes, so that no batch waits for a whole merge). The input runs stay in the engine,
 * read by lookups as before, until the merge is done and its run takes their place at a
 * commit; runs are immutable, so the merge reads them while later runs are flushed.
 */
export class MergeJob {
  // Null when the merge thread does the merge.
  readonly #merge: RunMerge | null = null;
  readonly #writer: RunWriter | null = null;
  #done = false;
  /** A large merge done by the merge thread instead (threaded-merge.ts), or null. */
  readonly #threaded: ThreadedMerge | null;

  /** `bitsPerKey`: of the new run's filters (bloom-filter.ts). */
  constructor(readonly inputs: readonly RunFile[], dropRemovals: boolean, readonly path: string, readonly name: string, bitsPerKey: number) {
    this.#threaded = ThreadedMerge.start(inputs, dropRemovals, path, bitsPerKey);
    if (this.#threaded !== null) return;
    this.#merge = new RunMerge(inputs, dropRemovals);
    this.#writer = new RunWriter(path, bitsPerKey);
  }

  get inputBytes(): number {
    return this.inputs.reduce((n, r) => n + r.fileBytes, 0);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#threaded?.bytes ?? this.#writer!.bytes;
  }

  /** Writes records until about `budgetBytes` more are written or the merge ends: true when it has ended. */
  step(budgetBytes: number): boolean {
    if (this.#threaded !== null) return this.#threaded.step(budgetBytes);
    if (this.#done) return true;
    const writer = this.#writer!;
    const limit = writer.bytes + budgetBytes;
    const merge = this.#merge!;
    while (writer.bytes < limit) {
      if (!merge.next()) {
        writer.finish();
        this.#done = true;
        return true;
      }
      const { cursor, tombstone } = merge;
      writer.addRecord(cursor.view.h1, cursor.view.h2, tombstone, cursor.chunk, cursor.chunkView, cursor.start, cursor.view.end);
    }
    return false;
  }

  /** Stops the merge and deletes its output. */
  abandon(): void {
    if (this.#threaded !== null) return this.#threaded.abandon();
    if (this.#done) return;
    this.#done = true;
    this.#writer!.abandon();
    try {
      unlinkSync(this.path);
    } catch {
      // Its directory is being dropped.
    }
  }
}
