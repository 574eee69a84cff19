import { join } from "node:path";
import { writeFileAtomic } from "../common/atomic-file.ts";
import { AnalysisError } from "../common/errors.ts";
import type { DStreamOp, RunContext } from "./dstream-op.ts";
import { checkMultiple, secondsToMs } from "./durations.ts";
import { MapWithStateOp } from "./ops/map-with-state-op.ts";
import { OutputOperation } from "./ops/output-operation.ts";
import { ReducedWindowOp } from "./ops/reduced-window-op.ts";
import { TransformOp, type TransformFn } from "./ops/transform-op.ts";
import { UpdateStateOp, type UpdateStateFn } from "./ops/update-state-op.ts";
import { WindowOp } from "./ops/window-op.ts";
import { RDD } from "./rdd.ts";
import type { StateSpec } from "./state-spec.ts";
import type { StreamingContext } from "./streaming-context.ts";
import { formatValue } from "./value-format.ts";

/** Options of `reduceByKeyAndWindow` with an inverse function (PySpark's keyword arguments). */
export interface ReduceByKeyAndWindowOptions<K, V> {
  readonly numPartitions?: number;
  /** Keeps only the pairs it accepts, e.g. `([, count]) => count !== 0` to drop keys that left the window. */
  readonly filterFunc?: (pair: [K, V]) => boolean;
}

export interface UpdateStateOptions<K, S> {
  readonly numPartitions?: number;
  /** State to start from, `[key, state]` pairs (e.g. `ssc.parallelize([["a", 10]])`). */
  readonly initialRDD?: RDD<[K, S]> | Iterable<[K, S]>;
}

/** What `mapWithState` returns: the mapped values, and every key's state on demand. */
export type MapWithStateDStream<K, S, M> = DStream<M> & { stateSnapshots(): DStream<[K, S]> };

/**
 * A discretized stream (Spark's DStream): a sequence of batches, one per slide interval,
 * each an RDD. A DStream is a node of its context's graph; its `op` says how a batch is
 * computed from the parents' batches. Nothing runs until the context starts: the job
 * scheduler then asks the outputs, at each batch time on the context's clock, for that
 * time's batch, and each stream computes it once from its parents (cached per time for
 * as long as some window or stateful op downstream needs it).
 */
export class DStream<T> {
  readonly id: number;
  readonly #generated = new Map<number, Promise<RDD<T> | undefined>>();
  #rememberMs = 0;

  /** @internal Streams are made by a StreamingContext and by operations on streams. */
  constructor(readonly ssc: StreamingContext, /** @internal */ readonly op: DStreamOp<T>, readonly slideDuration: number) {
    for (const parent of op.parents) {
      if (parent.ssc !== ssc) throw new AnalysisError(`${op.name}: all DStreams must belong to the same StreamingContext`);
    }
    this.id = ssc.graph.addStream(this);
  }

  context(): StreamingContext {
    return this.ssc;
  }

