import { randomUUID } from "node:crypto";
import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { Logger } from "../common/log.ts";
import { StreamingQueryException } from "../common/errors.ts";
import { toArrowTable } from "../columnar/arrow-convert.ts";
import { takesColumns, type Sink } from "../connectors/sink.ts";
import type { Offset, Source } from "../connectors/source.ts";
import type { EvalContext } from "../expr/eval-context.ts";
import { schemaOf } from "../expr/scope.ts";
import type { BatchContext } from "../physical/exec-operator.ts";
import { planPhysical, type PhysicalQuery } from "../physical/planner.ts";
import { nextBatchChoices } from "../physical/parallel/recorded-choices.ts";
import { chooseStateStoreProvider, type StateStoreProviderName } from "../state/state-store-provider-choice.ts";
import { checkpointSettings, loggedSettings, stateContextFor } from "./checkpoint-settings.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import type { StructType } from "../types/data-types.ts";
import { CheckpointLock } from "../checkpoint/checkpoint-lock.ts";
import { CheckpointPaths } from "../checkpoint/paths.ts";
import { openCheckpoint, type CheckpointLogs } from "./checkpoint-logs.ts";
import { commitBatch, finiteOrZero, writeAhead } from "./batch-log-entries.ts";
import { StreamingQueryProgress, type StreamingQueryStatus } from "./progress.ts";
import { readBatchSources, sameOffset } from "./read-batch-sources.ts";
import { resumePoint, type PendingRerun } from "./resume-point.ts";
import { IdleWaiters } from "./idle-waiters.ts";
import { CommitInFlight } from "./commit-in-flight.ts";
import { sourceLogsWritten, writesItsLogLater } from "./source-log-writes.ts";
import { ProgressReporter } from "./progress-reporter.ts";
import type { ExecutionOptions } from "./execution-options.ts";
import { needsNoDataBatch } from "./no-data-batch.ts";
import { stopQueryParts } from "./stop-query-parts.ts";
import { CommitMetadata } from "../checkpoint/commit-log.ts";
import { WatermarkTracker } from "./watermark-tracker.ts";
import { StateSchemaCheck } from "./state-schema-check.ts";
import { LateRowsWriter } from "./late-rows.ts";
import { sessionZone } from "./time-zone.ts";
import { SystemClock, type Clock, type ClockParticipant } from "./clock.ts";
import { parseDuration } from "../common/duration.ts";

export type { ExecutionOptions };

const log = new Logger("MicroBatchExecution");
const POLL_INTERVAL_MS = 10;

/**
 * Spark's MicroBatchExecution: for each trigger, ask the sources how far they reach,
 * write those offsets ahead (offsets/<id>), run the batch through the incremental plan,
 * hand the result to the sink, then write commits/<id>. A restart re-runs the last batch
 * that has offsets but no commit, with exactly the same offsets and state version.
 */
export class MicroBatchExecution {
  readonly id: string;
  readonly runId: string;
  readonly recentProgress: StreamingQueryProgress[] = [];
  status: StreamingQueryStatus = { message: "Initializing sources", isDataAvailable: false, isTriggerActive: false };
  exception: StreamingQueryException | null = null;
  physical: PhysicalQuery | null = null;

  #active = true;
  #stopRequested = false;
  #sources: Source[] = [];
  #logs: CheckpointLogs | null = null;
  #lock: { release(): Promise<void> } | null = null;
  #committed: (Offset | null)[] = [];
  #nextBatchId = 0;
  #pendingRerun: PendingRerun | null = null;
  #batchWatermark = -Infinity;
  #watermark!: WatermarkTracker;
  readonly #idleWaiters = new IdleWaiters();
  /** The last batch's commit, written while the next batch is planned. */
  readonly #commit = new CommitInFlight();
  readonly #progress: ProgressReporter;
  #terminated: Promise<void>;
  #resolveTerminated!: () => void;
  #wake: (() => void) | null = null;
  readonly #clock: Clock;
  #participant: ClockParticipant | null = null;
  readonly #idleTimeoutMs: number | null;
  #providers: StateStoreProvider[] = [];
  /** The state schemas checked at start; those the checkpoint lacks are written after the first commit. */
  #stateSchemas: StateSchemaCheck | null = null;
  #sink: Sink | null = null;
  /** The configuration the plan was made with: the session's, with what the checkpoint fixes. */
  #planConf: RuntimeConfig;
  /** The state store provider: the session's choice, or the one the checkpoint was written with. */
  #stateProvider: StateStoreProviderName;
  readonly #lateRows: LateRowsWriter | null;
  readonly #outputSchema: StructType;

