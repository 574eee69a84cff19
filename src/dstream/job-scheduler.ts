import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { unlink } from "node:fs/promises";
import { errorCode } from "../common/atomic-file.ts";
import { InternalError, StateError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import { CheckpointLock } from "../checkpoint/checkpoint-lock.ts";
import { CommitLog, CommitMetadata } from "../checkpoint/commit-log.ts";
import { CheckpointPaths } from "../checkpoint/paths.ts";
import { loadOrCreateStreamMetadata } from "../checkpoint/stream-metadata.ts";
import type { Offset } from "../connectors/source.ts";
import { ManualClock, type Clock, type ClockParticipant } from "../execution/clock.ts";
import type { Session } from "../session/session.ts";
import { FileStateStoreProvider } from "../state/file-state-store-provider.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import { DStreamBatchLog, latestBatchTimeSync, type DStreamBatch } from "./dstream-batch-log.ts";
import type { DStreamGraph } from "./dstream-graph.ts";
import type { InputBatch, RunContext } from "./dstream-op.ts";

const log = new Logger("rivulet.dstream.JobScheduler");

/** Commit files kept behind the newest (only the newest is read on restart). */
const COMMITS_TO_KEEP = 10;
/** State versions kept beyond what windows need, and how often old state files are purged. */
const STATE_VERSIONS_TO_KEEP = 10;
const STATE_PURGE_EVERY = 10;

export interface JobSchedulerOptions {
  readonly graph: DStreamGraph;
  readonly session: Session;
  readonly clock: Clock;
  readonly batchDurationMs: number;
  readonly checkpointDir: string | null;
}

interface Logs {
  readonly paths: CheckpointPaths;
  readonly batches: DStreamBatchLog;
  readonly commits: CommitLog;
}

/**
 * Spark's JobScheduler + JobGenerator for one StreamingContext: waits on the clock for
 * each batch time, takes what every input got since the previous batch, writes that
 * ahead (`batches/<id>`), computes the stateful streams (each batch is a version of
 * their state store), runs the outputs in order, then writes `commits/<id>`. It is the
 * structured engine's cycle (offsets WAL → run → sink → commit log) with DStream batch
 * times as batch ids, on the same clock, log files, atomic writes and state stores.
 *
 * Restart: the newest logged batch is re-run with its logged inputs if it has no commit;
 * batches then follow from the logged times (on a manual clock, the clock is moved to
 * the last logged batch time, Spark's `manualClock.jump`).
 */
export class JobScheduler {
  readonly #options: JobSchedulerOptions;
  readonly #participant: ClockParticipant;
  readonly #abort = new AbortController();
  readonly #done: Promise<void>;
  readonly #providers = new Map<number, StateStoreProvider<any>>();
  #stopRequested = false;
  #graceful = false;
  #logs: Logs | null = null;
  #lock: CheckpointLock | null = null;
  #pendingRerun: { batchId: number; entry: DStreamBatch } | null = null;
  #context: SchedulerContext | null = null;
  #nextTime = 0;
  /** The zero time of a fresh start, fixed when start() is called (Spark's JobGenerator.startFirstTime). */
  readonly #freshZeroTime: number;
  /** Why the context stopped, if a batch or the start failed. */
  error: unknown = null;
  /** Batch times completed in this run. */
  readonly completedBatches: number[] = [];

  constructor(options: JobSchedulerOptions) {
    this.#options = options;
    // Registered at once (not after the asynchronous start) so that a manual clock's
    // advance() waits for the start and the batches it makes due.
    this.#participant = options.clock.register();
    if (options.checkpointDir !== null && options.clock instanceof ManualClock) {
      // Recovering on a new manual clock (which starts at 0): continue at the checkpoint's
      // time (Spark's manualClock.jump). Not awaited: the clock would wait for this scheduler.
      const last = latestBatchTimeSync(join(new CheckpointPaths(options.checkpointDir).root, "batches"));
      if (last !== null && options.clock.now() < last) void options.clock.setTime(last);
    }
    this.#freshZeroTime = Math.floor(options.clock.now() / options.batchDurationMs) * options.batchDurationMs;
    this.#done = this.#run();
  }

  /** Resolves when the scheduler stopped (never rejects: see `error`). */
  get done(): Promise<void> {
    return this.#done;
  }

  /** Stops after the batch running now; a graceful stop first runs one more batch for data already received. */
  requestStop(graceful: boolean): Promise<void> {
    this.#stopRequested = true;
    this.#graceful = graceful;
    this.#abort.abort();
    return this.#done;
  }

  async #run(): Promise<void> {
    try {
      await this.#startUp();
      while (!this.#stopRequested) {
        await this.#participant.waitTillTime(this.#nextTime, this.#abort.signal);
        if (this.#stopRequested) break;
        await this.#runBatch(this.#nextTime);
        this.#nextTime += this.#options.batchDurationMs;
      }
      if (this.#graceful && this.#context !== null && (await this.#hasPendingData())) await this.#runBatch(this.#nextTime);
    } catch (error) {
      this.error = error;
      log.error(`streaming job failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await this.#shutDown();
      this.#participant.unregister();
    }
  }

  async #startUp(): Promise<void> {
    const { graph, session, batchDurationMs, checkpointDir } = this.#options;
    let latest: { batchId: number; entry: DStreamBatch } | null = null;
    if (checkpointDir !== null) {
      const paths = new CheckpointPaths(checkpointDir);
      const metadata = await loadOrCreateStreamMetadata(paths, graph.fingerprint());
      // One writer per checkpoint, as for structured queries: held until #shutDown.
      this.#lock = await CheckpointLock.acquire(paths, { queryId: metadata.id, runId: randomUUID() });
      this.#logs = { paths, batches: new DStreamBatchLog(join(paths.root, "batches")), commits: new CommitLog(paths.commits) };
      latest = await this.#logs.batches.getLatest();
    }
    let zeroTime: number;
    if (latest !== null) {
      const { entry, batchId } = latest;
      if (entry.batchDurationMs !== batchDurationMs) {
        throw new StateError(
          `checkpoint at ${checkpointDir} was written with a batch interval of ${entry.batchDurationMs / 1000} s, ` +
            `but this StreamingContext has ${batchDurationMs / 1000} s; use the same interval or a new checkpoint directory`,
        );
      }
      zeroTime = entry.zeroTimeMs;
      const committed = (await this.#logs!.commits.get(batchId)) !== null;
      this.#nextTime = committed ? entry.batchTimeMs + batchDurationMs : entry.batchTimeMs;
      if (!committed) this.#pendingRerun = latest;
      log.info(`recovering from ${checkpointDir}: ${committed ? "resuming after" : "re-running"} batch ${batchId} (time ${entry.batchTimeMs} ms)`);
      await this.#purgeLogsAtStart(batchId);
    } else {
      zeroTime = this.#freshZeroTime;
      this.#nextTime = zeroTime + batchDurationMs;
    }
    this.#context = new SchedulerContext(session, zeroTime, batchDurationMs, this.#logs, (id) => this.#provider(id));
    for (const [i, input] of graph.inputs.entries()) {
      await input.start({ session, metadataPath: this.#logs?.paths.source(i) ?? null, lastEntry: latest?.entry.inputs[i] });
    }
  }

  #provider(operatorId: number): StateStoreProvider<any> {
    let provider = this.#providers.get(operatorId);
    if (provider === undefined) {
      if (this.#logs === null) throw new InternalError("a stateful DStream runs without a checkpoint directory");
      provider = FileStateStoreProvider.forOperator(this.#logs.paths, operatorId, 0);
      this.#providers.set(operatorId, provider);
    }
    return provider;
  }

  #batchId(time: number): number {
    return Math.round((time - this.#context!.zeroTime) / this.#options.batchDurationMs) - 1;
  }

  async #runBatch(time: number): Promise<void> {
    const { graph } = this.#options;
    const ctx = this.#context!;
    const batchId = this.#batchId(time);
    ctx.currentTime = time;
    let inputs: InputBatch<unknown>[];
    if (this.#pendingRerun !== null && this.#pendingRerun.batchId === batchId) {
      const entry = this.#pendingRerun.entry;
      inputs = graph.inputs.map((input, i) => input.restore(entry.inputs[i] ?? null));
      this.#pendingRerun = null;
    } else {
      inputs = [];
      for (const input of graph.inputs) inputs.push(await input.nextBatch(time));
      if (this.#logs !== null) {
        const entry: DStreamBatch = {
          batchTimeMs: time, batchDurationMs: this.#options.batchDurationMs, zeroTimeMs: ctx.zeroTime,
          inputs: inputs.map((b) => b.entry()),
        };
        await this.#logs.batches.addNew(batchId, entry);
      }
    }
    graph.inputs.forEach((input, i) => input.assign(time, inputs[i]!));
    // Stateful streams follow every batch (their state versions are consecutive), even
    // when no output asks for this time's batch.
    for (const s of graph.stateful) await s.getOrCompute(time, ctx);
    for (const output of graph.outputs) await output.run(time, ctx);
    if (this.#logs !== null) await this.#logs.commits.addNew(batchId, CommitMetadata.create(0));
    for (const s of graph.streams) s.forgetOld(time);
    await this.#purge(batchId, time);
    this.completedBatches.push(time);
    if (this.completedBatches.length > 1000) this.completedBatches.splice(0, this.completedBatches.length - 1000);
  }

  /** How many logged batches the inputs' longest remember duration needs (recomputing windows after a restart). */
  #batchesToKeep(): number {
    const remember = Math.max(0, ...this.#options.graph.streams.filter((s) => s.op.parents.length === 0).map((s) => s.rememberDuration));
    return Math.ceil(remember / this.#options.batchDurationMs) + 1;
  }

  /** Drops the log entry and state files that just left the retention window: single files, no directory listing. */
  async #purge(batchId: number, time: number): Promise<void> {
    if (this.#logs === null) return;
    const old = batchId - this.#batchesToKeep();
    if (old >= 0) await this.#logs.batches.remove(old);
    if (batchId - COMMITS_TO_KEEP >= 0) await removeFile(this.#logs.commits.fileFor(batchId - COMMITS_TO_KEEP));
    if (batchId % STATE_PURGE_EVERY !== 0) return;
    for (const s of this.#options.graph.stateful) {
      const provider = this.#providers.get(s.op.operatorId!);
      if (!(provider instanceof FileStateStoreProvider)) continue;
      const version = Math.floor((time - this.#context!.zeroTime) / s.slideDuration);
      const keep = Math.ceil(s.rememberDuration / s.slideDuration) + STATE_VERSIONS_TO_KEEP;
      if (version - keep > 0) await provider.purge(version - keep);
    }
  }

  async #purgeLogsAtStart(latestBatchId: number): Promise<void> {
    await this.#logs!.commits.purge(latestBatchId - COMMITS_TO_KEEP);
  }

  async #hasPendingData(): Promise<boolean> {
    for (const input of this.#options.graph.inputs) if (await input.hasPendingData()) return true;
    return false;
  }

  async #shutDown(): Promise<void> {
    for (const input of this.#options.graph.inputs) {
      await input.stop().catch((e: unknown) => log.warn(`error while stopping ${input.kind}: ${String(e)}`));
    }
    for (const provider of this.#providers.values()) await provider.close().catch(() => undefined);
    for (const s of this.#options.graph.streams) s.forgetAll();
    await this.#lock?.release().catch((e: unknown) => log.warn(`could not release the checkpoint lock: ${String(e)}`));
  }
}

async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (errorCode(error) !== "ENOENT") throw error;
  });
}

/** The RunContext of one scheduler run. */
class SchedulerContext implements RunContext {
  currentTime = 0;
  #cachedEntry: { batchId: number; entry: DStreamBatch | null } | null = null;

  constructor(
    readonly session: Session,
    readonly zeroTime: number,
    readonly batchDuration: number,
    readonly logs: Logs | null,
    readonly stateProvider: <V>(operatorId: number) => StateStoreProvider<V>,
  ) {}

  get checkpoint(): CheckpointPaths | null {
    return this.logs?.paths ?? null;
  }

  async loggedInput(time: number, inputIndex: number): Promise<Offset | undefined> {
    if (this.logs === null) return undefined;
    const batchId = Math.round((time - this.zeroTime) / this.batchDuration) - 1;
    if (batchId < 0) return undefined;
    if (this.#cachedEntry?.batchId !== batchId) this.#cachedEntry = { batchId, entry: await this.logs.batches.get(batchId) };
    return this.#cachedEntry.entry?.inputs[inputIndex];
  }
}