  /** @internal The batch at `time`: computed once, then cached until it is forgotten. Undefined at times between slides. */
  getOrCompute(time: number, ctx: RunContext): Promise<RDD<T> | undefined> {
    if (time <= ctx.zeroTime || (time - ctx.zeroTime) % this.slideDuration !== 0) return Promise.resolve(undefined);
    let batch = this.#generated.get(time);
    if (batch === undefined) {
      batch = this.op.compute(time, ctx);
      this.#generated.set(time, batch);
      // A failed batch is not cached: a re-run computes it again.
      batch.catch(() => this.#generated.delete(time));
    }
    return batch;
  }

  /** @internal Keep batches for at least `ms` (windows and the context's `remember` ask for more). */
  rememberAtLeast(ms: number): void {
    if (ms <= this.#rememberMs) return;
    this.#rememberMs = ms;
    const forParents = this.op.parentRememberMs?.(ms) ?? ms;
    for (const parent of this.op.parents) parent.rememberAtLeast(forParents);
  }

  get rememberDuration(): number {
    return this.#rememberMs;
  }

  /** @internal Drops cached batches older than the remember duration. */
  forgetOld(time: number): void {
    const limit = time - this.#rememberMs;
    for (const t of this.#generated.keys()) if (t <= limit) this.#generated.delete(t);
    this.op.forgetUpTo?.(limit);
  }

  /** @internal Drops every cached batch (the context stopped). */
  forgetAll(): void {
    this.#generated.clear();
  }

  #derive<U>(name: string, others: readonly DStream<any>[], fn: TransformFn<U>): DStream<U> {
    for (const other of others) {
      if (other.slideDuration !== this.slideDuration) {
        throw new AnalysisError(`${name}: some of the DStreams have different slide durations (${this.slideDuration} ms and ${other.slideDuration} ms)`);
      }
    }
    return new DStream<U>(this.ssc, new TransformOp<U>(name, [this, ...others], fn), this.slideDuration);
  }

  #each<U>(name: string, f: (rdd: RDD<T>, time: number) => RDD<U> | Promise<RDD<U>>): DStream<U> {
    return this.#derive<U>(name, [], ([rdd], time) => f(rdd as RDD<T>, time));
  }

  // ---- Stateless transformations ----
  map<U>(f: (value: T) => U): DStream<U> {
    return this.#each("map", (rdd) => rdd.map(f));
  }

  flatMap<U>(f: (value: T) => Iterable<U>): DStream<U> {
    return this.#each("flatMap", (rdd) => rdd.flatMap(f));
  }

  filter(f: (value: T) => boolean): DStream<T> {
    return this.#each("filter", (rdd) => rdd.filter(f));
  }

  mapPartitions<U>(f: (values: readonly T[], index: number) => Iterable<U>): DStream<U> {
    return this.#each("mapPartitions", (rdd) => rdd.mapPartitions(f));
  }

  glom(): DStream<T[]> {
    return this.#each("glom", (rdd) => rdd.glom());
  }

  repartition(numPartitions: number): DStream<T> {
    return this.#each("repartition", (rdd) => rdd.repartition(numPartitions));
  }

  union(...others: DStream<T>[]): DStream<T> {
    return this.#derive<T>("union", others, (rdds) => (rdds[0] as RDD<T>).union(...(rdds.slice(1) as RDD<T>[])));
  }

  /** A batch with one value: the number of values in each batch (0 for an empty one). */
  count(): DStream<number> {
    return this.#each("count", (rdd) => RDD.parallelize([rdd.count()], 1, rdd.session));
  }

  /** A batch with one value, the batch reduced with `f` (nothing for an empty batch). */
  reduce(f: (a: T, b: T) => T): DStream<T> {
    return this.#each("reduce", (rdd) => (rdd.isEmpty() ? RDD.empty(rdd.session) : RDD.parallelize([rdd.reduce(f)], 1, rdd.session)));
  }

  countByValue(numPartitions?: number): DStream<[T, number]> {
    return this.map((v) => [v, 1] as [T, number]).reduceByKey((a, b) => a + b, numPartitions);
  }

  /** Any RDD-to-RDD function on each batch (with the batch time in ms). */
  transform<U>(f: (rdd: RDD<T>, time: number) => RDD<U> | Promise<RDD<U>>): DStream<U> {
    return this.#each("transform", f);
  }

  transformWith<U, R>(other: DStream<U>, f: (rdd: RDD<T>, other: RDD<U>, time: number) => RDD<R> | Promise<RDD<R>>): DStream<R> {
    return this.#derive<R>("transformWith", [other], ([a, b], time) => f(a as RDD<T>, b as RDD<U>, time));
  }

  /** No-ops kept for Spark code: batches are held in memory for as long as the graph needs them. */
  cache(): this { return this; }
  persist(_storageLevel?: string): this { return this; }
  /** Accepted for Spark code: state is checkpointed with every batch. */
  checkpoint(_intervalSeconds: number): this { return this; }

  // ---- Windows ----
  /** The union of the batches in a sliding window; durations in seconds, multiples of this stream's slide. */
  window(windowDuration: number, slideDuration?: number): DStream<T> {
    const [w, s] = this.#windowDurations(windowDuration, slideDuration);
    return new DStream<T>(this.ssc, new WindowOp(this, w), s);
  }

  #windowDurations(windowDuration: number, slideDuration: number | undefined): [number, number] {
    const w = secondsToMs(windowDuration, "the window duration");
    const s = slideDuration === undefined ? this.slideDuration : secondsToMs(slideDuration, "the slide duration");
    checkMultiple("window", w, this.slideDuration);
    checkMultiple("slide", s, this.slideDuration);
    return [w, s];
  }

  /** The number of values in the window (incrementally: needs `ssc.checkpoint(dir)`, as in Spark). */
  countByWindow(windowDuration: number, slideDuration?: number): DStream<number> {
    return this.map(() => 1).reduceByWindow((a, b) => a + b, (a, b) => a - b, windowDuration, slideDuration);
  }

