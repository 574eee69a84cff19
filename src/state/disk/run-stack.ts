import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { BlockCache } from "./block-cache.ts";
import { unlinkQuietly } from "./checkpoint-file-ops.ts";
import {
  mergeableFrom, mergedRunBitsPerKey, pickMerge, REWRITE_PIECE_SHARE, rewriteDue, STALL_RUNS,
} from "./compaction-policy.ts";
import type { EngineCounters } from "./engine-counters.ts";
import type { KeyFilterBacklog } from "./key-filter-backlog.ts";
import { MergeJob } from "./merge-job.ts";
import { RunFile } from "./run-file.ts";
import type { RunsKeyFilter } from "./runs-key-filter.ts";

/**
 * A rewrite's share of a compaction step (commit-pacing.ts: four bytes of merging per byte a
 * commit changed), beside the merges' whole one: a rewrite writes about half the records added
 * since the last one (compaction-policy.ts REWRITE_DEAD_SHARE), so half a step a commit keeps
 * well ahead; it is not urgent (the runs it replaces answer lookups meanwhile), so it spreads.
 */
const REWRITE_PACE = 0.5;

/**
 * The engine's run files, oldest first, and their merging: runs of about equal size are merged
 * MERGE_WIDTH at a time (newer records win, removals dropped once no older run is left) up to a
 * ceiling (compaction-policy.ts), in steps paced by the commits (merge-job.ts); the merged run
 * takes its inputs' place. Files of merged-away runs stay on disk while an upload reads them.
 *
 * Runs past the ceiling are final, so when removals and updates leave the runs mostly dead
 * (compaction-policy.ts rewriteDue: judged by the state's live keys), all of them are rewritten
 * (a rewrite: merged from the oldest, removals dropped, into runs of disjoint hash ranges of at
 * most half the ceiling each), in steps beside the merges of the runs flushed meanwhile, which
 * then only take runs newer than the rewrite's. The filter of the runs' keys is rebuilt beside
 * from the rewrite's keys (runs-key-filter.ts), so that it holds the live keys only again.
 */
export class RunStack {
  #runs: RunFile[] = [];
  /** The merge of newer runs in progress (after the rewrite's inputs). */
  #job: MergeJob | null = null;
  /** The rewrite in progress: its inputs are the oldest runs, runs[0 … inputs.length). */
  #rewrite: MergeJob | null = null;
  /** Rewrites finished, and how many of them takeRewrites has answered. */
  rewrites = 0;
  #rewritesTaken = 0;
  /** The state's keys after the latest commit (-1: not known yet, no rewrite). */
  liveKeys = -1;
  /**
   * Whether a rewrite may start now: no memtable being written out (its keys would miss the
   * filter being rebuilt) and the filter in use (no restart's runs left to read into it).
   */
  canStartRewrite: () => boolean = () => true;
  /** While pinned (an upload reads them), files of merged-away runs are kept; deleted on unpin. */
  #pins = 0;
  readonly #doomed: string[] = [];
  readonly #cache: BlockCache;
  readonly #backlog: KeyFilterBacklog;
  readonly #counters: EngineCounters;

  readonly #keys: RunsKeyFilter;

  /** `backlog` hears of merged-away runs; `cache` drops their blocks; `keys` is rebuilt by rewrites. */
  constructor(
    readonly dir: string, readonly maxRunBytes: number, cache: BlockCache, backlog: KeyFilterBacklog, counters: EngineCounters, keys: RunsKeyFilter,
  ) {
    this.#keys = keys;
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

  /** Whether a merge (or a rewrite) is in progress. */
  get merging(): boolean {
    return this.#job !== null || this.#rewrite !== null;
  }

  /** Whether a rewrite of all the runs is in progress. */
  get rewriting(): boolean {
    return this.#rewrite !== null;
  }

  /**
   * Whether compact() has work: a merge or rewrite in progress, or one it would start now (not
   * one that is due but must wait: background slices would spin on it, doing nothing).
   */
  get hasWork(): boolean {
    return this.#job !== null || this.#rewrite !== null || this.#mergeToStart() !== null || this.#rewriteStartable();
  }

  /** Where the runs a merge may take begin: after the rewrite's inputs. */
  get #mergeFrom(): number {
    return this.#rewrite?.inputs.length ?? 0;
  }

  /** The merge compaction-policy.ts picks among the runs after the rewrite's inputs, as [from, to) of all the runs. */
  #pickMerge(): [number, number] | null {
    const base = this.#mergeFrom;
    const group = pickMerge(this.#runs.slice(base).map((r) => r.fileBytes), this.maxRunBytes);
    return group === null ? null : [base + group[0], base + group[1]];
  }

