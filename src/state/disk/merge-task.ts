import { unlinkQuietly } from "./checkpoint-file-ops.ts";
import { MergeLoop } from "./merge-loop.ts";
import { RunMerge } from "./merge-runs.ts";
import { RunFile } from "./run-file.ts";
import { RunWriter } from "./run-writer.ts";

/** What the merge thread (background-threads.ts, lane "merge") needs to merge runs into a new run file. */
export interface MergeTask {
  /** The input runs' files, oldest first (immutable: the engine keeps reading them meanwhile). */
  readonly inputs: readonly string[];
  readonly dropRemovals: boolean;
  readonly path: string;
  readonly bitsPerKey: number;
  /**
   * Shared with the engine: [state (task-clock.ts's TaskState), bytes written, cancel], the
   * state written last with Atomics; the engine sets cancel to 1 to stop the merge.
   */
  readonly status: Int32Array;
}

/** Status words of a merge task. */
export const MERGE_STATUS_WORDS = 3;
/** Index of the cancel word in MergeTask.status. */
export const CANCEL = 2;
/** Records merged between two looks at the cancel word. */
const CANCEL_EVERY = 4096;

/**
 * Merges the runs of `task` into its path (the same bytes MergeJob writes on the engine's
 * thread: RunMerge into a RunWriter): returns the bytes written, or -1 when the engine
 * cancelled it (the file is then deleted, or never made). Cancel is looked at before the
 * inputs are opened (a merge cancelled while queued costs nothing: the engine does not wait
 * for it), every CANCEL_EVERY records, and before the run is finished. Runs in the merge
 * thread, which opens the input files itself and closes them before it returns.
 */
export function writeMergedRun(task: MergeTask): number {
  const cancelled = (): boolean => Atomics.load(task.status, CANCEL) === 1;
  if (cancelled()) return -1;
  const runs: RunFile[] = [];
  let writer: RunWriter | null = null;
  try {
    for (const path of task.inputs) runs.push(RunFile.open(path, path));
    const loop = new MergeLoop(new RunMerge(runs, task.dropRemovals));
    writer = new RunWriter(task.path, task.bitsPerKey);
    // The records in stretches of CANCEL_EVERY, cancel looked at between them.
    let merged = false;
    while (!merged && !cancelled()) merged = loop.write(writer, Infinity, CANCEL_EVERY);
    if (cancelled()) {
      writer.abandon();
      writer = null;
      unlinkQuietly(task.path);
      return -1;
    }
    const done = writer;
    writer = null;
    done.finish();
    return done.bytes;
  } catch (error) {
    writer?.abandon();
    unlinkQuietly(task.path);
    throw error;
  } finally {
    for (const run of runs) run.close();
  }
}
