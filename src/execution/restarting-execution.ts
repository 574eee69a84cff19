import { CheckpointLock } from "../checkpoint/checkpoint-lock.ts";
import type { CheckpointPaths } from "../checkpoint/paths.ts";
import { formatDuration } from "../common/duration.ts";
import type { StreamingQueryException } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import type { SinkStatusListener, SinkWaiting } from "../connectors/sink.ts";
import { MicroBatchExecution, type ExecutionOptions } from "./micro-batch-execution.ts";
import type { StreamingQueryProgress, StreamingQueryStatus } from "./progress.ts";
import type { ListenerBus, QueryTerminatedEvent } from "./query-listener.ts";
import { nextRestartDelay, notRestartableBecause, type RestartStrategy } from "./restart-strategy.ts";

const log = new Logger("RestartingExecution");
const POLL_MS = 20;

export interface RestartingExecutionOptions extends ExecutionOptions {
  readonly restartStrategy: RestartStrategy;
  /** Called first by stop(): ends a sink's wait on a system that is down (SinkContext.stopping). */
  readonly onStop?: () => void;
}

/** "next in 4 s", "next in 0.2 s". */
function seconds(ms: number): string {
  return ms < 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * A query's run as its user sees it: one MicroBatchExecution after another. When one
 * fails and the restart strategy allows, a new one is made with the same id, run id and
 * checkpoint, so it re-runs the uncommitted batch with its logged offsets and the sinks
 * skip what they already have: exactly once holds across the restart. Listeners hear
 * onQueryStarted and onQueryTerminated once; `exception` and `terminated` tell only the
 * final outcome. It is also where sinks report waiting on a database that went away.
 */
export class RestartingExecution implements SinkStatusListener {
  readonly id: string;
  readonly runId: string;
  #current: MicroBatchExecution;
  #attempts = 0;
  #restartTimes: number[] = [];
  #finished = false;
  #stopRequested = false;
  #wake: (() => void) | null = null;
  #heldTermination: QueryTerminatedEvent | null = null;
  #startedPosted = false;
  #waiting: SinkWaiting | null = null;
  #restarting: string | null = null;
  #sinkRetries = 0;
  /** The checkpoint's lock, taken by the first run and held through every restart until the query ends. */
  #lock: CheckpointLock | null = null;
  #terminated: Promise<void>;
  #resolveTerminated!: () => void;

  constructor(readonly settings: RestartingExecutionOptions) {
    this.#current = this.#attempt();
    this.id = this.#current.id;
    this.runId = this.#current.runId;
    this.#terminated = new Promise((resolve) => { this.#resolveTerminated = resolve; });
  }

  get options(): ExecutionOptions { return this.#current.options; }
  get physical(): MicroBatchExecution["physical"] { return this.#current.physical; }
  get isActive(): boolean { return !this.#finished; }
  get exception(): StreamingQueryException | null { return this.#finished ? this.#current.exception : null; }
  get recentProgress(): StreamingQueryProgress[] { return this.#current.recentProgress; }
  get lastProgress(): StreamingQueryProgress | null { return this.#current.lastProgress; }
  /** Retries its sink made in this run (all restarts included). */
  get sinkRetries(): number { return this.#sinkRetries; }

  get status(): StreamingQueryStatus {
    if (this.#finished) return this.#current.status;
    if (this.#restarting !== null) return { message: this.#restarting, isDataAvailable: false, isTriggerActive: false };
    const w = this.#waiting;
    if (w !== null) return { message: `Waiting for the sink: ${w.error} (retry ${w.retry}, next in ${seconds(w.nextInMs)})`, isDataAvailable: true, isTriggerActive: true };
    return this.#current.status;
  }

  /** Resolves when the query has stopped for good (normally, or by a failure not restarted). */
  get terminated(): Promise<void> {
    return this.#terminated;
  }

  /** Runs the first execution (and the restarts) in the background. */
  async start(): Promise<void> {
    void this.#supervise();
  }

  waiting(event: SinkWaiting): void {
    this.#waiting = event;
    this.#sinkRetries++;
    this.#postWaiting(this.status.message);
  }

  recovered(_sink: string): void {
    if (this.#waiting === null) return;
    this.#waiting = null;
    this.#postWaiting(null);
  }

  async processAllAvailable(): Promise<void> {
    for (;;) {
      const run = this.#current;
      try {
        await run.processAllAvailable();
        return;
      } catch (error) {
        // The run failed: wait for a restart to take over, or rethrow the final failure.
        while (!this.#finished && this.#current === run) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (this.#finished) throw this.exception ?? error;
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopRequested = true;
    // The run knows it is stopping before a sink's wait is aborted: the abort is a stop, not a failure.
    const stopped = this.#current.stop();
    this.settings.onStop?.();
    this.#wake?.();
    await stopped;
    await this.#terminated;
  }

  async #supervise(): Promise<void> {
    for (;;) {
      const run = this.#current;
      try {
        await run.start();
      } catch (error) {
        await run.failBeforeStart(error);
      }
      await run.terminated;
      if (this.#waiting !== null) this.recovered(this.#waiting.sink);
      const delay = run.exception === null || this.#stopRequested ? null : this.#restartDelay(run.exception);
      if (delay === null) break;
      this.#restartTimes.push(Date.now());
      await this.#sleep(delay);
      this.#restarting = null;
      if (this.#stopRequested) break;
      const next = this.#attempt();
      next.recentProgress.push(...run.recentProgress);
      this.#current = next;
    }
    await this.#releaseLock();
    this.#finished = true;
    if (this.#heldTermination !== null) this.settings.listeners.post("onQueryTerminated", this.#heldTermination);
    this.#resolveTerminated();
  }

  /** The wait before restarting after `failure` (logged with why), or null to let the query fail. */
  #restartDelay(failure: StreamingQueryException): number | null {
    const { restartStrategy: strategy, checkpointLocation, name } = this.settings;
    if (strategy.kind === "none") return null;
    const query = `query ${name ?? this.id}`;
    const cause = failure.cause ?? failure;
    if (checkpointLocation === null) {
      log.warn(`${query} failed and is not restarted: without a checkpointLocation a restart cannot continue exactly where it stopped`);
      return null;
    }
    const why = notRestartableBecause(cause);
    if (why !== null) {
      log.warn(`${query} failed and is not restarted: ${why}`);
      return null;
    }
    const delay = nextRestartDelay(strategy, this.#restartTimes, Date.now());
    const window = formatDuration(strategy.windowMs * 1000);
    if (delay === null) {
      log.error(`${query} failed and is not restarted: it was restarted ${strategy.maxRestarts} times within ${window} (${strategy.kind})`);
      return null;
    }
    const n = this.#restartTimes.length + 1;
    const message = (cause as Error).message;
    log.warn(`${query} failed (${message}); restarting it from the checkpoint ${checkpointLocation} in ${seconds(delay)} (restart ${n}, ${strategy.kind}, at most ${strategy.maxRestarts} in ${window})`);
    this.#restarting = `Restarting after a failure: ${message} (restart ${n}, in ${seconds(delay)})`;
    return delay;
  }

  #attempt(): MicroBatchExecution {
    const listeners: ListenerBus = {
      post: (kind, event) => {
        if (kind === "onQueryTerminated") { this.#heldTermination = event as QueryTerminatedEvent; return; }
        if (kind === "onQueryStarted") {
          if (this.#startedPosted) return;
          this.#startedPosted = true;
        }
        this.settings.listeners.post(kind, event);
      },
    };
    const takeLock = (paths: CheckpointPaths, ids: { queryId: string; runId: string }) => this.#takeLock(paths, ids);
    return new MicroBatchExecution({ ...this.settings, listeners, takeLock, runId: this.#attempts++ === 0 ? this.settings.runId : this.runId });
  }

  /** A run's hold on the lock: the first run takes it; a run's end does not give it up, the query's does. */
  async #takeLock(paths: CheckpointPaths, ids: { queryId: string; runId: string }): Promise<{ release(): Promise<void> }> {
    this.#lock ??= await CheckpointLock.acquire(paths, ids);
    return { release: async () => undefined };
  }

  async #releaseLock(): Promise<void> {
    await this.#lock?.release().catch((e: unknown) => log.warn(`error while releasing the checkpoint lock of query ${this.id}: ${(e as Error).message}`));
    this.#lock = null;
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => { clearTimeout(timer); resolve(); };
    });
    this.#wake = null;
  }

  #postWaiting(message: string | null): void {
    this.settings.listeners.post("onQueryWaiting", { id: this.id, runId: this.runId, message, sinkRetries: this.#sinkRetries, timestamp: new Date().toISOString() });
  }
}
