import { unlinkQuietly } from "./checkpoint-file-ops.ts";
import { ThreadTask, mergeThreadStarted } from "./background-threads.ts";
import { CANCEL, MERGE_STATUS_WORDS } from "./merge-task.ts";
import type { RunFile } from "./run-file.ts";

/**
 * Merges of at least this many input bytes go to the merge thread when it is up (set by
 * tests): at the default budget a merge is eight flushed runs of ~19 MiB, ~150 MiB, which
 * the engine's thread would otherwise write in commit-paced steps of a few MiB (~5–7% of
 * its time at 4M dropDuplicates keys). Small merges (small budgets: tests, tiny states)
 * stay on the engine's thread, stepped as before.
 */
let minThreadedBytes = 64 * 1024 * 1024;

/** Merges sent to the merge thread in this process (tests, metrics). */
export let threadedMerges = 0;

/** Sets the input size from which merges go to the merge thread (tests); returns the previous one. */
export function setThreadedMergeMinBytes(bytes: number): number {
  const previous = minThreadedBytes;
  minThreadedBytes = bytes;
  return previous;
}

/**
 * A merge of runs done by the merge thread (merge-task.ts) instead of in steps on the
 * engine's thread (MergeJob's own loop, which it stands in for): the same run file bytes;
 * the input runs stay in the engine, read by lookups, until the engine takes the merged run
 * in. The engine never awaits the thread: `step` asks the shared status word and says the
 * merge is done once the thread has finished it; only a step with an infinite budget (the
 * merging fell behind: a write stall) blocks until then.
 */
export class ThreadedMerge {
  readonly #task: ThreadTask;
  readonly #path: string;
  #bytes = 0;
  #done = false;

  private constructor(inputs: readonly RunFile[], dropRemovals: boolean, path: string, bitsPerKey: number) {
    this.#path = path;
    threadedMerges++;
    this.#task = new ThreadTask({ lane: "merge", task: { inputs: inputs.map((r) => r.path), dropRemovals, path, bitsPerKey } }, MERGE_STATUS_WORDS);
  }

  /** A threaded merge of `inputs` into `path`, or null where the engine's thread should do it (small, or no merge thread up). */
  static start(inputs: readonly RunFile[], dropRemovals: boolean, path: string, bitsPerKey: number): ThreadedMerge | null {
    const bytes = inputs.reduce((n, r) => n + r.fileBytes, 0);
    if (bytes < minThreadedBytes || !mergeThreadStarted()) return null;
    return new ThreadedMerge(inputs, dropRemovals, path, bitsPerKey);
  }

  /** Bytes of the merged run: 0 until it is done. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when the merged run is written: at once if the thread is done; with an infinite budget after waiting for it; else false. */
  step(budgetBytes: number): boolean {
    if (this.#done) return true;
    if (!this.#task.done && budgetBytes !== Infinity) return false;
    this.#bytes = this.#task.wait();
    this.#done = true;
    return true;
  }

  /**
   * Stops the merge and deletes its output. A merge the thread has not begun is left at once
   * (the thread sees cancel before it opens anything: the cancel word is stored before the
   * state is read, the state before the cancel word in the thread); one it is running is
   * waited for, which stops within CANCEL_EVERY records.
   */
  abandon(): void {
    if (this.#done) return;
    this.#done = true;
    Atomics.store(this.#task.status, CANCEL, 1);
    if (this.#task.queued) return;
    try {
      this.#task.wait();
    } catch {
      // The merge failed: nothing of it is used.
    }
    unlinkQuietly(this.#path); // when cancelled, the thread deleted it already
  }
}
