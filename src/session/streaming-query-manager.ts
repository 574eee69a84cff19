import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import type { StreamingQuery } from "../api/streaming-query.ts";
import type { ListenerBus, StreamingQueryListener } from "../execution/query-listener.ts";

const log = new Logger("StreamingQueryManager");

/** Spark's StreamingQueryManager (`spark.streams`). */
export class StreamingQueryManager {
  readonly #active = new Map<string, StreamingQuery>();
  readonly #listeners: StreamingQueryListener[] = [];
  #lastTerminated: StreamingQuery | null = null;
  #terminationWaiters: (() => void)[] = [];

  /** @internal */
  readonly listenerBus: ListenerBus = {
    post: (kind, event) => {
      for (const l of this.#listeners) {
        try {
          (l[kind] as ((e: typeof event) => void) | undefined)?.call(l, event);
        } catch (error) {
          log.warn(`listener ${kind} failed: ${(error as Error).message}`);
        }
      }
    },
  };

  get active(): StreamingQuery[] {
    return [...this.#active.values()];
  }

  get(id: string): StreamingQuery | null {
    return this.#active.get(id) ?? null;
  }

  /**
   * The id of the active query writing `checkpointLocation` (same directory, however
   * written), if any: a second start on it takes that id, as its checkpoint would give it.
   */
  activeIdForCheckpoint(checkpointLocation: string): string | null {
    const path = canonicalPath(checkpointLocation);
    for (const q of this.#active.values()) {
      const location = q.execution.options.checkpointLocation;
      if (location !== null && canonicalPath(location) === path) return q.id;
    }
    return null;
  }

  addListener(listener: StreamingQueryListener): void {
    this.#listeners.push(listener);
  }

  removeListener(listener: StreamingQueryListener): void {
    const i = this.#listeners.indexOf(listener);
    if (i >= 0) this.#listeners.splice(i, 1);
  }

  /** Waits until any query terminates (since the last resetTerminated()); rejects with its exception. */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    if (this.#lastTerminated === null) {
      const terminated = new Promise<void>((resolve) => this.#terminationWaiters.push(resolve));
      if (timeoutMs === undefined) await terminated;
      else {
        let timer: NodeJS.Timeout | undefined;
        const ok = await Promise.race([terminated.then(() => true), new Promise<false>((r) => { timer = setTimeout(() => r(false), timeoutMs); })]);
        clearTimeout(timer);
        if (!ok) return false;
      }
    }
    const q = this.#lastTerminated;
    if (q?.exception) throw q.exception;
    return true;
  }

  resetTerminated(): void {
    this.#lastTerminated = null;
  }

  onStarted(query: StreamingQuery): void {
    const checkpoint = query.execution.options.checkpointLocation;
    if (this.#active.has(query.id) || (checkpoint !== null && this.activeIdForCheckpoint(checkpoint) !== null)) {
      throw new AnalysisError(`Cannot start query with id ${query.id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active.`);
    }
    this.#active.set(query.id, query);
  }

  onTerminated(query: StreamingQuery): void {
    if (this.#active.get(query.id) === query) this.#active.delete(query.id);
    this.#lastTerminated = query;
    const waiters = this.#terminationWaiters;
    this.#terminationWaiters = [];
    for (const w of waiters) w();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.active.map((q) => q.stop()));
  }
}

/** An absolute path with symbolic links resolved as far as the directory exists. */
function canonicalPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}
