import { randomUUID } from "node:crypto";
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import type { BlockCache } from "./block-cache.ts";
import { mergeableFrom, mergedRunBitsPerKey, pickMerge, STALL_RUNS } from "./compaction-policy.ts";
import type { EngineCounters } from "./engine-counters.ts";
import type { KeyFilterBacklog } from "./key-filter-backlog.ts";
import { MergeJob } from "./merge-job.ts";
import { RunFile } from "./run-file.ts";

/**
 * The engine's run files, oldest first, and their merging: runs of about equal size are merged
 * MERGE_WIDTH at a time (newer records win, removals dropped once no older run is left) up to a
 * ceiling (compaction-policy.ts), in steps paced by the commits (merge-job.ts); the merged run
 * takes its inputs' place. Files of merged-away runs stay on disk while an upload reads them.
 */
export class RunStack {
  #runs: RunFile[] = [];
  #job: MergeJob | null = null;
  /** While pinned (an upload reads them), files of merged-away runs are kept; deleted on unpin. */
  #pins = 0;
  readonly #doomed: string[] = [];
  readonly #cache: BlockCache;
  readonly #backlog: KeyFilterBacklog;
  readonly #counters: EngineCounters;

  /** `backlog` hears of merged-away runs; `cache` drops their blocks. */
  constructor(readonly dir: string, readonly maxRunBytes: number, cache: BlockCache, backlog: KeyFilterBacklog, counters: EngineCounters) {
    this.#cache = cache;
    this.#backlog = backlog;
    this.#counters = counters;
  }

  /** The runs, oldest first. */
  get runs(): readonly RunFile[] {
    return this.#runs;
  }

  /** A new run (a flushed memtable or a run restored from a checkpoint): the newest. */
  add(run: RunFile): void {
    this.#runs.push(run);
  }

  /** A path and name for a new run file in this engine's directory. */
  newRunFile(): [string, string] {
    const name = `${randomUUID()}.run`;
    return [join(this.dir, name), name];
  }

  pin(): void {
    this.#pins++;
  }

  unpin(): void {
    if (--this.#pins > 0) return;
    for (const path of this.#doomed.splice(0)) unlinkQuietly(path);
  }

  /** Whether a merge is in progress. */
  get merging(): boolean {
    return this.#job !== null;
  }

  /** Whether compact() has work: a merge in progress, or one the policy would start. */
  get hasWork(): boolean {
    return this.#job !== null || pickMerge(this.#runs.map((r) => r.fileBytes), this.maxRunBytes) !== null;
  }

  /**
   * Advances merging by about `budgetBytes` of written run (a commit's share, proportional
   * to its changes): continues the merge in progress, swaps its run in for its inputs when
   * it is done, and starts the next one compaction-policy.ts picks. When mergeable runs
   * have piled up to STALL_RUNS (the commits outpace the merging), the merge in progress is
   * finished whatever its size, as RocksDB stops writes when level 0 has too many files.
   */
  compact(budgetBytes: number): void {
    let left = budgetBytes;
    let wrote = 0;
    try {
      for (;;) {
        if (this.#job === null && !this.#startMerge()) return;
        const job = this.#job!;
        const sizes = this.#runs.map((r) => r.fileBytes);
        const stalled = sizes.length - mergeableFrom(sizes, this.maxRunBytes) >= STALL_RUNS;
        if (stalled) this.#counters.compactionStalls++;
        const before = job.bytes;
        const done = job.step(stalled ? Infinity : left);
        wrote += job.bytes - before;
        left -= job.bytes - before;
        if (!done) return;
        this.#finishMerge(job);
        if (left <= 0) return;
      }
    } finally {
      this.#counters.largestStepBytes = Math.max(this.#counters.largestStepBytes, wrote);
    }
  }

  #startMerge(): boolean {
    const group = pickMerge(this.#runs.map((r) => r.fileBytes), this.maxRunBytes);
    if (group === null) return false;
    const [from, to] = group;
    const inputs = this.#runs.slice(from, to);
    const bits = mergedRunBitsPerKey(inputs.reduce((n, r) => n + r.fileBytes, 0), this.maxRunBytes);
    this.#job = new MergeJob(inputs, from === 0, ...this.newRunFile(), bits);
    return true;
  }

  /** Replaces the job's input runs (still adjacent: runs are only appended meanwhile) by its run. */
  #finishMerge(job: MergeJob): void {
    this.#job = null;
    const from = this.#runs.indexOf(job.inputs[0]!);
    const merged = RunFile.open(job.path, job.name);
    for (const run of job.inputs) {
      this.#counters.bytesReadByCompaction += run.fileBytes;
      this.#cache.dropRun(run.number, run.numBlocks, run.numPartitions);
      run.close();
      if (this.#pins > 0) this.#doomed.push(run.path);
      else unlinkQuietly(run.path);
    }
    this.#runs = [...this.#runs.slice(0, from), merged, ...this.#runs.slice(from + job.inputs.length)];
    this.#backlog.replaced(job.inputs, merged);
    this.#counters.compactions++;
    this.#counters.bytesWrittenByCompaction += merged.fileBytes;
    this.#counters.largestMergeBytes = Math.max(this.#counters.largestMergeBytes, merged.fileBytes);
  }

  /** Abandons a merge in progress and closes every run (their files stay). */
  close(): void {
    this.#job?.abandon();
    this.#job = null;
    for (const run of this.#runs) run.close();
    this.#runs = [];
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (or its directory was dropped): nothing to free.
  }
}
