import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { sharedWorkerPool, WorkerTaskError } from "../common/worker-pool.ts";
import type { FileTaskSource } from "../connectors/source.ts";
import { fileTaskError, type JsonFileTask } from "../connectors/sources/json-file-task.ts";
import { schemaOf } from "../expr/scope.ts";
import { toTransferable } from "../expr/transferable.ts";
import type { Aggregate, LogicalPlan, Scan } from "../plan/logical-plan.ts";
import { receiveKeyStrings } from "./partial-key-strings.ts";
import type { BatchContext } from "./exec-operator.ts";
import type { MapSideOutput, PartialAggregationRunner } from "./aggregate/partial-groups.ts";
import { emptyStats, mergeStats, type EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.ts";
import {
  compile, partialAggregateFile, stageRowsOfFiles, type CompiledPlan, type FileReadStats, type MapSidePlan, type MapStage, type PartialAggregateResult, type PartialAggregateTask,
} from "./partial-aggregate-task.ts";

/** The module worker threads import to run the map side (TypeScript from sources, JavaScript when built). */
const TASK_MODULE = new URL(`./partial-aggregate-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

/**
 * The scan and the operators between it and a streaming aggregation, when all of them can
 * run in a worker thread: a linear chain of filters, projections and watermarks over a
 * source that reads in per-file tasks, and aggregates without DISTINCT. Otherwise, why not
 * (explain() says it, so that rivulet.sql.parallelism never promises threads it does not use).
 */
export function mapSideChain(aggregate: Aggregate): { scan: Scan; stages: MapStage[] } | string {
  if (!aggregate.isStreaming) return "not a streaming aggregation";
  if (aggregate.aggregates.some((a) => a.distinct)) return "DISTINCT aggregates merge on one thread";
  const stages: MapStage[] = [];
  let node: LogicalPlan = aggregate.input;
  for (;;) {
    switch (node.kind) {
      case "Filter": stages.unshift({ kind: "Filter", condition: node.condition }); break;
      case "Project": stages.unshift({ kind: "Project", exprs: node.exprs, schema: schemaOf(node.output) }); break;
      case "EventTimeWatermark": stages.unshift({ kind: "EventTimeWatermark", column: node.column, delayMicros: node.delayMicros }); break;
      case "SubqueryAlias": break;
      case "Scan": return node.isStreaming && node.source.readsFileTasks === true ? { scan: node, stages } : "the source is not read in per-file tasks";
      default: return `${node.kind} below the aggregation runs on one thread`;
    }
    node = node.input;
  }
}

/**
 * Where the probe may say stop before `rows` rows. With 40k-row files and the default 100k
 * rows the probe took four files of ten at 1.24M groups (0.73 partial groups per row): the
 * worker's partial aggregation of such a file is slower than this thread's reading of it, so
 * this thread waited for the worker before reading the rest, and two threads were slower
 * than one (benchmarks/RESULTS.md, branch hashpart). One file's groups per row already tells,
 * so a tenth of the rows is enough to stop.
 */
const EARLY_STOP_FRACTION = 0.1;

/** The workers' share of a batch's files, under way: see WorkerPartialAggregation.#startWorkers. */
interface WorkerShare {
  drain(merge: (result: PartialAggregateResult) => void): Promise<number>;
  stop(): Promise<void>;
}

/**
 * When partial aggregation stops: at `ratio` partial groups per row or more, counted over the
 * workers' first files of a batch — as soon as a tenth of `rows` rows show it (EARLY_STOP_FRACTION),
 * or once `rows` do; below the ratio over `rows` rows, it goes on for the batch.
 */
export interface SkipPartialProbe {
  readonly ratio: number;
  readonly rows: number;
}

/**
 * The map side of a streaming aggregation on `threads` worker threads (Spark's partial
 * HashAggregate before the shuffle). A worker decodes, filters, projects and folds each of
 * its files into partial groups, columnar; this thread merges the workers' partials into
 * the state, in file order, and does the batch's own work (state, output) — once a probe
 * has shown that partial aggregation reduces it reads no file itself (before, a batch's
 * first file, see run). Merging a file's partial groups costs
 * this thread a tenth of reading the file at 96k groups, and a thread that reads files
 * straight into the state while the workers run was the critical path (measured in
 * benchmarks/RESULTS.md, branch partmerge). With a single worker (one core) this thread
 * folds the batch's first files straight into the state meanwhile (ownShare). Which files
 * each thread takes depends only on the batch's files, and everything is folded in file
 * order, so a re-run batch folds the same rows in the same order, to the last bit of a
 * DOUBLE sum.
 *
 * Partial aggregation pays only when it reduces. With nearly one group per row (keys of
 * high cardinality) a worker's partial aggregation of a file takes longer than this thread's
 * reading of it, and merging its groups still costs this thread (measured in
 * benchmarks/RESULTS.md), so the workers' first files
 * of each batch probe it (as DataFusion's skip_partial_aggregation_probe_*, see
 * SkipPartialProbe): counted in file order, partial groups per row at or above
 * `probe.ratio` make this thread read the batch's later files itself, each row folded
 * once — and explain() says so and why. The probe is the batch's own (it starts again each
 * batch, on the same files of a re-run batch), so that a batch re-run after a crash, in a
 * process that never saw the batches before it, splits its files as the first run did.
 *
 * With one thread (rivulet.sql.parallelism 1) it folds every file on this thread from the
 * start and never starts a worker: the files are decoded straight into the engine's
 * columns with decoders kept across batches, rather than read by the scan as Arrow
 * batches and converted back (measured in benchmarks/RESULTS.md, "Many groups, round 4").
 */
export class WorkerPartialAggregation implements PartialAggregationRunner {
  readonly #plan: unknown;
  readonly #planKey: string;
  readonly #mapSide: MapSidePlan;
  #local: CompiledPlan | null = null;
  /** The last batch that probed enough rows: what it counted and whether it read its later files here. */
  #probed: { rows: number; groups: number; serial: boolean } | null = null;
  /** Worker threads (threads beyond the machine's cores would only take turns). */
  readonly workers: number;

  constructor(
    readonly scanIndex: number,
    readonly threads: number,
    plan: MapSidePlan,
    /** The plan's EventTimeWatermark operators on this thread, bottom up: they report the workers' event times. */
    readonly watermarks: readonly EventTimeWatermarkExec[],
    readonly probe: SkipPartialProbe = { ratio: 0.5, rows: 100_000 },
    cores = availableParallelism(),
  ) {
    this.workers = threads < 2 ? 0 : Math.max(1, Math.min(threads, cores));
    this.#mapSide = plan;
    this.#plan = toTransferable(plan);
    // A BIGINT literal beyond ±2^53 is a bigint, which JSON writes only through a replacer.
    this.#planKey = createHash("sha1").update(JSON.stringify(this.#plan, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).digest("hex");
  }

  describe(): string | null {
    if (this.threads < 2) return null;
    const probed = this.#probed;
    if (probed === null || !probed.serial) {
      return this.workers === 1 ? "2 threads (this one and 1 worker)" : `${this.workers} worker threads read the files, this one merges`;
    }
    const ratio = (probed.groups / probed.rows).toFixed(2);
    return `one thread: partial aggregation did not reduce (${ratio} partial groups per row in the first ${probed.rows} rows, ` +
      `threshold ${this.probe.ratio}), so a second thread would only group the rows again`;
  }

  async run(ctx: BatchContext, merge: (output: MapSideOutput) => void): Promise<void> {
    const read = ctx.deferredReads?.get(this.scanIndex);
    for (const w of this.watermarks) w.stats = emptyStats();
    if (read === undefined) return;
    const source = read.source as FileTaskSource;
    const files = await source.planFileTasks(read.start, read.end, read.request);
    let malformed = 0;
    const account = (result: FileReadStats): void => {
      read.rowsRead += result.rowsRead;
      malformed += result.malformed;
      result.eventTimes.forEach((stats, k) => mergeStats(this.watermarks[k]!.stats, stats));
    };
    const foldHere = async (from: number, to: number): Promise<void> => {
      if (from >= to) return;
      this.#local ??= compile(this.#mapSide);
      account(await stageRowsOfFiles(this.#local, files.slice(from, to), ctx, (batches) => merge({ kind: "rows", batches })));
    };
    if (this.workers === 0) {
      await foldHere(0, files.length);
    } else {
      // The workers start on their files first; this thread folds its own share meanwhile,
      // then merges the workers' partial groups in file order.
      const own = this.ownShare(files.length);
      // Unless an earlier batch's probe showed that partial aggregation reduces, this thread
      // partially aggregates the first file itself (where this batch's probe starts) while the
      // workers take the next ones, rather than wait for a worker's answer before it reads
      // the rest: the same partial groups, so the same split and the same sums.
      const probeHere = own === 0 && this.#probed?.serial !== false;
      const workers = own < files.length ? this.#startWorkers(files, own, ctx, probeHere) : null;
      try {
        await foldHere(0, own);
      } catch (e) {
        await workers?.stop(); // no task outlives the batch
        throw e;
      }
      const inWorkers = workers === null ? own : await workers.drain((result) => {
        account(result);
        merge(result);
      });
      // The files the workers did not take (the batch's probe said stop): here, in order, after theirs.
      await foldHere(inWorkers, files.length);
    }
    source.recordFileTasks(files.length, malformed);
  }

  /**
   * How many of a batch's `n` files this thread folds itself (the first ones, straight into
   * the state, with no partial groups to merge). None with two workers or more: the
   * workers read every file and this thread only merges (see the class comment). With one
   * worker, n / 2.5 rounded — 4 of 10 — as merging the worker's groups and the batch's own
   * work take about half a worker's share of this thread (benchmarks/RESULTS.md, branch
   * hashpart); a batch of one file is then folded here. It depends on `n` only, so a re-run
   * batch folds and merges the same files in the same order.
   */
  ownShare(n: number): number {
    if (this.workers >= 2) return 0;
    return n <= 1 ? n : Math.max(1, Math.round(n / (this.workers + 1.5)));
  }

  /**
   * Partial aggregation of files[from…] in the workers, at most two tasks per worker at a
   * time (sent ahead: a worker starts its next file without waiting for this thread).
   * Results are counted into the batch's probe in file order as they come; once it says
   * partial aggregation does not reduce (after file d), the workers' files end at d: results
   * of files past it (sent ahead, or arrived out of order) are dropped and this thread reads
   * those files. So the files the workers' groups come from depend only on the batch's files.
   * Results wait (this thread folds its own files first, which come before theirs) until
   * `drain` merges them in file order, each as soon as those before it are; it returns where
   * the merged files end; it does not wait for files past that end (sent ahead of the probe's
   * answer), whose results are dropped. `stop` starts no more and waits for those running.
   * With `firstHere`, this thread partially aggregates files[from] itself.
   */
  #startWorkers(files: readonly JsonFileTask[], from: number, ctx: BatchContext, firstHere: boolean): WorkerShare {
    const pool = sharedWorkerPool(this.workers, TASK_MODULE);
    const ahead = 2 * pool.size;
    const done: (PartialAggregateResult | undefined)[] = new Array(files.length);
    /** Where the workers' files end: all of them until the probe says stop. */
    let end = files.length;
    let probeAt = from, probedRows = 0, probedGroups = 0, probing = true;
    const probeReady = (): void => {
      while (probing && probeAt < end && done[probeAt] !== undefined) {
        const result = done[probeAt++]!;
        probedRows += result.inputRows;
        probedGroups += result.groups.count;
        const reduces = probedGroups < this.probe.ratio * probedRows;
        // Stop at the first sign (over enough rows) that it does not reduce; go on for good once the whole probe reduced.
        if (reduces ? probedRows < this.probe.rows : probedRows < this.probe.rows * EARLY_STOP_FRACTION) continue;
        probing = false;
        this.#probed = { rows: probedRows, groups: probedGroups, serial: !reduces };
        // The files after the last one counted are this thread's; results of any already sent are dropped.
        if (!reduces) end = Math.min(end, probeAt);
      }
    };
    // Files sent ahead of the probe's answer are lost work when it says stop: unless an earlier
    // batch's probe showed reduction, the workers get one file each until this batch's probe
    // answers. Only how far ahead files are sent depends on earlier batches, never which files
    // are merged.
    const cautious = this.#probed?.serial !== false;
    let next = from;
    let merging: ((result: PartialAggregateResult) => void) | null = null;
    let mergeFailure: Error | null = null;
    const mergeReady = (): void => {
      if (merging === null || mergeFailure !== null) return;
      try {
        while (next < end && done[next] !== undefined) {
          const result = done[next]!;
          done[next++] = undefined; // released once merged
          merging(result);
        }
      } catch (e) {
        mergeFailure = e as Error;
      }
    };
    let started = from;
    let stopped = false;
    let workerTasks = 0;
    /** The files being read, by this thread's probe or the workers. */
    const running = new Set<number>();
    const failures: { index: number; error: Error }[] = [];
    let finished!: () => void;
    const allDone = new Promise<void>((resolve) => { finished = resolve; });
    const settle = (): void => {
      // After a failure or stop, nothing outlives the batch; otherwise files past `end` are not waited for.
      if (failures.length > 0 || mergeFailure !== null || stopped) {
        if (running.size === 0) finished();
      } else if (started >= end && ![...running].some((i) => i < end)) finished();
    };
    const arrived = (i: number, result: PartialAggregateResult): void => {
      running.delete(i);
      if (i >= end) return; // past where the probe stopped the workers: this thread reads the file
      done[i] = result;
      probeReady();
      launch(); // the next file starts before this thread merges
      mergeReady();
    };
    const failed = (i: number, e: unknown): void => {
      running.delete(i);
      if (i < end) failures.push({ index: i, error: e as Error });
    };
    const launch = (): void => {
      while (started < end && failures.length === 0 && mergeFailure === null && !stopped && workerTasks < (cautious && probing ? pool.size : ahead)) {
        const i = started++;
        running.add(i);
        const task: PartialAggregateTask = {
          plan: this.#plan, planKey: this.#planKey, file: files[i]!,
          watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval,
        };
        workerTasks++;
        pool.run<PartialAggregateResult>(TASK_MODULE, "partialAggregate", [task]).then((sent) => {
          workerTasks--;
          // Every result of a worker, in the order they arrive, brings its key dictionaries up to date.
          const keys = sent.keyStrings === undefined ? sent.groups.keys : receiveKeyStrings(sent.groups.keys, sent.keyStrings);
          arrived(i, { ...sent, groups: { ...sent.groups, keys } });
        }, (e: unknown) => {
          workerTasks--;
          failed(i, e);
        }).finally(settle);
      }
    };
    let probedHere = false;
    if (firstHere && started < end) {
      const i = started++;
      running.add(i);
      probedHere = true;
      this.#local ??= compile(this.#mapSide);
      partialAggregateFile(this.#local, files[i]!, ctx).then((result) => arrived(i, result), (e: unknown) => failed(i, e)).finally(settle);
    }
    // After a batch that did not reduce, the workers wait for this thread's probe: most likely
    // it says stop, and files sent meanwhile would be read twice (measured at 1.24M groups).
    if (!(probedHere && this.#probed?.serial === true)) launch();
    return {
      stop: async () => {
        stopped = true;
        settle();
        await allDone;
      },
      drain: async (merge) => {
        merging = merge;
        mergeReady();
        settle();
        await allDone;
        if (mergeFailure !== null) throw mergeFailure;
        // Failures in files past where the probe stopped the workers are this thread's to meet again.
        const failed = failures.filter((f) => f.index < end);
        if (failed.length > 0) {
          // The first failed file in file order, as a serial read would report.
          const { index, error } = failed.reduce((a, b) => (b.index < a.index ? b : a));
          if (!(error instanceof WorkerTaskError)) throw error;
          throw fileTaskError(files[index]!.path, error);
        }
        // All of [from, end) unless a failure past `end` stopped the workers early: this thread reads the rest.
        return next;
      },
    };
  }
}
