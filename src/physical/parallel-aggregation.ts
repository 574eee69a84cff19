import { createHash } from "node:crypto";
import { batchesFromData, StringDictionaryReceiver, transfersAsData } from "../columnar/vec-transfer.ts";
import { availableParallelism } from "node:os";
import { sharedWorkerPool, WorkerTaskError } from "../common/worker-pool.ts";
import type { FileTaskSource } from "../connectors/source.ts";
import { fileTaskError, type JsonFileTask } from "../connectors/sources/json-file-task.ts";
import { schemaOf } from "../expr/scope.ts";
import { toTransferable } from "../expr/transferable.ts";
import type { Aggregate, LogicalPlan, Scan } from "../plan/logical-plan.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { BatchContext } from "./exec-operator.ts";
import type { MapSideOutput, PartialAggregation, PartialAggregationRunner } from "./aggregate/partial-groups.ts";
import { emptyStats, mergeStats, type EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.ts";
import {
  compile, stageRowsOfFiles, type CompiledPlan, type FileReadStats, type MapSidePlan, type MapStage, type PartialAggregateResult, type PartialAggregateTask,
  type StagedRowsResult,
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

/** What a worker sends back for one file: its partial groups, or (partial aggregation skipped) its rows. */
type WorkerResult = PartialAggregateResult | StagedRowsResult;

/** What this thread sends back for one file once its rows are decoded here: the workers' rows, in this thread's columns. */
type ReceivedResult = PartialAggregateResult | (FileReadStats & { readonly kind: "rows"; readonly batches: ColumnBatch[] });

/** The workers' string dictionaries (vec-transfer.ts), one per worker thread for every query of this process. */
const workerStrings = new StringDictionaryReceiver();

/** The workers' share of a batch's files, under way: see WorkerPartialAggregation.#startWorkers. */
interface WorkerShare {
  drain(merge: (result: ReceivedResult) => void): Promise<number>;
  stop(): Promise<void>;
}

/**
 * How the map side runs: "partial" — this thread folds its share of the files, workers
 * fold theirs into partial groups it merges; "rows" — partial aggregation did not reduce,
 * so workers decode every file and this thread folds their rows; "serial" — this thread
 * reads and folds every file.
 */
type MapSideMode = "partial" | "rows" | "serial";

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
 * the batch's files and the mode, and everything is folded in file order, so a re-run
 * batch folds the same rows in the same order.
 *
 * Partial aggregation pays only when it reduces. With nearly one group per row (keys of
 * high cardinality) this thread would merge almost as many partial groups as there were
 * rows, after a worker grouped them once already. So the first files probe it (as
 * DataFusion's skip_partial_aggregation_probe_*): once `probe.rows` rows are folded,
 * partial groups per row at or above `probe.ratio` switch the query to "rows": the
 * workers decode every later file and run the stages over it, and this thread folds their
 * rows in file order, as if it had read them itself (the same folds as one thread, so the
 * same state to the last bit) — decoding, half of the work, moves off this thread, and
 * each row is grouped once. Rows whose columns cannot travel as typed arrays (decimals,
 * arrays, maps) make it "serial" instead: this thread reads the later files itself.
 * explain() says which and why.
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
  #mode: MapSideMode;
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
    this.#mode = threads < 2 ? "serial" : "partial";
    this.#mapSide = plan;
    this.#plan = toTransferable(plan);
    // A BIGINT literal beyond ±2^53 is a bigint, which JSON writes only through a replacer.
    this.#planKey = createHash("sha1").update(JSON.stringify(this.#plan, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).digest("hex");
  }

  /** The map side's mode now (after the probe, for the rest of the run). */
  get mode(): MapSideMode {
    return this.#mode;
  }

  describe(): string | null {
    if (this.threads < 2) return null;
    const workers = `${this.workers} worker${this.workers > 1 ? "s" : ""}`;
    if (this.#mode === "partial") return `${this.workers + 1} threads (this one and ${workers})`;
    const ratio = (this.#probedGroups / this.#probedRows).toFixed(2);
    const why = `partial aggregation did not reduce (${ratio} partial groups per row in the first ${this.#probedRows} rows, threshold ${this.probe.ratio})`;
    if (this.#mode === "rows") return `${this.workers + 1} threads: ${why}, so ${workers} decode${this.workers > 1 ? "" : "s"} the files and this one folds their rows`;
    return `one thread: ${why}, and the aggregation's input has columns that cannot leave a thread as typed arrays, so a second thread would only group the rows again`;
  }

  /** Counts a partial aggregation into the probe; decides once enough rows are in. */
  #observe(result: WorkerResult): void {
    if (result.kind !== "groups" || this.#mode !== "partial" || this.#probedRows >= this.probe.rows) return;
    this.#probedRows += result.inputRows;
    this.#probedGroups += result.groups.count;
    if (this.#probedRows >= this.probe.rows && this.#probedGroups >= this.probe.ratio * this.#probedRows) {
      this.#mode = this.#rowsTravel() ? "rows" : "serial";
    }
  }

  /** Whether the stages' rows can come back from a worker as typed arrays. */
  #rowsTravel(): boolean {
    return this.#compiled().aggregate.input.schema.fields.every((f) => transfersAsData(f.dataType));
  }

  #compiled(): CompiledPlan {
    return (this.#local ??= compile(this.#mapSide));
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
      account(await stageRowsOfFiles(this.#compiled(), files.slice(from, to), ctx, (batches) => merge({ kind: "rows", batches })));
    };
    if (this.#mode === "serial") {
      await foldHere(0, files.length);
    } else {
      // The workers start on their files first; this thread folds its own share meanwhile
      // (none once the workers send rows), then merges the workers' results in file order.
      const own = this.#mode === "partial" ? this.ownShare(files.length) : 0;
      const workers = own < files.length ? this.#startWorkers(files, own, ctx) : null;
      try {
        await foldHere(0, own);
      } catch (e) {
        await workers?.stop(); // no task outlives the batch
        throw e;
      }
      const inWorkers = workers === null ? own : await workers.drain((result) => {
        account(result);
        merge(result.kind === "groups" ? result : { kind: "rows", batches: result.batches });
      });
      // The files the workers did not take (the probe said "serial"): here, in order, after theirs.
      await foldHere(inWorkers, files.length);
    }
    source.recordFileTasks(files.length, malformed);
  }

  /**
   * How many of a batch's `n` files this thread folds itself in "partial" mode (the first
   * ones, straight into the state, with no partial groups to merge): its share of the
   * threads, the rest going to the threads - 1 workers (a batch of one file is folded
   * here). It depends on `n` only, so a re-run batch folds and merges the same files in
   * the same order.
   */
  ownShare(n: number): number {
    return Math.round(n / (this.workers + 1));
  }

  /**
   * The workers' files, files[from…], at most two tasks per worker at a time (a worker
   * starts its next file without waiting for this thread): partial aggregation, or, once
   * the probe says it does not reduce, the file's rows; none once it says "serial".
   * Results wait (this thread folds its own files first, which come before theirs) until
   * `drain` merges them in file order, each as soon as those before it are; it returns
   * where the files the workers took end. `stop` starts no more and waits for those running.
   */
  #startWorkers(files: readonly JsonFileTask[], from: number, ctx: BatchContext): WorkerShare {
    const pool = sharedWorkerPool(this.workers, TASK_MODULE);
    const schema = this.#compiled().aggregate.input.schema;
    const done: (ReceivedResult | undefined)[] = new Array(files.length);
    let next = from;
    let merging: ((result: ReceivedResult) => void) | null = null;
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
    const serial = (): boolean => this.#mode === "serial";
    const settle = (): void => {
      if (running === 0 && (started === files.length || failures.length > 0 || mergeFailure !== null || serial() || stopped)) finished();
    };
    const launch = (): void => {
      while (started < files.length && failures.length === 0 && mergeFailure === null && !serial() && !stopped && running < 2 * pool.size) {
        const i = started++;
        running++;
        const task: PartialAggregateTask = {
          plan: this.#plan, planKey: this.#planKey, file: files[i]!,
          watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval,
        };
        const exportName = this.#mode === "rows" ? "stagedRows" : "partialAggregate";
        pool.run<WorkerResult>(TASK_MODULE, exportName, [task]).then((result) => {
          running--;
          this.#observe(result);
          try {
            // Strings are taken in the order each worker sent them: as they arrive, not in file order.
            done[i] = result.kind === "groups" ? result : { ...result, batches: batchesFromData(result.rows, schema, workerStrings) };
          } catch (e) {
            failures.push({ index: i, error: e as Error });
            return;
          }
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
