import type { KeyOf } from "../keys.ts";
import { keyOf } from "../keys.ts";
import type { DStream } from "../dstream.ts";
import type { DStreamOp, RunContext } from "../dstream-op.ts";
import { groupByKeyMap, hashPartition } from "../pair-functions.ts";
import { RDD } from "../rdd.ts";
import { withStateVersion } from "./state-version.ts";

/** `(newValues, previousState) => newState`; `undefined` (or null) removes the key (Spark's None). */
export type UpdateStateFn<V, S> = (values: V[], state: S | undefined) => S | undefined | null;

/**
 * Spark's StateDStream (updateStateByKey): every batch, the update function runs for
 * each key with new values and for each key with state (with no values), and the batch
 * is every key's state after it. The state lives in a versioned state store, one entry
 * per key: `[key, state]` under the key's value encoding.
 */
export class UpdateStateOp<K, V, S> implements DStreamOp<[K, S]> {
  readonly name = "updateStateByKey";
  readonly requiresCheckpoint = true;
  operatorId?: number;
  readonly parents: readonly DStream<[K, V]>[];

  constructor(
    readonly parent: DStream<[K, V]>,
    readonly fn: UpdateStateFn<V, S>,
    readonly numPartitions: number | undefined,
    readonly initialRDD: RDD<[K, S]> | undefined,
  ) {
    this.parents = [parent];
  }

  async compute(time: number, ctx: RunContext): Promise<RDD<[K, S]>> {
    const batch = (await this.parent.getOrCompute(time, ctx)) ?? RDD.empty<[K, V]>(ctx.session);
    return withStateVersion<[K, S], RDD<[K, S]>>(this, time, this.parent.slideDuration, ctx, (store, fromEmpty) => {
      if (fromEmpty && this.initialRDD !== undefined) {
        for (const [k, s] of this.initialRDD) store.put(keyOf(k), [k, s]);
      }
      const groups = groupByKeyMap(batch);
      const updates: [KeyOf, K, S | undefined | null][] = [];
      for (const [mk, [k, s]] of store.entries()) {
        const values = groups.get(mk);
        if (values !== undefined) groups.delete(mk);
        updates.push([mk, k, this.fn(values === undefined ? [] : values[1], s)]);
      }
      for (const [mk, [k, values]] of groups) updates.push([mk, k, this.fn(values, undefined)]);
      const out: [K, S][] = [];
      for (const [mk, k, next] of updates) {
        if (next === undefined || next === null) store.remove(mk);
        else {
          store.put(mk, [k, next]);
          out.push([k, next]);
        }
      }
      return new RDD(hashPartition(out, this.numPartitions ?? batch.getNumPartitions(), (p) => p[0]), ctx.session);
    });
  }
}
