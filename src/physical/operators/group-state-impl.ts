import { parseDuration } from "../../common/duration.ts";
import { ExecutionError } from "../../common/errors.ts";
import type { GroupState, GroupStateTimeoutKind } from "../../state/group-state.ts";

/** No timeout set (Spark's NO_TIMESTAMP). */
export const NO_TIMESTAMP = -1;

export interface GroupStateEnv {
  readonly operator: string;
  readonly timeout: GroupStateTimeoutKind;
  /** False in a batch query: timeouts are accepted but never fire; the watermark reads -1. */
  readonly streaming: boolean;
  readonly processingTimeMs: number;
  /** The batch's watermark in ms; null when the query defines none. */
  readonly watermarkMs: number | null;
}

/** The last duration text parsed: a function sets the same one for every key it sees ("30 minutes"). */
let lastDuration: { readonly text: string | null; readonly ms: number } = { text: null, ms: 0 };

function durationMs(text: string, what: string): number {
  if (text !== lastDuration.text) lastDuration = { text, ms: parseDuration(text, what) / 1000 };
  return lastDuration.ms;
}

/**
 * One key's GroupState for one call of the user function (Spark's GroupStateImpl): the
 * operator reads `isUpdated`, `isRemoved` and `timeoutTimestampMs` afterwards to decide
 * what to write. The timeout starts unset on every call, as in Spark.
 */
export class GroupStateImpl<S> implements GroupState<S> {
  #value: S | undefined;
  #updated = false;
  #removed = false;
  #timeoutMs = NO_TIMESTAMP;

  constructor(value: S | undefined, readonly hasTimedOut: boolean, readonly env: GroupStateEnv) {
    this.#value = value;
  }

  get exists(): boolean {
    return this.#value !== undefined;
  }

  get(): S {
    if (this.#value === undefined) throw new ExecutionError(`${this.env.operator}: State is either not defined or has already been removed (check state.exists, or use state.getOption())`);
    return this.#value;
  }

  getOption(): S | undefined {
    return this.#value;
  }

  update(newState: S): void {
    if (newState === null || newState === undefined) throw new ExecutionError(`${this.env.operator}: '${String(newState)}' is not a valid state value; call state.remove() to remove the state`);
    this.#value = newState;
    this.#updated = true;
    this.#removed = false;
  }

  remove(): void {
    this.#value = undefined;
    this.#removed = true;
    this.#updated = false;
  }

  setTimeoutDuration(duration: number | string): void {
    if (this.env.timeout !== "ProcessingTimeTimeout") {
      throw new ExecutionError(`${this.env.operator}: Cannot set timeout duration without enabling processing time timeout (GroupStateTimeout.ProcessingTimeTimeout)`);
    }
    const ms = typeof duration === "number" ? duration : durationMs(duration, "timeout duration");
    if (!(ms > 0)) throw new ExecutionError(`${this.env.operator}: Timeout duration must be positive, got ${String(duration)}`);
    this.#timeoutMs = this.env.processingTimeMs + ms;
  }

  setTimeoutTimestamp(timestamp: number | Date, additionalDuration?: string): void {
    if (this.env.timeout !== "EventTimeTimeout") {
      throw new ExecutionError(`${this.env.operator}: Cannot set timeout timestamp without enabling event time timeout (GroupStateTimeout.EventTimeTimeout)`);
    }
    const base = timestamp instanceof Date ? timestamp.getTime() : timestamp;
    const extra = additionalDuration === undefined ? 0 : durationMs(additionalDuration, "additional duration");
    if (!Number.isFinite(base) || extra < 0) throw new ExecutionError(`${this.env.operator}: Timeout timestamp must be a valid time and the additional duration not negative`);
    const ms = base + extra;
    const watermark = this.env.streaming ? this.env.watermarkMs : null;
    if (watermark !== null && ms < watermark) {
      throw new ExecutionError(`${this.env.operator}: Timeout timestamp (${ms}) cannot be earlier than the current watermark (${watermark})`);
    }
    this.#timeoutMs = ms;
  }

  getCurrentWatermarkMs(): number {
    if (!this.env.streaming) return -1;
    if (this.env.watermarkMs === null) {
      throw new ExecutionError(`${this.env.operator}: Cannot get event time watermark timestamp without setting watermark before [map|flatMap]GroupsWithState (use withWatermark)`);
    }
    return this.env.watermarkMs;
  }

  getCurrentProcessingTimeMs(): number {
    return this.env.processingTimeMs;
  }

  get isUpdated(): boolean { return this.#updated; }
  get isRemoved(): boolean { return this.#removed; }
  get timeoutTimestampMs(): number { return this.#timeoutMs; }

  toString(): string {
    return `GroupState(${this.#value === undefined ? "<undefined>" : JSON.stringify(this.#value)})`;
  }
}
