import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { sharedWorkerPool, WorkerTaskError } from "../common/worker-pool.ts";
import type { FileTaskSource } from "../connectors/source.ts";
import { fileTaskError, type JsonFileTask } from "../connectors/sources/json-file-task.ts";
import { schemaOf } from "../expr/scope.ts";
import { toTransferable } from "../expr/transferable.ts";
import type { Aggregate, LogicalPlan, Scan } from "../plan/logical-plan.ts";
import type { BatchContext } from "./exec-operator.ts";
import type { MapSideOutput, PartialAggregation, PartialAggregationRunner } from "./aggregate/partial-groups.ts";
import { emptyStats, mergeStats, type EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.ts";
import {
  compile, stageRowsOfFiles, type CompiledPlan, type FileReadStats, type MapSidePlan, type MapStage, type PartialAggregateResult, type PartialAggregateTask,
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

/** The workers' share of a batch's files, under way: see WorkerPartialAggregation.#startWorkers. */
interface WorkerShare {
  drain(merge: (result: PartialAggregateResult) => void): Promise<number>;
  stop(): Promise<void>;
}

/** When partial aggregation stops: after `rows` folded rows, at `ratio` partial groups per row or more. */
export interface SkipPartialProbe {
  readonly ratio: number;
  readonly rows: number;
}

/**
 * The map side of a streaming aggregation on `threads` threads: this one and threads - 1
 * workers (Spark's partial HashAggregate before the shuffle). A worker decodes, filters,
 * projects and folds each of its files into partial groups, columnar; this thread folds
 * its own share of the files straight into the state meanwhile (rather than idle while
 * the workers decode: on two cores a third busy thread only takes turns with the other
 * two), then merges the workers' partials. Which files each thread takes depends only on
 * the batch's files, and everything is folded in file order, so a re-run batch folds the
 * same rows in the same order.
 *
 * Partial aggregation pays only when it reduces. With nearly one group per row (keys of
 * high cardinality) this thread merges almost as many partial groups as there were rows,
 * after a worker grouped them once already: two threads then cost more than one (measured
 * in benchmarks/RESULTS.md). So the first files probe it (as DataFusion's
 * skip_partial_aggregation_probe_*): once `probe.rows` rows are folded, partial groups per
 * row at or above `probe.ratio` make the query read its later files on this thread, each
 * row folded once, with no worker — and explain() says so and why.
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
  #probedRows = 0;
  #probedGroups = 0;
  /** Decided once per query run, after the probe. */
  #serial = false;
  /** Worker threads besides this one (threads beyond the machine's cores would only take turns). */
  readonly workers: number;

  constructor(
    readonly scanIndex: number,
    readonly threads: number,
    plan: MapSidePlan,
    /** The plan's EventTimeWatermark operators on this thread, bottom up: they report the workers' event times. */
    readonly watermarks: readonly EventTimeWatermarkExec[],
    readonly probe: SkipPartialProbe = { ratio: 0.5, rows: 100_000 },
  ) {
    this.workers = threads < 2 ? 0 : Math.max(1, Math.min(threads, availableParallelism()) - 1);
    this.#serial = threads < 2;
    this.#mapSide = plan;
    this.#plan = toTransferable(plan);
    // A BIGINT literal beyond ±2^53 is a bigint, which JSON writes only through a replacer.
    this.#planKey = createHash("sha1").update(JSON.stringify(this.#plan, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).digest("hex");
  }

  describe(): string | null {
    if (this.threads < 2) return null;
    if (!this.#serial) return `${this.workers + 1} threads (this one and ${this.workers} worker${this.workers > 1 ? "s" : ""})`;
    const ratio = (this.#probedGroups / this.#probedRows).toFixed(2);
    return `one thread: partial aggregation did not reduce (${ratio} partial groups per row in the first ${this.#probedRows} rows, ` +
      `threshold ${this.probe.ratio}), so a second thread would only group the rows again`;
  }

  /** Counts a partial aggregation into the probe; decides once enough rows are in. */
  #observe(partial: PartialAggregation): void {
    if (this.#serial || this.#probedRows >= this.probe.rows) return;
    this.#probedRows += partial.inputRows;
    this.#probedGroups += partial.groups.count;
    if (this.#probedRows >= this.probe.rows && this.#probedGroups >= this.probe.ratio * this.#probedRows) this.#serial = true;
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
    if (this.#serial) {
      await foldHere(0, files.length);
    } else {
      // The workers start on their files first; this thread folds its own share meanwhile,
      // then merges the workers' partial groups in file order.
      const own = this.ownShare(files.length);
      const workers = own < files.length ? this.#startWorkers(files, own, ctx) : null;
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
      // The files the workers did not take (the probe said stop): here, in order, after theirs.
      await foldHere(inWorkers, files.length);
    }
    source.recordFileTasks(files.length, malformed);
  }

  /**
   * How many of a batch's `n` files this thread folds itself (the first ones, straight into
   * the state, with no partial groups to merge): its share of the threads, the rest going
   * to the threads - 1 workers (a batch of one file is folded here). It depends on `n`
   * only, so a re-run batch folds and merges the same files in the same order.
   */
  ownShare(n: number): number {
    return Math.round(n / (this.workers + 1));
  }

  /**
   * Partial aggregation of files[from…] in the workers, at most two tasks per worker at a
   * time (a worker starts its next file without waiting for this thread), stopping once
   * the probe says partial aggregation does not reduce. Results wait (this thread folds
   * its own files first, which come before theirs) until `drain` merges them in file
   * order, each as soon as those before it are; it returns where the files the workers
   * took end. `stop` starts no more and waits for those running.
   */
  #startWorkers(files: readonly JsonFileTask[], from: number, ctx: BatchContext): WorkerShare {
    const pool = sharedWorkerPool(this.workers, TASK_MODULE);
    const done: (PartialAggregateResult | undefined)[] = new Array(files.length);
    let next = from;
    let merging: ((result: PartialAggregateResult) => void) | null = null;
    let mergeFailure: Error | null = null;
    const mergeReady = (): void => {
      if (merging === null || mergeFailure !== null) return;
      try {
        while (next < files.length && done[next] !== undefined) {
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
    let running = 0;
    const failures: { index: number; error: Error }[] = [];
    let finished!: () => void;
    const allDone = new Promise<void>((resolve) => { finished = resolve; });
    const settle = (): void => {
      if (running === 0 && (started === files.length || failures.length > 0 || mergeFailure !== null || this.#serial || stopped)) finished();
    };
    const launch = (): void => {
      while (started < files.length && failures.length === 0 && mergeFailure === null && !this.#serial && !stopped && running < 2 * pool.size) {
        const i = started++;
        running++;
        const task: PartialAggregateTask = {
          plan: this.#plan, planKey: this.#planKey, file: files[i]!,
          watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval,
        };
        pool.run<PartialAggregateResult>(TASK_MODULE, "partialAggregate", [task]).then((result) => {
          running--;
          this.#observe(result);
          done[i] = result;
          launch(); // the next file starts before this thread merges
          mergeReady();
        }, (e: unknown) => {
          running--;
          failures.push({ index: i, error: e as Error });
        }).finally(settle);
      }
    };
    launch();
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
        if (failures.length > 0) {
          // The first failed file in file order, as a serial read would report.
          const { index, error } = failures.reduce((a, b) => (b.index < a.index ? b : a));
          if (!(error instanceof WorkerTaskError)) throw error;
          throw fileTaskError(files[index]!.path, error);
        }
        return started;
      },
    };
  }
}
