import { InternalError } from "../../common/errors.ts";
import type { StateStore } from "../../state/state-store.ts";
import type { DStreamOp, RunContext } from "../dstream-op.ts";

/**
 * Runs a stateful op's batch on rivulet's versioned state store. The state after the
 * batch at `time` is version (time − zeroTime) / slide, so versions follow the batches
 * one by one and a restart loads exactly the state the last completed batch left.
 *
 * Only the batch being generated commits its version (re-running a batch after a crash
 * rewrites the same version from the one before). Asking for an earlier time — a window
 * over a stateful stream after a restart — recomputes that batch from the version before
 * it and aborts: the checkpointed state is never changed from the past.
 */
export async function withStateVersion<V, R>(
  op: DStreamOp<unknown>,
  time: number,
  slideMs: number,
  ctx: RunContext,
  body: (store: StateStore<V>, fromEmpty: boolean) => R,
): Promise<R> {
  if (op.operatorId === undefined) throw new InternalError(`${op.name}: stateful op has no operator id (not registered)`);
  const version = (time - ctx.zeroTime) / slideMs;
  if (!Number.isSafeInteger(version) || version < 1) throw new InternalError(`${op.name}: no state version for time ${time}`);
  const store = await ctx.stateProvider<V>(op.operatorId).load(version - 1);
  let result: R;
  try {
    result = body(store, version === 1);
  } catch (error) {
    store.abort();
    throw error;
  }
  if (time === ctx.currentTime) await store.commit();
  else store.abort();
  return result;
}