  /** `reduceByWindow(f, window, slide)`, or incrementally `reduceByWindow(f, invF, window, slide)`. */
  reduceByWindow(f: (a: T, b: T) => T, windowDuration: number, slideDuration?: number): DStream<T>;
  reduceByWindow(f: (a: T, b: T) => T, invF: (a: T, b: T) => T, windowDuration: number, slideDuration?: number): DStream<T>;
  reduceByWindow(f: (a: T, b: T) => T, second: number | ((a: T, b: T) => T), third?: number, fourth?: number): DStream<T> {
    if (typeof second === "function") {
      return this.map((v) => [1, v] as [number, T])
        .reduceByKeyAndWindow(f, second, third!, fourth)
        .map(([, v]) => v);
    }
    return this.reduce(f).window(second, third).reduce(f);
  }

  /** Each distinct value with its count in the window (keys whose count drops to 0 are dropped). */
  countByValueAndWindow(windowDuration: number, slideDuration?: number, numPartitions?: number): DStream<[T, number]> {
    return this.map((v) => [v, 1] as [T, number]).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, windowDuration, slideDuration, {
      numPartitions,
      filterFunc: ([, count]) => count !== 0,
    });
  }

  // ---- Pair operations ----
  mapValues<K, V, U>(this: DStream<[K, V]>, f: (value: V) => U): DStream<[K, U]> {
    return this.map(([k, v]) => [k, f(v)] as [K, U]);
  }

  flatMapValues<K, V, U>(this: DStream<[K, V]>, f: (value: V) => Iterable<U>): DStream<[K, U]> {
    return this.flatMap(([k, v]) => [...f(v)].map((u) => [k, u] as [K, U]));
  }

  reduceByKey<K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, numPartitions?: number): DStream<[K, V]> {
    return this.transform((rdd) => rdd.reduceByKey(f, numPartitions ?? rdd.getNumPartitions()));
  }

  groupByKey<K, V>(this: DStream<[K, V]>, numPartitions?: number): DStream<[K, V[]]> {
    return this.transform((rdd) => rdd.groupByKey(numPartitions ?? rdd.getNumPartitions()));
  }

  join<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number): DStream<[K, [V, W]]> {
    return this.transformWith(other, (a, b) => a.join(b, numPartitions));
  }

  leftOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number): DStream<[K, [V, W | undefined]]> {
    return this.transformWith(other, (a, b) => a.leftOuterJoin(b, numPartitions));
  }

  rightOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number): DStream<[K, [V | undefined, W]]> {
    return this.transformWith(other, (a, b) => a.rightOuterJoin(b, numPartitions));
  }

  fullOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number): DStream<[K, [V | undefined, W | undefined]]> {
    return this.transformWith(other, (a, b) => a.fullOuterJoin(b, numPartitions));
  }

  cogroup<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, numPartitions?: number): DStream<[K, [V[], W[]]]> {
    return this.transformWith(other, (a, b) => a.cogroup(b, numPartitions));
  }

  groupByKeyAndWindow<K, V>(this: DStream<[K, V]>, windowDuration: number, slideDuration?: number, numPartitions?: number): DStream<[K, V[]]> {
    return this.window(windowDuration, slideDuration).groupByKey(numPartitions);
  }

  /**
   * Per key, the values in a sliding window reduced with `f`. With an inverse function
   * `invF` (`(a, b) => a - b` for sums) each slide adds the entering batches and
   * subtracts the leaving ones instead of reducing the whole window; that keeps state
   * and needs `ssc.checkpoint(dir)`.
   */
  reduceByKeyAndWindow<K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, windowDuration: number, slideDuration?: number, numPartitions?: number): DStream<[K, V]>;
  reduceByKeyAndWindow<K, V>(
    this: DStream<[K, V]>, f: (a: V, b: V) => V, invF: ((a: V, b: V) => V) | null | undefined,
    windowDuration: number, slideDuration?: number, options?: ReduceByKeyAndWindowOptions<K, V> | number,
  ): DStream<[K, V]>;
  reduceByKeyAndWindow<K, V>(
    this: DStream<[K, V]>, f: (a: V, b: V) => V, second: number | ((a: V, b: V) => V) | null | undefined,
    third?: number, fourth?: number, fifth?: ReduceByKeyAndWindowOptions<K, V> | number,
  ): DStream<[K, V]> {
    if (typeof second === "number") return this.#reduceByKeyAndWindowFull(f, second, third, fourth);
    const options = typeof fifth === "number" ? { numPartitions: fifth } : (fifth ?? {});
    if (second === null || second === undefined) {
      if (options.filterFunc !== undefined) throw new AnalysisError("reduceByKeyAndWindow: filterFunc needs an inverse function");
      return this.#reduceByKeyAndWindowFull(f, third!, fourth, options.numPartitions);
    }
    const [w, s] = this.#windowDurations(third!, fourth);
    const perBatch = this.reduceByKey(f, options.numPartitions);
    return new DStream<[K, V]>(this.ssc, new ReducedWindowOp(perBatch, f, second, w, s, options.filterFunc, options.numPartitions), s);
  }

  #reduceByKeyAndWindowFull<K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, windowDuration: number, slideDuration?: number, numPartitions?: number): DStream<[K, V]> {
    return this.reduceByKey(f, numPartitions).window(windowDuration, slideDuration).reduceByKey(f, numPartitions);
  }

  /**
   * Running state per key: each batch, `f(newValues, state)` for every key with new values
   * or with state; return undefined to drop the key. Needs `ssc.checkpoint(dir)`.
   */
  updateStateByKey<K, V, S>(this: DStream<[K, V]>, f: UpdateStateFn<V, S>, options?: UpdateStateOptions<K, S> | number): DStream<[K, S]> {
    const opts: UpdateStateOptions<K, S> = typeof options === "number" ? { numPartitions: options } : (options ?? {});
    const initial = opts.initialRDD === undefined ? undefined : opts.initialRDD instanceof RDD ? opts.initialRDD : RDD.parallelize(opts.initialRDD);
    return new DStream<[K, S]>(this.ssc, new UpdateStateOp(this, f, opts.numPartitions, initial), this.slideDuration);
  }

  /**
   * Spark's mapWithState: the spec's function runs for every record with its key's
   * state; the stream is what it returns. `.stateSnapshots()` is every key's state after
   * each batch. Needs `ssc.checkpoint(dir)`.
   */
  mapWithState<K, V, S, M>(this: DStream<[K, V]>, spec: StateSpec<K, V, S, M>): MapWithStateDStream<K, S, M> {
    const op = new MapWithStateOp(this, spec);
    const internal = new DStream(this.ssc, op, this.slideDuration);
    const partitions = spec.getNumPartitions();
    const mapped = internal.#each("mapWithState", (rdd) => {
      const [batch] = rdd.take(1);
      return RDD.parallelize(batch?.mapped ?? [], partitions ?? 1, rdd.session);
    });
    let snapshots: DStream<[K, S]> | null = null;
    return Object.assign(mapped, {
      stateSnapshots: (): DStream<[K, S]> => {
        if (snapshots !== null) return snapshots;
        op.wantSnapshots = true;
        snapshots = internal.#each("stateSnapshots", (rdd) => {
          const [batch] = rdd.take(1);
          return RDD.parallelize(batch?.snapshot ?? [], partitions ?? 1, rdd.session);
        });
        return snapshots;
      },
    });
  }

  // ---- Output operations ----
  /** Runs `f` with each batch and its time (ms). It may return a promise; the next batch waits for it. */
  foreachRDD(f: (rdd: RDD<T>, time: number) => void | Promise<void>): void {
    this.ssc.graph.addOutput(new OutputOperation("foreachRDD", this, f));
  }

  /** Prints the first `num` values of each batch under a header with its time (Spark's format). */
  print(num = 10): void {
    this.ssc.graph.addOutput(new OutputOperation("print", this, (rdd, time) => {
      const first = rdd.take(num + 1);
      const lines = ["-------------------------------------------", `Time: ${time} ms`, "-------------------------------------------"];
      for (const v of first.slice(0, num)) lines.push(formatValue(v));
      if (first.length > num) lines.push("...");
      process.stdout.write(`${lines.join("\n")}\n\n`);
    }));
  }

  /** Each batch as a directory `<prefix>-<timeMs>[.<suffix>]` of `part-NNNNN` text files, one value per line. */
  saveAsTextFiles(prefix: string, suffix = ""): void {
    this.ssc.graph.addOutput(new OutputOperation("saveAsTextFiles", this, async (rdd, time) => {
      const dir = `${prefix}-${time}${suffix === "" ? "" : `.${suffix}`}`;
      for (const [i, part] of rdd.partitions.entries()) {
        const text = part.map((v) => `${formatValue(v)}\n`).join("");
        await writeFileAtomic(join(dir, `part-${String(i).padStart(5, "0")}`), text);
      }
      await writeFileAtomic(join(dir, "_SUCCESS"), "");
    }));
  }

  toString(): string {
    return `DStream#${this.id}[${this.op.name}]`;
  }
}