  constructor(readonly options: ExecutionOptions) {
    this.id = options.id;
    this.runId = options.runId ?? randomUUID();
    this.#planConf = options.conf;
    this.#stateProvider = chooseStateStoreProvider(options.conf.get(ConfKeys.stateStoreProvider), options.conf.get(ConfKeys.stateStoreProviderClass));
    this.#lateRows = options.lateRowsPath ? new LateRowsWriter(options.lateRowsPath) : null;
    this.#clock = options.clock ?? new SystemClock();
    const idle = options.conf.get(ConfKeys.watermarkIdleTimeout);
    this.#idleTimeoutMs = idle ? parseDuration(idle, ConfKeys.watermarkIdleTimeout) / 1000 : null;
    this.#progress = new ProgressReporter({ id: this.id, runId: this.runId, name: options.name }, options.conf, this.#clock, options.listeners, this.recentProgress, this.#idleTimeoutMs);
    this.#terminated = new Promise((resolve) => { this.#resolveTerminated = resolve; });
    this.#outputSchema = schemaOf(options.plan.output);
  }

  get isActive(): boolean {
    return this.#active;
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.recentProgress[this.recentProgress.length - 1] ?? null;
  }

  /** Resolves when the query has stopped (normally or by failure). */
  get terminated(): Promise<void> {
    return this.#terminated;
  }

