/**
 * Spark's GroupState: the per-key state a `mapGroupsWithState` / `flatMapGroupsWithState`
 * function reads and updates. The state value `S` is kept in the versioned state store,
 * so it must be structured-clone-able (plain objects, arrays, numbers, strings, bigint,
 * Date, Map, Set); `undefined` and `null` are not states — call `remove()` instead.
 */
export interface GroupState<S> {
  /** Whether the key has a state (not yet removed). */
  readonly exists: boolean;
  /** The state; throws when there is none (check `exists` or use `getOption`). */
  get(): S;
  /** The state, or undefined when there is none. */
  getOption(): S | undefined;
  /** Sets the state (not null or undefined). */
  update(newState: S): void;
  /** Removes the state (and its timeout, unless one is set again afterwards). */
  remove(): void;
  /** True when the function is called because the key's timeout expired (then with no rows). */
  readonly hasTimedOut: boolean;
  /**
   * ProcessingTimeTimeout only: times the key out once the processing time passes this
   * batch's time + `duration` (milliseconds, or an interval string such as "30 minutes").
   * The timeout is cleared each time the function runs for the key: set it again each call.
   */
  setTimeoutDuration(duration: number | string): void;
  /**
   * EventTimeTimeout only: times the key out once the watermark passes `timestamp`
   * (milliseconds since the epoch, or a Date), plus `additionalDuration` if given. It may
   * not be earlier than the current watermark. Cleared each call, as above.
   */
  setTimeoutTimestamp(timestamp: number | Date, additionalDuration?: string): void;
  /** The event-time watermark of this batch in ms; -1 in a batch query. Needs withWatermark in a streaming query. */
  getCurrentWatermarkMs(): number;
  /** This batch's processing time in ms since the epoch. */
  getCurrentProcessingTimeMs(): number;
}

export type GroupStateTimeoutKind = "NoTimeout" | "ProcessingTimeTimeout" | "EventTimeTimeout";

/** Spark's GroupStateTimeout: when keys without new data are called back with `hasTimedOut`. */
export const GroupStateTimeout = Object.freeze({
  NoTimeout: "NoTimeout",
  ProcessingTimeTimeout: "ProcessingTimeTimeout",
  EventTimeTimeout: "EventTimeTimeout",
} as const satisfies Record<GroupStateTimeoutKind, GroupStateTimeoutKind>);

export type GroupStateTimeout = GroupStateTimeoutKind;

/** The output mode a flatMapGroupsWithState function is written for (Spark's argument of the same name). */
export type GroupsOutputMode = "append" | "update";

/**
 * What the physical operator calls for each key: the key, its rows of this batch (none
 * on a timeout), and its state. Returns the output rows (external values).
 */
export type GroupFunction = (key: unknown, rows: Record<string, unknown>[], state: GroupState<unknown>) => Iterable<unknown>;
