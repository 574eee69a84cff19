import type { KeyOf } from "../keys.ts";
import { keyOf } from "../keys.ts";
import type { DStream } from "../dstream.ts";
import type { DStreamOp, RunContext } from "../dstream-op.ts";
import { hashPartition } from "../pair-functions.ts";
import { RDD } from "../rdd.ts";
import { withStateVersion } from "./state-version.ts";

/**
 * Spark's ReducedWindowedDStream (reduceByKeyAndWindow with an inverse function). The
 * window's value per key is kept in a versioned state store; each slide subtracts the
 * per-batch reductions leaving the window with `invF` and adds those entering with `f`.
 * A slide therefore costs the batches entering and leaving plus emitting the keys in
 * the window, never a pass over every batch in it. `filterFunc` drops keys (e.g. whose
 * count went back to 0); the filtered window is the base of the next slide, as in Spark.
 *
 * The parent is the per-batch reduceByKey of the input; its batches leaving the window
 * come from memory (the parent remembers the window) or, after a restart, are recomputed
 * from the inputs' write-ahead log.
 */
export class ReducedWindowOp<K, V> implements DStreamOp<[K, V]> {
  readonly name = "reduceByKeyAndWindow";
  readonly requiresCheckpoint = true;
  operatorId?: number;
  readonly parents: readonly DStream<[K, V]>[];

  constructor(
    readonly parent: DStream<[K, V]>,
    readonly f: (a: V, b: V) => V,
    readonly invF: (a: V, b: V) => V,
    readonly windowMs: number,
    readonly slideMs: number,
    readonly filterFunc: ((pair: [K, V]) => boolean) | undefined,
    readonly numPartitions: number | undefined,
  ) {
    this.parents = [parent];
  }

  parentRememberMs(rememberMs: number): number {
    return rememberMs + this.windowMs;
  }

  async compute(time: number, ctx: RunContext): Promise<RDD<[K, V]>> {
    const step = this.parent.slideDuration;
    const { windowMs: W, slideMs: S } = this;
    const batchesIn = async (from: number, to: number): Promise<RDD<[K, V]>[]> => {
      const out: RDD<[K, V]>[] = [];
      for (let t = from + step; t <= to; t += step) {
        if (t <= ctx.zeroTime) continue;
        const rdd = await this.parent.getOrCompute(t, ctx);
        if (rdd !== undefined) out.push(rdd);
      }
      return out;
    };
    // The previous window was (time − S − W, time − S]; this one is (time − W, time].
    const leaving = S < W ? await batchesIn(time - S - W, time - W) : [];
    const entering = await batchesIn(time - Math.min(S, W), time);
    let partitions = this.numPartitions;
    return withStateVersion<[K, V], RDD<[K, V]>>(this, time, S, ctx, (store) => {
      if (S >= W) for (const [mk] of [...store.entries()]) store.remove(mk);
      const touched = new Map<KeyOf, [K, V]>();
      for (const rdd of leaving) {
        for (const [k, v] of rdd) {
          const mk = keyOf(k);
          const current = touched.get(mk) ?? store.get(mk);
          // A key already filtered out has nothing left to subtract from.
          if (current !== undefined) touched.set(mk, [current[0], this.invF(current[1], v)]);
        }
      }
      for (const rdd of entering) {
        partitions ??= rdd.getNumPartitions();
        for (const [k, v] of rdd) {
          const mk = keyOf(k);
          const current = touched.get(mk) ?? store.get(mk);
          touched.set(mk, current === undefined ? [k, v] : [current[0], this.f(current[1], v)]);
        }
      }
      for (const [mk, pair] of touched) {
        if (this.filterFunc !== undefined && !this.filterFunc([pair[0], pair[1]])) store.remove(mk);
        else store.put(mk, pair);
      }
      const out: [K, V][] = [];
      for (const [, [k, v]] of store.entries()) out.push([k, v]);
      return new RDD(hashPartition(out, partitions ?? 1, (p) => p[0]), ctx.session);
    });
  }
}
