import { unlinkQuietly } from "./checkpoint-file-ops.ts";
import { MergeLoop } from "./merge-loop.ts";
import { RunMerge } from "./merge-runs.ts";
import type { RunFile } from "./run-file.ts";
import { RunWriter } from "./run-writer.ts";
import { ThreadedMerge } from "./threaded-merge.ts";

/** A run file a merge writes: its path and name (RunStack.newRunFile). */
export type NewRunFile = () => [path: string, name: string];

/** What a merge does beyond writing its run: split it, and hand its keys on. */
export interface MergeOptions {
  /**
   * Past this many bytes, the merge starts another run at the next hash1 (a rewrite of all the
   * runs: its runs hold disjoint hash ranges, so that none passes the ceiling of one merge).
   */
  readonly pieceBytes?: number;
  /** Called with each record's hashes as it is written (the filter of the runs' keys being rebuilt). */
  readonly onKey?: (h1: number, h2: number) => void;
}

/**
 * One merge of adjacent runs into a new run file (or several, `pieceBytes`), done in steps
 * (RocksDB runs compactions in background threads; here a commit does a step of a size
 * proportional to its own changes, so that no batch waits for a whole merge). The input runs
 * stay in the engine, read by lookups as before, until the merge is done and its runs take
 * their place at a commit; runs are immutable, so the merge reads them while later runs are flushed.
 */
export class MergeJob {
  // Null when the merge thread does the merge.
  readonly #loop: MergeLoop | null = null;
  #writer: RunWriter | null = null;
  /** A large plain merge done by the merge thread instead (threaded-merge.ts), or null. */
  readonly #threaded: ThreadedMerge | null;
  /** The runs written, the last one being written: path and name. */
  readonly outputs: Array<{ path: string; name: string }> = [];
  /** Bytes of the runs finished before the one being written. */
  #finishedBytes = 0;
  #done = false;

  /** `bitsPerKey`: of the new runs' filters (bloom-filter.ts). */
  constructor(
    readonly inputs: readonly RunFile[], dropRemovals: boolean, readonly newRunFile: NewRunFile, readonly bitsPerKey: number,
    readonly options: MergeOptions = {},
  ) {
    const [path, name] = newRunFile();
    this.outputs.push({ path, name });
    // A rewrite (split into pieces, its keys handed on) stays on this thread; a plain merge may go to the merge thread.
    const plain = options.pieceBytes === undefined && options.onKey === undefined;
    this.#threaded = plain ? ThreadedMerge.start(inputs, dropRemovals, path, bitsPerKey) : null;
    if (this.#threaded !== null) return;
    this.#loop = new MergeLoop(new RunMerge(inputs, dropRemovals), options.onKey ?? null);
    this.#writer = new RunWriter(path, bitsPerKey);
  }

  get inputBytes(): number {
    return this.inputs.reduce((n, r) => n + r.fileBytes, 0);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#threaded?.bytes ?? this.#finishedBytes + this.#writer!.bytes;
  }

  /** Writes records until about `budgetBytes` more are written or the merge ends: true when it has ended. */
  step(budgetBytes: number): boolean {
    if (this.#threaded !== null) return this.#threaded.step(budgetBytes);
    if (this.#done) return true;
    const limit = this.bytes + budgetBytes;
    const pieceBytes = this.options.pieceBytes ?? Infinity;
    const loop = this.#loop!;
    for (;;) {
      const writer = this.#writer!;
      const untilBytes = Math.min(pieceBytes, limit - this.#finishedBytes);
      if (loop.write(writer, untilBytes)) {
        writer.finish();
        this.#done = true;
        return true;
      }
      if (writer.bytes < pieceBytes) return false;
      // The piece is full (a rewrite's): the next records go to a new run.
      writer.finish();
      this.#finishedBytes += writer.bytes;
      this.#writer = this.#open();
      if (this.#finishedBytes >= limit) return false;
    }
  }

  /** Stops the merge and deletes its output. */
  abandon(): void {
    if (this.#threaded !== null) return this.#threaded.abandon();
    if (this.#done) return;
    this.#done = true;
    this.#writer!.abandon();
    for (const { path } of this.outputs) unlinkQuietly(path);
  }

  #open(): RunWriter {
    const [path, name] = this.newRunFile();
    this.outputs.push({ path, name });
    return new RunWriter(path, this.bitsPerKey);
  }
}
