import { randomUUID } from "node:crypto";
import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { Logger } from "../common/log.ts";
import { StreamingQueryException } from "../common/errors.ts";
import { fromRecordBatch, toArrowTable } from "../columnar/arrow-convert.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { takesColumns, type OutputMode, type Sink } from "../connectors/sink.ts";
import type { Offset, Source } from "../connectors/source.ts";
import type { EvalContext } from "../expr/eval-context.ts";
import { schemaOf } from "../expr/scope.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { BatchContext, DeferredRead, StateContext, StatefulOperator } from "../physical/exec-operator.ts";
import { FlatMapGroupsWithStateExec } from "../physical/operators/flat-map-groups-with-state-exec.ts";
import { planPhysical, type PhysicalQuery } from "../physical/planner.ts";
import { createStateStoreProvider } from "../state/create-state-store-provider.ts";
import {
  chooseStateStoreProvider, parseByteSize, recordedStateStoreProvider, type StateStoreProviderName,
} from "../state/state-store-provider-choice.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import type { StructType } from "../types/data-types.ts";
import { CheckpointLock } from "../checkpoint/checkpoint-lock.ts";
import { CheckpointPaths } from "../checkpoint/paths.ts";
import { openCheckpoint, type CheckpointLogs } from "./checkpoint-logs.ts";
import type { ListenerBus } from "./query-listener.ts";
import { eventTimeString, StreamingQueryProgress, type SourceProgress, type StreamingQueryStatus } from "./progress.ts";
import type { Trigger } from "./trigger.ts";
import { WatermarkTracker } from "./watermark-tracker.ts";
import { StateSchemaCheck } from "./state-schema-check.ts";
import { LateRowsWriter } from "./late-rows.ts";
import { sessionZone } from "./time-zone.ts";
import { SystemClock, type Clock, type ClockParticipant } from "./clock.ts";
import { parseDuration } from "../common/duration.ts";

const log = new Logger("MicroBatchExecution");
const POLL_INTERVAL_MS = 10;

export interface ExecutionOptions {
  readonly id: string;
  readonly name: string | null;
  readonly plan: LogicalPlan;
  /** Makes the sink when the query starts (connecting to a database may take a while or fail). */
  readonly createSink: () => Sink | Promise<Sink>;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly checkpointLocation: string | null;
  readonly conf: RuntimeConfig;
  readonly listeners: ListenerBus;
  /** Directory for rows dropped as late (option `lateRows.path`); null to drop them as Spark does. */
  readonly lateRowsPath?: string | null;
  /** The session's clock: triggers, batch timestamps and watermark idleness read it. */
  readonly clock?: Clock;
  /** Kept by a restart from the checkpoint (the same run, from the user's side); new otherwise. */
  readonly runId?: string;
  /**
   * Takes the checkpoint's lock for this run (CheckpointLock.acquire by default, released
   * when the run ends). A supervisor that restarts runs passes one that holds the lock from
   * the first run to the last, through the waits between them.
   */
  readonly takeLock?: (paths: CheckpointPaths, ids: { queryId: string; runId: string }) => Promise<{ release(): Promise<void> }>;
}

