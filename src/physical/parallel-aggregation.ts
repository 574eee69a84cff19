import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { sharedWorkerPool } from "../common/worker-pool.ts";
import type { FileTaskSource, Offset, ReadRequest, Source } from "../connectors/source.ts";
import { schemaOf } from "../expr/scope.ts";
import { toTransferable } from "../expr/transferable.ts";
import type { Aggregate, LogicalPlan, Scan } from "../plan/logical-plan.ts";
import type { BatchContext } from "./exec-operator.ts";
import type { FirstFileChoice, MapSideSink, PartialAggregationRunner } from "./aggregate/partial-groups.ts";
import { emptyStats, mergeStats, type EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.ts";
import { compile, stageRowsOfFiles, type CompiledPlan, type FileReadStats, type MapSidePlan, type MapStage, type PartialAggregateResult } from "./partial-aggregate-task.ts";
import { PartialProbe, type SkipPartialProbe } from "./parallel/partial-probe.ts";
import { ReadAhead, readBatchValues, tellsNextFileTasks } from "./parallel/read-ahead.ts";
import { RowReads } from "./parallel/row-reads.ts";
import { canShipRows } from "./parallel/shipped-rows.ts";
import { startWorkerShare, type WorkerShare, type WorkerStart } from "./parallel/worker-share.ts";

export type { SkipPartialProbe } from "./parallel/partial-probe.ts";

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
 * The map side of a streaming aggregation on `threads` worker threads (Spark's partial
 * HashAggregate before the shuffle). A worker decodes, filters, projects and folds each of
 * its files into partial groups, columnar; this thread merges them in file order and does
 * the batch's own work (state, output). Merging a file's partial groups costs this thread a
 * fraction of reading the file at 96k groups, so with two workers or more, after a batch
 * where partial aggregation reduced, the workers read every file (two busy threads on two
 * cores); otherwise (the first batch, or after one that did not reduce) this thread folds the
 * batch's first file straight into the state before any worker starts, the probe's first
 * count for free (branches partmerge, threads9 and threads10 in benchmarks/RESULTS.md). That
 * choice comes from the batch before, which a batch re-run after a crash never saw, so it is
 * the batch's recorded choice (`firstFileChoice`, written to the offset log with the batch's
 * offsets; a log without one means "here"). With a single worker (one core) this thread folds
 * the batch's first files (ownShare). Which files are merged as partial groups depends only
 * on the batch's files and its recorded choice, and everything is folded in file order, so a
 * re-run batch folds the same rows in the same order, to the last bit of a DOUBLE sum.
 *
 * Once the workers have every file of a batch that reduced, they read the next batch's files
 * ahead (parallel/read-ahead.ts: the source's guess of them, as background tasks of the pool),
 * while this thread merges, commits, emits and plans the next trigger: worker time and this
 * thread's tail overlap instead of adding up. A batch takes only results of its own files,
 * made with the same batch values (a task that read the watermark or the batch's time is
 * taken only by a batch with the same), in file order as ever; a batch re-run after a crash
 * reads its files itself and folds the same partial groups.
 *
 * Partial aggregation pays only when it reduces. With nearly one group per row (keys of
 * high cardinality) a worker's partial aggregation of a file takes longer than this thread's
 * reading of it, and merging its groups still costs this thread (measured in
 * benchmarks/RESULTS.md), so each batch probes it (as DataFusion's
 * skip_partial_aggregation_probe_*, see parallel/partial-probe.ts) on its first file — the
 * groups it touched as this thread folded it, which cost nothing more to count — and then,
 * if that file's rows were too few to tell, on the workers' files, in file order. Partial
 * groups per row at or above `probe.ratio` make this thread fold the batch's other files
 * itself, each row once, as with one thread, and explain() says so and why. Their decoding
 * (about half of one thread's work at 1.24M groups) still goes to a worker of its own
 * (parallel/row-reads.ts): it decodes the files and runs the stages, and ships the rows, which
 * this thread folds in file order — the rows of a serial read, in its order, so who decoded
 * them changes no group and no sum, and needs no recording; after a batch that did not reduce
 * it decodes every file from the start, the first one too. The probe is the batch's own (it
 * starts again each batch, on the same files of a re-run batch), so that a batch re-run after
 * a crash, in a process that never saw the batches before it, splits its files as the first
 * run did; earlier batches only set the recorded choice of the first file and how eagerly the
 * workers start (WorkerStart).
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
  /** Whether the last batch split between threads sent its first file to a worker too. */
  #firstInWorkers = false;
  /** The next batch's files, read ahead by the workers once the batch under way has sent them all its own. */
  readonly readAhead: ReadAhead | null;
  /** Set when a worker's result read a value of its batch (the watermark, the batch's time): then nothing is read ahead. */
  #readsBatchValues = false;
  /** The last batch's guess of the next one's files, under way (awaited before a batch takes what was read ahead). */
  #guessing: Promise<void> = Promise.resolve();
  /** Worker threads (threads beyond the machine's cores would only take turns). */
  readonly workers: number;
  /** A worker decoding files for this thread to fold as rows, when partial aggregation does not reduce (null: never). */
  readonly #rowReads: RowReads | null;
  /** Whether the stages' rows can travel from a worker (parallel/shipped-rows.ts), once compiled. */
  #rowsTravel: boolean | null = null;
  /** Whether the last batch had a worker decode files for this thread to fold (explain says so). */
  #rowsFromWorker = false;

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
    this.readAhead = this.workers < 2 ? null : new ReadAhead({
      pool: () => sharedWorkerPool(this.workers, TASK_MODULE), module: TASK_MODULE, plan: this.#plan, planKey: this.#planKey,
    });
    // One worker of its own: one list of strings per column, whichever file it decodes.
    this.#rowReads = this.workers < 2 ? null : new RowReads({
      pool: () => sharedWorkerPool(1, TASK_MODULE), module: TASK_MODULE, plan: this.#plan, planKey: this.#planKey,
    });
  }

  describe(): string | null {
    if (this.threads < 2) return null;
    const probed = this.#probed;
    if (probed === null || !probed.serial) {
      if (this.workers === 1) return "2 threads (this one and 1 worker)";
      return this.#firstInWorkers
        ? `${this.workers} worker threads read each batch's files, this one merges (the batch before reduced, so the first file too)`
        : `${this.workers} worker threads read each batch's files but the first, this one reads the first and merges`;
    }
    const ratio = (probed.groups / probed.rows).toFixed(2);
    const why = `one thread: partial aggregation did not reduce (${ratio} partial groups per row in the first ${probed.rows} rows, ` +
      `threshold ${this.probe.ratio}), so `;
    return this.#rowsFromWorker
      ? `${why}this thread folds every row of the batch, as with one thread, and 1 worker thread decodes its files: ` +
        "a worker's partial groups would only be grouped again here"
      : `${why}this thread reads every file of the batch, as with one thread: a worker's partial groups would only be grouped again here`;
  }

  /** The query stops: what was read ahead and has not started is not read. */
  close(): void {
    this.readAhead?.drop();
    this.#rowReads?.end();
  }

  /**
   * Who reads the next batch's first file, to be recorded with the batch before it runs:
   * "workers" after a batch where partial aggregation reduced, else "here"; null when there is
   * nothing to choose (fewer than two workers).
   */
  firstFileChoice(): FirstFileChoice | null {
    if (this.workers < 2) return null;
    return this.#probed?.serial === false ? "workers" : "here";
  }

  async run(ctx: BatchContext, sink: MapSideSink, firstFile: FirstFileChoice = "here"): Promise<void> {
    const read = ctx.deferredReads?.get(this.scanIndex);
    for (const w of this.watermarks) w.stats = emptyStats();
    if (read === undefined) return;
    const source = read.source as FileTaskSource;
    const files = await source.planFileTasks(read.start, read.end, read.request);
    await this.#guessing; // the batch before's guess of these files, and what it sent ahead
    let malformed = 0;
    const account = (result: FileReadStats): void => {
      read.rowsRead += result.rowsRead;
      malformed += result.malformed;
      result.eventTimes.forEach((stats, k) => mergeStats(this.watermarks[k]!.stats, stats));
    };
    const local = (this.#local ??= compile(this.#mapSide));
    const schema = local.aggregate.input.schema;
    this.#rowsTravel ??= canShipRows(schema);
    const rowReads = this.#rowsTravel && files.length > 1 ? this.#rowReads : null;
    // After a batch that did not reduce, the worker decodes every file from the start, the
    // first one too (whose groups this thread counts for the probe as if it had read it).
    const rowsFromStart = rowReads !== null && this.#probed?.serial === true;
    if (rowsFromStart) rowReads.send(files, 0, files.length, ctx, schema);
    /**
     * Folds files[from, to) here, straight into the groups (read here, or by the worker of
     * rowReads: the same rows in the same order); answers the rows the stages gave.
     */
    const foldHere = async (from: number, to: number): Promise<number> => {
      if (from >= to) return 0;
      if (rowReads !== null && (rowsFromStart || from > 0)) {
        return rowReads.fold(files, from, to, ctx, schema, (batches) => sink.fold({ kind: "rows", batches }), account);
      }
      let rows = 0;
      account(await stageRowsOfFiles(local, files.slice(from, to), ctx, (batches) => {
        for (const b of batches) rows += b.numRows;
        sink.fold({ kind: "rows", batches });
      }));
      return rows;
    };
    if (this.workers === 0 || files.length === 0) {
      this.readAhead?.drop();
      await foldHere(0, files.length);
      source.recordFileTasks(files.length, malformed);
      return;
    }
    const own = this.ownShare(files.length, firstFile);
    const probe = new PartialProbe(this.probe);
    // Only how eagerly the workers start depends on earlier batches here; which files are merged, on the recorded choice.
    const start: WorkerStart = this.#probed?.serial === false ? "ahead" : "after the probe";
    const adopted = this.readAhead?.take(files, own, ctx);
    const workers = own < files.length
      ? startWorkerShare({
        pool: () => sharedWorkerPool(this.workers, TASK_MODULE), workers: this.workers, module: TASK_MODULE,
        plan: this.#plan, planKey: this.#planKey, files, from: own, ctx, probe, start, adopted,
        allSent: () => this.#readNextAhead(read.source, read.end, read.request, files.length, probe, ctx),
      })
      : null;
    try {
      await this.#foldAndMerge(files.length, own, probe, foldHere, workers, (result) => {
        account(result);
        if (readBatchValues(result)) this.#readsBatchValues = true;
        sink.fold(result);
      }, () => sink.groupsTouched());
      if (workers !== null) this.#firstInWorkers = own === 0;
    } catch (e) {
      this.readAhead?.drop(); // a failed batch ends the query: nothing it read ahead will be taken
      throw e;
    } finally {
      rowReads?.end();
      // What explain says, even of a batch that failed after its probe answered.
      if (probe.reduces !== null) this.#probed = { rows: probe.rows, groups: probe.groups, serial: !probe.reduces };
      this.#rowsFromWorker = rowReads !== null && probe.reduces === false;
    }
    source.recordFileTasks(files.length, malformed);
  }

  /**
   * The batch's workers have all its files: they read ahead the next batch's (at most as many),
   * when the next batch will send them every file (this batch's probe said partial aggregation
   * reduces, so the next batch's recorded choice is "workers") and no result so far read a value
   * of its batch. Only the source's guess: a batch takes only results of its own files (read-ahead.ts).
   */
  #readNextAhead(source: Source, end: Offset, request: ReadRequest, limit: number, probe: PartialProbe, ctx: BatchContext): void {
    const readAhead = this.readAhead;
    if (readAhead === null || probe.reduces !== true || this.#readsBatchValues || !tellsNextFileTasks(source)) return;
    const context = { watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval };
    // A batch of one file is folded here (ownShare): only the files the workers would get are read ahead.
    this.#guessing = source.nextFileTasks(end, request, limit).then((next) => readAhead.start(next.slice(this.ownShare(next.length, "workers")), context), () => {});
  }

  /** The batch's files: this thread's first, counted into the probe, then the workers' merged, then the rest here. */
  async #foldAndMerge(
    n: number, own: number, probe: PartialProbe, foldHere: (from: number, to: number) => Promise<number>,
    workers: WorkerShare | null, merge: (result: PartialAggregateResult) => void, groupsTouched: () => number,
  ): Promise<void> {
    try {
      // The batch's first file, when this thread reads it, straight into the groups (none of
      // them touched yet): the groups it touched are the partial groups a worker would have
      // made of it, so the probe's first count costs nothing — and when it says "does not
      // reduce", this thread has done no work one thread would not have done. When the workers
      // read it (own 0), the probe counts their files from the first.
      if (own > 0) {
        const firstRows = await foldHere(0, 1);
        probe.count(firstRows, groupsTouched());
      }
      workers?.ownCounted();
      await foldHere(1, own);
    } catch (e) {
      await workers?.stop(); // no task outlives the batch
      throw e;
    }
    const inWorkers = workers === null ? own : await workers.drain(merge);
    // The files the workers did not take (the batch's probe said stop): here, in order, after theirs.
    await foldHere(inWorkers, n);
  }

  /**
   * How many of a batch's `n` files this thread folds itself (the first ones, straight into
   * the state, with no partial groups to merge). With two workers or more, none when the
   * batch's recorded choice sends the first file to the workers, else the first: the probe's
   * first count, free (see run); the workers read the rest and this thread merges (see the
   * class comment). With one worker, n / 2.5 rounded — 4 of 10 — as merging the worker's
   * groups and the batch's own work take about half a worker's share of this thread
   * (benchmarks/RESULTS.md, branch hashpart). A batch of one file is folded here. It depends on `n` and the recorded choice
   * only, so a re-run batch folds and merges the same files in the same order.
   */
  ownShare(n: number, firstFile: FirstFileChoice = "here"): number {
    if (n <= 1) return n;
    if (this.workers >= 2) return firstFile === "workers" ? 0 : 1;
    return Math.max(1, Math.round(n / (this.workers + 1.5)));
  }
}

