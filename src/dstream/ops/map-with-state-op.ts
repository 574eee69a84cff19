import type { KeyOf } from "../keys.ts";
import { keyOf } from "../keys.ts";
import type { DStream } from "../dstream.ts";
import type { DStreamOp, RunContext } from "../dstream-op.ts";
import { RDD } from "../rdd.ts";
import { StateImpl, type StateSpec } from "../state-spec.ts";
import { withStateVersion } from "./state-version.ts";

/** One batch of mapWithState: the mapped values, and (if asked for) every key's state. */
export interface MapWithStateBatch<K, S, M> {
  readonly mapped: M[];
  readonly snapshot: [K, S][] | null;
}

/** A key's entry in the state store: the key, its state, and the batch time it last got data. */
type Entry<K, S> = [K, S, number];

/**
 * Spark's InternalMapWithStateDStream: the mapping function runs once per record of the
 * batch, in order, with that key's state; keys idle for longer than the timeout get one
 * last call with `isTimingOut()` and are removed. Timeouts are checked every batch (Spark
 * checks them when it checkpoints), so tests on the manual clock see them exactly.
 */
export class MapWithStateOp<K, V, S, M> implements DStreamOp<MapWithStateBatch<K, S, M>> {
  readonly name = "mapWithState";
  readonly requiresCheckpoint = true;
  operatorId?: number;
  /** Set when someone asked for stateSnapshots(): only then is the whole state listed every batch. */
  wantSnapshots = false;
  readonly parents: readonly DStream<[K, V]>[];

  constructor(readonly parent: DStream<[K, V]>, readonly spec: StateSpec<K, V, S, M>) {
    this.parents = [parent];
  }

  async compute(time: number, ctx: RunContext): Promise<RDD<MapWithStateBatch<K, S, M>>> {
    const batch = (await this.parent.getOrCompute(time, ctx)) ?? RDD.empty<[K, V]>(ctx.session);
    const fn = this.spec.mappingFunction;
    const timeoutMs = this.spec.getTimeoutMs();
    const result = await withStateVersion<Entry<K, S>, MapWithStateBatch<K, S, M>>(this, time, this.parent.slideDuration, ctx, (store, fromEmpty) => {
      const initial = this.spec.getInitialState();
      if (fromEmpty && initial !== undefined) for (const [k, s] of initial) store.put(keyOf(k), [k, s, time]);
      const mapped: M[] = [];
      const touched = new Set<KeyOf>();
      for (const [k, v] of batch) {
        const mk = keyOf(k);
        const current = store.get(mk);
        const state = new StateImpl<S>(current !== undefined, current?.[1], false);
        mapped.push(fn(k, v, state));
        touched.add(mk);
        if (state.removed) store.remove(mk);
        else if (state.updated) store.put(mk, [current?.[0] ?? k, state.getOption() as S, time]);
        // With a timeout, data for a key keeps its state alive even if the function left it unchanged.
        else if (current !== undefined && timeoutMs !== undefined) store.put(mk, [current[0], current[1], time]);
      }
      if (timeoutMs !== undefined) {
        const threshold = time - timeoutMs;
        const expired: [KeyOf, Entry<K, S>][] = [];
        for (const [mk, entry] of store.entries()) if (!touched.has(mk) && entry[2] < threshold) expired.push([mk, entry]);
        for (const [mk, [k, s]] of expired) {
          mapped.push(fn(k, undefined, new StateImpl<S>(true, s, true)));
          store.remove(mk);
        }
      }
      const snapshot = this.wantSnapshots ? [...store.entries()].map(([, [k, s]]) => [k, s] as [K, S]) : null;
      return { mapped, snapshot };
    });
    return new RDD([[result]], ctx.session);
  }
}