  /** Prepares sources, checkpoint and state; then runs the trigger loop in the background. */
  async start(): Promise<void> {
    // Busy on the clock from the very start: a ManualClock's advance() waits for the first batch too.
    this.#participant = this.#clock.register();
    const { conf, checkpointLocation } = this.options;
    // One query at a time on a checkpoint, in any process: held until #shutdown.
    const takeLock = this.options.takeLock ?? ((paths, ids) => CheckpointLock.acquire(paths, ids));
    if (checkpointLocation !== null) this.#lock = await takeLock(new CheckpointPaths(checkpointLocation), { queryId: this.id, runId: this.runId });
    this.physical = planPhysical(this.options.plan, this.#planConf, this.options.outputMode, this.#lateRows !== null);
    this.#sink = await this.options.createSink();
    const physical = this.physical;
    if (checkpointLocation !== null) {
      this.#logs = await openCheckpoint(checkpointLocation, {
        sources: physical.streamingScans.map((s) => s.source.format),
        statefulOperators: physical.statefulOperators.map((o) => `${o.operatorId}:${o.name}`),
      }, this.id);
    }
    await this.#keepCheckpointStatePartitions();
    if (this.#logs) this.#stateSchemas = await StateSchemaCheck.verify(this.#logs.paths, this.physical.statefulOperators, this.#planConf);
    this.#sources = physical.streamingScans.map((scan, i) =>
      scan.source.createSource({ metadataPath: this.#logs?.paths.source(i) ?? null, conf, bounded: false, clock: this.#clock }),
    );
    this.#committed = this.#sources.map(() => null);
    await Promise.all(this.#sources.map((s) => s.open?.()));
    for (const s of this.#sources) if (writesItsLogLater(s)) s.writeLogLater();
    this.#watermark = new WatermarkTracker((conf.get(ConfKeys.multipleWatermarkPolicy) ?? "min").toLowerCase() as "min" | "max");
    await this.#recover();
    const stateContext = stateContextFor(this.#stateProvider, this.#logs?.paths ?? null, conf, this.#nextBatchId, (p) => this.#providers.push(p));
    for (const op of this.physical.statefulOperators) await op.open?.(stateContext);
    this.options.listeners.post("onQueryStarted", { id: this.id, runId: this.runId, name: this.options.name, timestamp: new Date(this.#clock.now()).toISOString() });
    void this.#runLoop();
  }

  /** Takes the state provider and partitions the checkpoint was written with, planning again if they differ. */
  async #keepCheckpointStatePartitions(): Promise<void> {
    const settings = await checkpointSettings(this.#logs, this.id, this.#planConf, this.#stateProvider);
    this.#stateProvider = settings.provider;
    this.#planConf = settings.planConf;
    if (settings.replan) this.physical = planPhysical(this.options.plan, this.#planConf, this.options.outputMode, this.#lateRows !== null);
  }

  /** Spark's StreamExecution.prettyIdString: `name [id = …, runId = …]`, or without a name just the brackets. */
  get #prettyId(): string {
    const ids = `[id = ${this.id}, runId = ${this.runId}]`;
    return this.options.name === null ? ids : `${this.options.name} ${ids}`;
  }

  /** start() failed (bad checkpoint, unreachable source…): the query ends with that error. */
  async failBeforeStart(error: unknown): Promise<void> {
    if (this.#stoppedWhileWaiting(error)) return this.#shutdown();
    this.#stopRequested = true;
    this.exception = new StreamingQueryException(
      `Query ${this.#prettyId} failed to start: ${(error as Error).message}`,
      this.id, this.runId, { cause: error },
    );
    log.error(this.exception.message);
    await this.#shutdown();
  }

  async #recover(): Promise<void> {
    const resume = this.#logs ? await resumePoint(this.#logs, this.#sources.length, this.#watermark.policy) : null;
    if (resume === null) return;
    this.#nextBatchId = resume.nextBatchId;
    this.#committed = resume.committed;
    this.#batchWatermark = resume.batchWatermarkMicros;
    this.#watermark = resume.watermark;
    this.#pendingRerun = resume.rerun;
    if (resume.rerun) log.info(`re-running uncommitted batch ${resume.nextBatchId} of query ${this.id} with its logged offsets`);
    else log.info(`resuming query ${this.id} at batch ${this.#nextBatchId}`);
  }

  async #runLoop(): Promise<void> {
    const { trigger } = this.options;
    try {
      while (!this.#stopRequested) {
        const round = this.#idleWaiters.beginRound();
        const ran = await this.#runOneBatch();
        if (this.#stopRequested) break;
        if (!ran) {
          this.#idleWaiters.idle(round);
          if (trigger.kind === "availableNow" || trigger.kind === "once") break;
          this.status = { message: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
        } else if (trigger.kind === "once") {
          // Trigger.Once: one batch of what is there, plus the no-data batch a moved watermark needs.
          if (!this.#needsNoDataBatch()) break;
          continue;
        }
        const now = this.#clock.now();
        if (trigger.kind === "processingTime" && trigger.intervalMs > 0) {
          // Spark's ProcessingTimeExecutor: batches start on multiples of the interval. No commit waits through the sleep.
          await this.#commit.settled();
          await this.#sleepUntil(Math.floor(now / trigger.intervalMs) * trigger.intervalMs + trigger.intervalMs);
        } else if (!ran) {
          await this.#sleepUntil(now + POLL_INTERVAL_MS);
        }
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      // The last batch's commit is on disk (or has failed) before the checkpoint's lock is released.
      await this.#commit.settled().catch((error: unknown) => {
        if (this.exception === null) this.#fail(error);
        else log.warn(`query ${this.id}: the last batch's commit failed too: ${(error as Error).message}`);
      });
      await this.#shutdown();
    }
  }

  #fail(error: unknown): void {
    if (this.#stoppedWhileWaiting(error)) return;
    this.exception = new StreamingQueryException(
      `Query ${this.#prettyId} terminated with exception: ${(error as Error).message}`,
      this.id, this.runId, { cause: error },
    );
    log.error(this.exception.message);
  }

  /** stop() ended a sink's wait on a system that is down (an AbortError): a stop, not a failure; the batch re-runs on restart. */
  #stoppedWhileWaiting(error: unknown): boolean {
    if (!this.#stopRequested || !(error instanceof Error) || error.name !== "AbortError") return false;
    log.info(`query ${this.id} stopped while its sink waited; the unfinished batch re-runs when it starts again`);
    return true;
  }

  /** Waits on the clock until `targetMs`; processAllAvailable() and stop() wake it early. */
  async #sleepUntil(targetMs: number): Promise<void> {
    const wake = new AbortController();
    this.#wake = () => wake.abort();
    try {
      await this.#participant!.waitTillTime(targetMs, wake.signal);
    } finally {
      this.#wake = null;
    }
  }

  #needsNoDataBatch(): boolean {
    return needsNoDataBatch({
      conf: this.options.conf, trigger: this.options.trigger, physical: this.physical!, watermark: this.#watermark,
      batchWatermarkMicros: this.#batchWatermark, idleTimeoutMs: this.#idleTimeoutMs, nowMs: this.#clock.now(),
    });
  }

  /**
   * Plans and runs the next batch if there is new data (or a no-data batch is due); false when
   * idle. The batch before's commit may still be in flight (CommitInFlight): the sources are
   * asked for their offsets meanwhile, and this batch's offsets are logged once it settled,
   * while this batch's rows are read. The batch runs once its offsets are on disk.
   */
  async #runOneBatch(): Promise<boolean> {
    const triggerStart = performance.now();
    const triggerTimestamp = this.#clock.now();
    const durations: Record<string, number> = {};
    let ends: (Offset | null)[];
    let latest: (Offset | null)[];
    let batchWatermark: number;
    let choices: Readonly<Record<string, string>>;
    let offsetsLogged: Promise<void> = Promise.resolve();
    const batchId = this.#nextBatchId;
    if (this.#pendingRerun) {
      ends = this.#pendingRerun.offsets;
      latest = ends;
      batchWatermark = this.#pendingRerun.watermarkMicros;
      choices = this.#pendingRerun.choices;
      this.#pendingRerun = null;
    } else {
      const t0 = performance.now();
      // Trigger.Once is one batch of everything (Spark maps every source to ReadLimit.allAvailable).
      const readLimit = this.options.trigger.kind === "once" ? "allAvailable" : "default";
      latest = await Promise.all(this.#sources.map((s, i) => s.latestOffset(this.#committed[i] ?? null, readLimit)));
      durations.latestOffset = performance.now() - t0;
      const hasData = latest.some((o, i) => o !== null && !sameOffset(o, this.#committed[i]));
      if (!hasData && !this.#needsNoDataBatch()) {
        await this.#commit.settled();
        this.#progress.noBatch({
          batchId: this.#nextBatchId - 1, durations, starts: this.#committed, ends: this.#committed, latest, rowsPerSource: [], outputRows: 0,
          triggerTimestampMs: triggerTimestamp, watermarkMicros: this.#batchWatermark, sources: this.#sources, physical: this.physical!, sink: this.#sink!,
        }, triggerStart);
        return false;
      }
      ends = latest.map((o, i) => o ?? this.#committed[i] ?? null);
      batchWatermark = this.#watermark.currentMicros;
      // Choices operators make from the batches before: recorded, so that a re-run of this batch repeats them.
      choices = nextBatchChoices(this.physical!.root);
      offsetsLogged = this.#writeAhead(batchId, ends, batchWatermark, choices, durations);
    }
    this.status = { message: "Processing new data", isDataAvailable: true, isTriggerActive: true };
    // The batch before's watermark: operators above another stateful operator drop late rows against it.
    const lateEventsWatermark = this.#batchWatermark;
    this.#batchWatermark = batchWatermark;

    // Read this batch's rows from every source, while its offsets are written (exactly the ends being read).
    const t2 = performance.now();
    const reading = readBatchSources(this.physical!, this.#sources, this.#committed, ends);
    const [logged, read] = await Promise.allSettled([offsetsLogged, reading]);
    if (logged.status === "rejected") throw logged.reason;
    if (read.status === "rejected") throw read.reason;
    const { sourceData, deferredReads, rowsPerSource } = read.value;
    durations.getBatch = performance.now() - t2;

    // Run the incremental plan and hand the result to the sink.
    const t3 = performance.now();
    const evalContext: EvalContext = { batchTimestampMicros: this.#clock.now() * 1000, timeZoneId: sessionZone(this.options.conf).id };
    const ctx: BatchContext = {
      batchId, eval: evalContext, sourceData, watermarkMicros: batchWatermark, lateEventsWatermarkMicros: lateEventsWatermark,
      outputMode: this.options.outputMode, streaming: true, lateRows: this.#lateRows, deferredReads, choices,
    };
    const output = await this.physical!.root.execute(ctx);
    for (const [i, read] of deferredReads) rowsPerSource[i] = read.rowsRead;
    await this.#lateRows?.flush(batchId);
    const outputBatches = output.map((b) => b.withSchema(this.#outputSchema));
    const outputRows = outputBatches.reduce((n, b) => n + b.numRows, 0);
    const observedMetrics = this.options.observeBatch === undefined ? undefined : await this.options.observeBatch(outputBatches);
    const sink = this.#sink!;
    if (takesColumns(sink)) await sink.addColumnBatches(batchId, outputBatches, this.options.outputMode);
    else await sink.addBatch(batchId, toArrowTable(this.#outputSchema, outputBatches), this.options.outputMode);
    durations.addBatch = performance.now() - t3;

    // Advance the watermark from this batch's event times, then commit (in flight while the next batch is planned).
    const now = this.#clock.now();
    for (const [k, w] of this.physical!.watermarks.entries()) this.#watermark.observe(k, w.stats, w.delayMicros, now);
    this.#watermark.advance(now, this.#idleTimeoutMs);
    this.#progress.rowsArrived(rowsPerSource, now);
    const commit = { ...CommitMetadata.create(finiteOrZero(this.#watermark.currentMicros)), operatorWatermarksUs: this.#watermark.perOperatorMicros() };
    const previous = this.#committed;
    this.#committed = ends;
    this.#nextBatchId = batchId + 1;
    const targets = { logs: this.#logs, stateSchemas: this.#stateSchemas, sources: this.#sources, providers: this.#providers, conf: this.options.conf };
    this.#commit.start(async () => {
      const t4 = performance.now();
      await commitBatch(targets, batchId, commit, ends);
      durations.commitOffsets = performance.now() - t4;
      durations.triggerExecution = performance.now() - triggerStart;
      this.#progress.batchFinished({
        batchId, durations, starts: previous, ends, latest, rowsPerSource, outputRows, triggerTimestampMs: triggerTimestamp, watermarkMicros: batchWatermark,
        observedMetrics, sources: this.#sources, physical: this.physical!, sink: this.#sink!,
      }, triggerStart);
    });
    return true;
  }

  /** offsets/<batchId> (write-ahead), once the batch before's commit and the sources' own log entries are on disk. */
  async #writeAhead(batchId: number, ends: (Offset | null)[], batchWatermark: number, choices: Readonly<Record<string, string>>, durations: Record<string, number>): Promise<void> {
    await this.#commit.settled();
    await sourceLogsWritten(this.#sources);
    const t1 = performance.now();
    if (this.#logs) {
      const conf = loggedSettings(this.#planConf, this.#stateProvider);
      await writeAhead(this.#logs, batchId, ends, { watermarkMicros: batchWatermark, timestampMs: this.#clock.now(), conf, choices });
    }
    durations.walCommit = performance.now() - t1;
  }

  /** Resolves once every row available now has been processed (and the no-data batches that follow). */
  processAllAvailable(): Promise<void> {
    if (!this.#active) return this.exception ? Promise.reject(this.exception) : Promise.resolve();
    const idle = this.#idleWaiters.wait();
    this.#wake?.();
    return idle;
  }

  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#wake?.();
    await this.#terminated;
  }

  async #shutdown(): Promise<void> {
    this.#active = false;
    this.#participant?.unregister();
    this.status = { message: "Stopped", isDataAvailable: false, isTriggerActive: false };
    const errors = await stopQueryParts({ sources: this.#sources, physical: this.physical ?? null, sink: this.#sink ?? null, lock: this.#lock });
    for (const e of errors) log.warn(`error while stopping query ${this.id}: ${(e as Error).message}`);
    this.#idleWaiters.end(this.exception);
    this.options.listeners.post("onQueryTerminated", {
      id: this.id, runId: this.runId,
      exception: this.exception ? this.exception.message : null,
      errorClassOnException: this.exception ? ((this.exception.cause as Error | undefined)?.name ?? null) : null,
    });
    this.#resolveTerminated();
  }
}