  #rewriteDue(): boolean {
    return this.#rewrite === null && rewriteDue(this.#runs, this.liveKeys, this.maxRunBytes);
  }

  /** Whether a rewrite would start now: due, no merge in progress (it takes all the runs once that is done), and allowed. */
  #rewriteStartable(): boolean {
    return this.#job === null && this.#rewriteDue() && this.canStartRewrite();
  }

  /**
   * The merge to start next, as [from, to) of all the runs, or null: none picked, or a rewrite is
   * due (it takes all the runs once the merge in progress is done) and the runs flushed meanwhile
   * have not piled up to a stall.
   */
  #mergeToStart(): [number, number] | null {
    const group = this.#pickMerge();
    if (group === null) return null;
    const sizes = this.#runs.map((r) => r.fileBytes);
    if (this.#rewriteDue() && sizes.length - mergeableFrom(sizes, this.maxRunBytes) < STALL_RUNS) return null;
    return group;
  }

  /**
   * Advances merging by about `budgetBytes` of written run (a commit's share, proportional
   * to its changes): continues the merge in progress, swaps its run in for its inputs when
   * it is done, and starts the next one compaction-policy.ts picks. When mergeable runs
   * have piled up to STALL_RUNS (the commits outpace the merging), the merge in progress is
   * finished whatever its size, as RocksDB stops writes when level 0 has too many files.
   */
  compact(budgetBytes: number): void {
    this.#mergeStep(budgetBytes);
    this.#rewriteStep(budgetBytes * REWRITE_PACE);
  }

  /**
   * About `budgetBytes` of the rewrite, starting one when due: once the merge in progress is done
   * (it has taken the newest runs), it takes all the runs. A rewrite does not stall commits.
   */
  #rewriteStep(budgetBytes: number): void {
    if (this.#rewrite === null) {
      if (!this.#rewriteStartable()) return;
      this.#startRewrite();
    }
    const job = this.#rewrite!;
    const before = job.bytes;
    const done = job.step(budgetBytes);
    this.#counters.largestStepBytes = Math.max(this.#counters.largestStepBytes, job.bytes - before);
    if (done) this.#finishRewrite(job);
  }

  #startRewrite(): void {
    const inputs = [...this.#runs];
    const inputBytes = inputs.reduce((n, r) => n + r.fileBytes, 0);
    const keys = this.#keys;
    // Sized for the live keys and as many again (the keys flushed until the next rewrite).
    keys.startRebuild(2 * this.liveKeys);
    this.#rewrite = new MergeJob(inputs, true, () => this.newRunFile(), mergedRunBitsPerKey(inputBytes, this.maxRunBytes), {
      pieceBytes: this.maxRunBytes * REWRITE_PIECE_SHARE,
      onKey: (h1, h2) => keys.addRebuilt(h1, h2),
    });
  }

  /** The rewrite's runs take its inputs' place (the oldest runs), and the rebuilt filter the old one's. */
  #finishRewrite(job: MergeJob): void {
    this.#rewrite = null;
    this.#replace(job, job.outputs.map((o) => RunFile.open(o.path, o.name)));
    this.#keys.finishRebuild();
    this.rewrites++;
  }

  #mergeStep(budgetBytes: number): void {
    let left = budgetBytes;
    let wrote = 0;
    try {
      for (;;) {
        if (this.#job === null && !this.#startMerge()) return;
        const job = this.#job!;
        const sizes = this.#runs.slice(this.#mergeFrom).map((r) => r.fileBytes);
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
    const group = this.#mergeToStart();
    if (group === null) return false;
    const [from, to] = group;
    const inputs = this.#runs.slice(from, to);
    const bits = mergedRunBitsPerKey(inputs.reduce((n, r) => n + r.fileBytes, 0), this.maxRunBytes);
    this.#job = new MergeJob(inputs, from === 0, () => this.newRunFile(), bits);
    return true;
  }

  /** Replaces the job's input runs by its run. */
  #finishMerge(job: MergeJob): void {
    this.#job = null;
    const { path, name } = job.outputs[0]!;
    this.#replace(job, [RunFile.open(path, name)]);
    this.#counters.compactions++;
  }

  /** Replaces a job's input runs (still adjacent: runs are only appended meanwhile, or other adjacent ones replaced) by its runs. */
  #replace(job: MergeJob, outputs: readonly RunFile[]): void {
    const from = this.#runs.indexOf(job.inputs[0]!);
    for (const run of job.inputs) {
      this.#counters.bytesReadByCompaction += run.fileBytes;
      this.#cache.dropRun(run.number, run.numBlocks, run.numPartitions);
      run.close();
      if (this.#pins > 0) this.#doomed.push(run.path);
      else unlinkQuietly(run.path);
    }
    this.#runs = [...this.#runs.slice(0, from), ...outputs, ...this.#runs.slice(from + job.inputs.length)];
    this.#backlog.replaced(job.inputs, outputs);
    for (const run of outputs) {
      this.#counters.bytesWrittenByCompaction += run.fileBytes;
      this.#counters.largestMergeBytes = Math.max(this.#counters.largestMergeBytes, run.fileBytes);
    }
  }

  /** Abandons a merge or rewrite in progress and closes every run (their files stay). */
  /** Rewrites finished since the last call (progress counts them per commit). */
  takeRewrites(): number {
    const since = this.rewrites - this.#rewritesTaken;
    this.#rewritesTaken = this.rewrites;
    return since;
  }

  close(): void {
    this.#job?.abandon();
    this.#job = null;
    if (this.#rewrite !== null) this.#keys.abandonRebuild();
    this.#rewrite?.abandon();
    this.#rewrite = null;
    for (const run of this.#runs) run.close();
    this.#runs = [];
  }
}