function sameOffset(a: Offset | null | undefined, b: Offset | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

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
  #pendingRerun: { offsets: (Offset | null)[]; watermarkMicros: number } | null = null;
  #batchWatermark = -Infinity;
  #watermark!: WatermarkTracker;
  #lastTriggerStart = 0;
  #idleGeneration = 0;
  #idleWaiters: { after: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #terminated: Promise<void>;
  #resolveTerminated!: () => void;
  #wake: (() => void) | null = null;
  readonly #clock: Clock;
  #participant: ClockParticipant | null = null;
  readonly #idleTimeoutMs: number | null;
  #sourceLastArrival: number[] = [];
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
      scan.source.createSource({ metadataPath: this.#logs?.paths.source(i) ?? null, conf, bounded: false }),
    );
    this.#committed = this.#sources.map(() => null);
    await Promise.all(this.#sources.map((s) => s.open?.()));
    this.#watermark = new WatermarkTracker((conf.get(ConfKeys.multipleWatermarkPolicy) ?? "min").toLowerCase() as "min" | "max");
    await this.#recover();
    const stateContext: StateContext = {
      startVersion: this.#nextBatchId,
      durable: Boolean(this.#logs),
      provider: (operatorId, partition) => {
        const provider: StateStoreProvider = createStateStoreProvider(this.#stateProvider, this.#logs?.paths ?? null, operatorId, partition, {
          minDeltasForSnapshot: conf.getNumber(ConfKeys.stateSnapshotInterval),
          localDir: conf.get(ConfKeys.stateStoreLocalDir),
          memoryBudgetBytes: parseByteSize(ConfKeys.stateStoreMemoryBudget, conf.get(ConfKeys.stateStoreMemoryBudget)!),
        });
        this.#providers.push(provider);
        return provider;
      },
    };
    for (const op of this.physical.statefulOperators) await op.open?.(stateContext);
    this.options.listeners.post("onQueryStarted", { id: this.id, runId: this.runId, name: this.options.name, timestamp: new Date(this.#clock.now()).toISOString() });
    void this.#runLoop();
  }

  /**
   * A checkpoint fixes how many partitions the state has (Spark fixes shuffle partitions
   * the same way): a restart plans with the number its offset log recorded, whatever the
   * session says now. Checkpoints from before the setting existed have one.
   */
  async #keepCheckpointStatePartitions(): Promise<void> {
    const latest = await this.#logs?.offsets.getLatest();
    if (!latest) return;
    // As Spark keeps the checkpoint's spark.sql.streaming.stateStore.providerClass: the state is in its files.
    const provider = recordedStateStoreProvider(latest.entry.metadata.conf?.[ConfKeys.stateStoreProvider]);
    if (provider !== this.#stateProvider) {
      log.info(`query ${this.id}: keeping the checkpoint's state store provider '${provider}' (the session asks for '${this.#stateProvider}')`);
      this.#stateProvider = provider;
    }
    const recorded = latest.entry.metadata.conf?.[ConfKeys.statePartitions] || "1";
    if (recorded === this.#planConf.get(ConfKeys.statePartitions)) return;
    log.info(`query ${this.id}: keeping the checkpoint's ${ConfKeys.statePartitions}=${recorded}`);
    this.#planConf = this.#planConf.snapshot();
    this.#planConf.set(ConfKeys.statePartitions, recorded);
    this.physical = planPhysical(this.options.plan, this.#planConf, this.options.outputMode, this.#lateRows !== null);
  }

  /** start() failed (bad checkpoint, unreachable source…): the query ends with that error. */
  async failBeforeStart(error: unknown): Promise<void> {
    if (this.#stoppedWhileWaiting(error)) return this.#shutdown();
    this.#stopRequested = true;
    this.exception = new StreamingQueryException(
      `Query ${this.options.name ?? this.id} [id = ${this.id}, runId = ${this.runId}] failed to start: ${(error as Error).message}`,
      this.id, this.runId, { cause: error },
    );
    log.error(this.exception.message);
    await this.#shutdown();
  }

  async #recover(): Promise<void> {
    if (!this.#logs) return;
    const latest = await this.#logs.offsets.getLatest();
    if (latest === null) return;
    const commit = await this.#logs.commits.getLatest();
    const watermarkAfter = (us: number | undefined): number => (us === undefined || us <= 0 ? -Infinity : us);
    if (commit !== null && commit.batchId === latest.batchId) {
      this.#nextBatchId = latest.batchId + 1;
      this.#committed = [...latest.entry.offsets];
      this.#batchWatermark = watermarkAfter(latest.entry.metadata.batchWatermarkUs);
      this.#watermark = new WatermarkTracker(this.#watermark.policy, watermarkAfter(commit.entry.nextBatchWatermarkUs), commit.entry.operatorWatermarksUs);
      log.info(`resuming query ${this.id} at batch ${this.#nextBatchId}`);
    } else {
      const previous = latest.batchId > 0 ? await this.#logs.offsets.get(latest.batchId - 1) : null;
      this.#nextBatchId = latest.batchId;
      this.#committed = previous ? [...previous.offsets] : this.#sources.map(() => null);
      const wm = watermarkAfter(latest.entry.metadata.batchWatermarkUs);
      this.#batchWatermark = watermarkAfter(previous?.metadata.batchWatermarkUs);
      this.#pendingRerun = { offsets: [...latest.entry.offsets], watermarkMicros: wm };
      // Each input's watermark as the batch before left it: the re-run batch's rows advance them as the first run's did.
      const before = commit !== null && commit.batchId === latest.batchId - 1 ? commit.entry.operatorWatermarksUs : undefined;
      this.#watermark = new WatermarkTracker(this.#watermark.policy, wm, before);
      log.info(`re-running uncommitted batch ${latest.batchId} of query ${this.id} with its logged offsets`);
    }
  }

  async #runLoop(): Promise<void> {
    const { trigger } = this.options;
    try {
      while (!this.#stopRequested) {
        const ran = await this.#runOneBatch();
        if (this.#stopRequested) break;
        if (!ran) {
          this.#idleGeneration++;
          this.#notifyIdle();
          if (trigger.kind === "availableNow" || trigger.kind === "once") break;
          this.status = { message: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
        } else if (trigger.kind === "once") {
          // Trigger.Once: one batch of what is there, plus the no-data batch a moved watermark needs.
          if (!(await this.#needsNoDataBatch())) break;
          continue;
        }
        const now = this.#clock.now();
        if (trigger.kind === "processingTime" && trigger.intervalMs > 0) {
          // Spark's ProcessingTimeExecutor: batches start on multiples of the interval.
          await this.#sleepUntil(Math.floor(now / trigger.intervalMs) * trigger.intervalMs + trigger.intervalMs);
        } else if (!ran) {
          await this.#sleepUntil(now + POLL_INTERVAL_MS);
        }
      }
    } catch (error) {
      if (!this.#stoppedWhileWaiting(error)) {
        this.exception = new StreamingQueryException(
          `Query ${this.options.name ?? this.id} [id = ${this.id}, runId = ${this.runId}] terminated with exception: ${(error as Error).message}`,
          this.id, this.runId, { cause: error },
        );
        log.error(this.exception.message);
      }
    } finally {
      await this.#shutdown();
    }
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

  async #needsNoDataBatch(): Promise<boolean> {
    if (!this.options.conf.getBoolean(ConfKeys.noDataMicroBatches)) return false;
    // Processing-time timeouts of [flat]mapGroupsWithState fire on time alone (Spark runs a
    // no-data batch every trigger for them).
    if (this.options.trigger.kind === "processingTime" && this.options.trigger.intervalMs > 0 && this.physical!.statefulOperators.some(hasProcessingTimeTimeout)) return true;
    if (this.physical!.statefulOperators.length === 0 || this.physical!.watermarks.length === 0) return false;
    // Idle inputs let the watermark move with processing time even when no row arrives.
    if (this.#idleTimeoutMs !== null) this.#watermark.advance(this.#clock.now(), this.#idleTimeoutMs);
    return this.#watermark.currentMicros > this.#batchWatermark;
  }

  /** Plans and runs the next batch if there is new data (or a no-data batch is due); false when idle. */
  async #runOneBatch(): Promise<boolean> {
    const triggerStart = performance.now();
    const triggerTimestamp = this.#clock.now();
    const durations: Record<string, number> = {};
    let ends: (Offset | null)[];
    let latest: (Offset | null)[];
    let batchWatermark: number;
    const batchId = this.#nextBatchId;
    if (this.#pendingRerun) {
      ends = this.#pendingRerun.offsets;
      latest = ends;
      batchWatermark = this.#pendingRerun.watermarkMicros;
      this.#pendingRerun = null;
    } else {
      const t0 = performance.now();
      latest = await Promise.all(this.#sources.map((s, i) => s.latestOffset(this.#committed[i] ?? null)));
      durations.latestOffset = performance.now() - t0;
      const hasData = latest.some((o, i) => o !== null && !sameOffset(o, this.#committed[i]));
      if (!hasData && !(await this.#needsNoDataBatch())) return false;
      ends = latest.map((o, i) => o ?? this.#committed[i] ?? null);
      batchWatermark = this.#watermark.currentMicros;
      const t1 = performance.now();
      if (this.#logs) {
        await this.#logs.offsets.addNew(batchId, {
          offsets: ends,
          metadata: {
            batchWatermarkMs: Number.isFinite(batchWatermark) ? Math.floor(batchWatermark / 1000) : 0,
            batchWatermarkUs: Number.isFinite(batchWatermark) ? batchWatermark : 0,
            batchTimestampMs: this.#clock.now(),
            conf: this.#loggedConf(),
          },
        });
      }
      durations.walCommit = performance.now() - t1;
    }
    this.status = { message: "Processing new data", isDataAvailable: true, isTriggerActive: true };
    // The batch before's watermark: operators above another stateful operator drop late rows against it.
    const lateEventsWatermark = this.#batchWatermark;
    this.#batchWatermark = batchWatermark;

    // Read this batch's rows from every source.
    const t2 = performance.now();
    const sourceData = new Map<number, ColumnBatch[]>();
    const deferredReads = new Map<number, DeferredRead>();
    const rowsPerSource: number[] = [];
    await Promise.all(this.#sources.map(async (source, i) => {
      const start = this.#committed[i] ?? null;
      const end = ends[i] ?? null;
      if (end === null || sameOffset(start, end)) { sourceData.set(i, []); rowsPerSource[i] = 0; return; }
      const scan = this.physical!.streamingScans[i]!;
      const columns = scan.columns.map((c) => scan.source.schema.fields[c]!.name);
      const request = { columns, filters: scan.pushedFilters };
      if (this.physical!.deferredScans.has(i)) {
        // Read by the operator that needs it (in worker threads); it reports the rows it read.
        deferredReads.set(i, { source, start, end, request, rowsRead: 0 });
        sourceData.set(i, []);
        return;
      }
      const rbs = await source.getBatch(start, end, request);
      const batches = rbs.map((rb) => fromRecordBatch(rb, rb.numCols === scan.source.schema.fields.length ? scan.source.schema : schemaOf(scan.output)));
      sourceData.set(i, batches);
      rowsPerSource[i] = batches.reduce((n, b) => n + b.numRows, 0);
    }));
    durations.getBatch = performance.now() - t2;

    // Run the incremental plan and hand the result to the sink.
    const t3 = performance.now();
    const evalContext: EvalContext = { batchTimestampMicros: this.#clock.now() * 1000, timeZoneId: sessionZone(this.options.conf).id };
    const ctx: BatchContext = {
      batchId, eval: evalContext, sourceData, watermarkMicros: batchWatermark, lateEventsWatermarkMicros: lateEventsWatermark,
      outputMode: this.options.outputMode, streaming: true, lateRows: this.#lateRows, deferredReads,
    };
    const output = await this.physical!.root.execute(ctx);
    for (const [i, read] of deferredReads) rowsPerSource[i] = read.rowsRead;
    await this.#lateRows?.flush(batchId);
    const outputBatches = output.map((b) => b.withSchema(this.#outputSchema));
    const outputRows = outputBatches.reduce((n, b) => n + b.numRows, 0);
    const sink = this.#sink!;
    if (takesColumns(sink)) await sink.addColumnBatches(batchId, outputBatches, this.options.outputMode);
    else await sink.addBatch(batchId, toArrowTable(this.#outputSchema, outputBatches), this.options.outputMode);
    durations.addBatch = performance.now() - t3;

    // Advance the watermark from this batch's event times, then commit.
    const now = this.#clock.now();
    for (const [k, w] of this.physical!.watermarks.entries()) this.#watermark.observe(k, w.stats, w.delayMicros, now);
    this.#watermark.advance(now, this.#idleTimeoutMs);
    rowsPerSource.forEach((n, i) => { if (n > 0) this.#sourceLastArrival[i] = now; });
    const t4 = performance.now();
    if (this.#logs) {
      const next = this.#watermark.currentMicros;
      await this.#logs.commits.addNew(batchId, {
        nextBatchWatermarkMs: Number.isFinite(next) ? Math.floor(next / 1000) : 0,
        nextBatchWatermarkUs: Number.isFinite(next) ? next : 0,
        operatorWatermarksUs: this.#watermark.perOperatorMicros(),
      });
      await this.#stateSchemas?.recordAfterCommit();
    }
    const previous = this.#committed;
    this.#committed = ends;
    this.#nextBatchId = batchId + 1;
    await Promise.all(this.#sources.map((s, i) => (ends[i] !== null && s.commit ? s.commit(ends[i]!) : undefined)));
    await this.#purge(batchId);
    durations.commitOffsets = performance.now() - t4;
    durations.triggerExecution = performance.now() - triggerStart;
    this.#reportProgress(batchId, durations, previous, ends, latest, rowsPerSource, outputRows, triggerStart, triggerTimestamp, batchWatermark);
    return true;
  }

  #loggedConf(): Record<string, string> {
    const all = this.#planConf.getAll();
    const keys = [ConfKeys.multipleWatermarkPolicy, ConfKeys.shufflePartitions, ConfKeys.statePartitions, ConfKeys.noDataMicroBatches, ConfKeys.sessionTimeZone];
    return { ...Object.fromEntries(keys.map((k) => [k, all[k] ?? ""])), [ConfKeys.stateStoreProvider]: this.#stateProvider };
  }

  async #purge(batchId: number): Promise<void> {
    if (!this.#logs) return;
    const retain = this.options.conf.getNumber(ConfKeys.minBatchesToRetain);
    const threshold = batchId + 1 - retain;
    if (threshold <= 0) return;
    await this.#logs.offsets.purge(threshold);
    await this.#logs.commits.purge(threshold);
    for (const p of this.#providers) await p.purge?.(threshold);
  }

  #reportProgress(
    batchId: number, durations: Record<string, number>, starts: (Offset | null)[], ends: (Offset | null)[],
    latest: (Offset | null)[], rows: number[], outputRows: number, triggerStart: number, triggerTimestamp: number, watermark: number,
  ): void {
    const elapsedSinceLast = this.#lastTriggerStart > 0 ? (triggerStart - this.#lastTriggerStart) / 1000 : 0;
    this.#lastTriggerStart = triggerStart;
    const processingSeconds = (durations.triggerExecution ?? 0) / 1000;
    const sources: SourceProgress[] = this.#sources.map((s, i) => ({
      description: s.description,
      startOffset: starts[i] ?? null,
      endOffset: ends[i] ?? null,
      latestOffset: s.reportLatestOffset?.() ?? latest[i] ?? null,
      numInputRows: rows[i] ?? 0,
      inputRowsPerSecond: elapsedSinceLast > 0 ? (rows[i] ?? 0) / elapsedSinceLast : 0,
      processedRowsPerSecond: processingSeconds > 0 ? (rows[i] ?? 0) / processingSeconds : 0,
      metrics: { ...(s.metrics?.(ends[i] ?? null) ?? {}), ...(this.#idleTimeoutMs !== null ? { isIdle: String(this.#isIdleSource(i)) } : {}) },
    }));
    const eventTime: Record<string, string> = {};
    const stats = this.physical!.watermarks.map((w) => w.stats).filter((s) => s.count > 0);
    if (stats.length > 0) {
      const count = stats.reduce((n, s) => n + s.count, 0);
      eventTime.avg = eventTimeString(stats.reduce((n, s) => n + s.sum, 0) / count);
      eventTime.max = eventTimeString(Math.max(...stats.map((s) => s.max)));
      eventTime.min = eventTimeString(Math.min(...stats.map((s) => s.min)));
    }
    if (this.physical!.watermarks.length > 0) eventTime.watermark = eventTimeString(Number.isFinite(watermark) ? watermark : 0);
    const rounded = Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, Math.round(v)]));
    const progress = new StreamingQueryProgress(
      this.id, this.runId, this.options.name, new Date(triggerTimestamp).toISOString(), batchId,
      Math.round(durations.triggerExecution ?? 0), rounded, eventTime,
      this.physical!.statefulOperators.map((o) => o.stateMetrics()),
      sources,
      { description: this.#sink!.description, numOutputRows: this.#sink!.lastBatchRows ?? outputRows, metrics: this.#sink!.metrics?.() ?? {} },
    );
    this.recentProgress.push(progress);
    const keep = this.options.conf.getNumber(ConfKeys.numRecentProgressUpdates);
    while (this.recentProgress.length > keep) this.recentProgress.shift();
    this.options.listeners.post("onQueryProgress", { progress });
  }

  /** A source that has produced no row for longer than the idle timeout (or never). */
  #isIdleSource(index: number): boolean {
    const at = this.#sourceLastArrival[index];
    return this.#idleTimeoutMs !== null && (at === undefined || this.#clock.now() - at > this.#idleTimeoutMs);
  }

  #notifyIdle(): void {
    const ready = this.#idleWaiters.filter((w) => w.after < this.#idleGeneration);
    this.#idleWaiters = this.#idleWaiters.filter((w) => w.after >= this.#idleGeneration);
    for (const w of ready) w.resolve();
  }

  /** Resolves once every row available now has been processed (and the no-data batches that follow). */
  processAllAvailable(): Promise<void> {
    if (!this.#active) return this.exception ? Promise.reject(this.exception) : Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#idleWaiters.push({ after: this.#idleGeneration, resolve, reject });
      this.#wake?.();
    });
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
    const errors: unknown[] = [];
    for (const s of this.#sources) await s.stop().catch((e: unknown) => errors.push(e));
    if (this.physical) for (const op of this.physical.statefulOperators) await op.close?.().catch((e: unknown) => errors.push(e));
    if (this.physical) for (const scan of this.physical.rereadScans) await scan.close().catch((e: unknown) => errors.push(e));
    await this.#sink?.stop?.().catch((e: unknown) => errors.push(e));
    await this.#lock?.release().catch((e: unknown) => errors.push(e));
    for (const e of errors) log.warn(`error while stopping query ${this.id}: ${(e as Error).message}`);
    for (const w of this.#idleWaiters) (this.exception ? w.reject(this.exception) : w.resolve());
    this.#idleWaiters = [];
    this.options.listeners.post("onQueryTerminated", {
      id: this.id, runId: this.runId,
      exception: this.exception ? this.exception.message : null,
      errorClassOnException: this.exception ? ((this.exception.cause as Error | undefined)?.name ?? null) : null,
    });
    this.#resolveTerminated();
  }
}

function hasProcessingTimeTimeout(op: StatefulOperator): boolean {
  return op instanceof FlatMapGroupsWithStateExec && op.node.stateful && op.node.timeout === "ProcessingTimeTimeout";
}
