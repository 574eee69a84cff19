import { ExecutionError } from "../common/errors.ts";
import type { RestartingExecution } from "../execution/restarting-execution.ts";
import type { StreamingQueryProgress, StreamingQueryStatus } from "../execution/progress.ts";
import { physicalPlanString } from "../physical/planner.ts";
import type { StreamingQueryException } from "../common/errors.ts";

/** Spark's StreamingQuery: a handle on a running query. */
export class StreamingQuery {
  /** @internal Queries are started by `writeStream…start()`. */
  constructor(/** @internal */ readonly execution: RestartingExecution, /** @internal */ readonly onTerminated: (q: StreamingQuery) => void) {
    void execution.terminated.then(() => onTerminated(this));
  }

  get id(): string { return this.execution.id; }
  get runId(): string { return this.execution.runId; }
  get name(): string | null { return this.execution.options.name; }
  get isActive(): boolean { return this.execution.isActive; }
  get exception(): StreamingQueryException | null { return this.execution.exception; }
  get status(): StreamingQueryStatus { return this.execution.status; }
  get lastProgress(): StreamingQueryProgress { return this.execution.lastProgress as StreamingQueryProgress; }
  get recentProgress(): StreamingQueryProgress[] { return [...this.execution.recentProgress]; }

  /**
   * Waits until the query stops (by stop(), by finishing an availableNow/once trigger, or
   * by failing — then it rejects with the exception). With a timeout, resolves to whether
   * the query terminated within it.
   */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await this.execution.terminated;
      if (this.exception) throw this.exception;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const done = this.execution.terminated.then(() => true as const);
    const result = await Promise.race([done, timedOut]);
    clearTimeout(timer);
    if (result && this.exception) throw this.exception;
    return result;
  }

  /** Blocks until all data available in the sources now has been processed and committed. */
  async processAllAvailable(): Promise<void> {
    await this.execution.processAllAvailable();
    if (this.exception) throw this.exception;
  }

  async stop(): Promise<void> {
    await this.execution.stop();
  }

  explain(extended = false): void {
    process.stdout.write(this.explainString(extended) + "\n");
  }

  explainString(_extended = false): string {
    const physical = this.execution.physical;
    if (!physical) throw new ExecutionError("the query has not been planned yet");
    return `== Physical Plan ==\n${physicalPlanString(physical.root)}`;
  }

  toString(): string {
    return `StreamingQuery[id=${this.id}, runId=${this.runId}, name=${this.name ?? ""}]`;
  }
}
