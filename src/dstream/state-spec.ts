import { AnalysisError } from "../common/errors.ts";
import { secondsToMs } from "./durations.ts";
import { RDD } from "./rdd.ts";

/** A key's state inside a `mapWithState` function (Spark's State). */
export interface State<S> {
  exists(): boolean;
  /** The state; throws if there is none. */
  get(): S;
  /** The state, or undefined if there is none. */
  getOption(): S | undefined;
  update(state: S): void;
  remove(): void;
  /** True when the function is called because the key timed out (its value is then undefined). */
  isTimingOut(): boolean;
}

export type MappingFunction<K, V, S, M> = (key: K, value: V | undefined, state: State<S>) => M;

/**
 * What `mapWithState` runs (Spark's StateSpec): the mapping function, and optionally an
 * idle timeout in seconds, an initial state and the number of partitions.
 *
 *     StateSpec.function((word, one, state) => { … }).timeout(30)
 */
export class StateSpec<K, V, S, M> {
  #timeoutMs: number | undefined;
  #initial: RDD<[K, S]> | undefined;
  #numPartitions: number | undefined;

  private constructor(readonly mappingFunction: MappingFunction<K, V, S, M>) {}

  static function<K, V, S, M>(mappingFunction: MappingFunction<K, V, S, M>): StateSpec<K, V, S, M> {
    if (typeof mappingFunction !== "function") throw new AnalysisError("StateSpec.function needs a function (key, value, state) => mapped");
    return new StateSpec(mappingFunction);
  }

  /** Keys that get no data for this many seconds time out: the function runs once more with isTimingOut(). */
  timeout(seconds: number): this {
    this.#timeoutMs = secondsToMs(seconds, "the StateSpec timeout");
    return this;
  }

  /** State to start from: `[key, state]` pairs (an RDD from ssc.parallelize, or an array). */
  initialState(rdd: RDD<[K, S]> | Iterable<[K, S]>): this {
    this.#initial = rdd instanceof RDD ? rdd : RDD.parallelize(rdd);
    return this;
  }

  numPartitions(n: number): this {
    if (!Number.isInteger(n) || n < 1) throw new AnalysisError(`numPartitions must be a positive integer, not ${n}`);
    this.#numPartitions = n;
    return this;
  }

  getTimeoutMs(): number | undefined { return this.#timeoutMs; }
  getInitialState(): RDD<[K, S]> | undefined { return this.#initial; }
  getNumPartitions(): number | undefined { return this.#numPartitions; }
}

/** The State handed to one call of the mapping function. */
export class StateImpl<S> implements State<S> {
  #exists: boolean;
  #value: S | undefined;
  #updated = false;
  #removed = false;

  constructor(exists: boolean, value: S | undefined, readonly timingOut: boolean) {
    this.#exists = exists;
    this.#value = value;
  }

  get updated(): boolean { return this.#updated; }
  get removed(): boolean { return this.#removed; }

  exists(): boolean {
    return this.#exists;
  }

  get(): S {
    if (!this.#exists) throw new AnalysisError("State is not set: check state.exists() before state.get()");
    return this.#value as S;
  }

  getOption(): S | undefined {
    return this.#exists ? this.#value : undefined;
  }

  update(state: S): void {
    if (this.#removed) throw new AnalysisError("Cannot update the state after it has been removed");
    if (this.timingOut) throw new AnalysisError("Cannot update the state that is timing out");
    if (state === undefined) throw new AnalysisError("Cannot update the state to undefined: use state.remove()");
    this.#value = state;
    this.#exists = true;
    this.#updated = true;
  }

  remove(): void {
    if (this.timingOut) throw new AnalysisError("Cannot remove the state that is timing out");
    if (this.#removed) throw new AnalysisError("Cannot remove the state that has already been removed");
    this.#removed = true;
    this.#exists = false;
    this.#value = undefined;
  }

  isTimingOut(): boolean {
    return this.timingOut;
  }
}
