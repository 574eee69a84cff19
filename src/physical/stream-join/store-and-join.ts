import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { takeVec, type Vec } from "../../columnar/vector.ts";
import type { BatchContext } from "../exec-operator.ts";
import { selection } from "../operators/filter-exec.ts";
import { PairList } from "./buffered-side.ts";
import { eventTimes } from "./event-times.ts";
import { joinedBatch } from "./join-output.ts";
import type { JoinBatchState, JoinPlan } from "./join-plan.ts";
import type { JoinSide } from "./join-spec.ts";

/**
 * Joins the new rows of `sideName` with the other side's buffered rows, then buffers them
 * unless they could never join again (Spark's OneSideHashJoiner.storeAndJoinWithOtherSide):
 * the one place these rules live, for the in-memory and the stored join alike.
 */
export function storeAndJoin(ctx: BatchContext, plan: JoinPlan, state: JoinBatchState, sideName: JoinSide,
  batch: ColumnBatch, threshold: number | null): void {
  const n = batch.numRows;
  if (n === 0) return;
  const side = plan.sides[sideName];
  const otherName: JoinSide = sideName === "left" ? "right" : "left";
  const other = plan.sides[otherName];
  const mine = state.sides[sideName], theirs = state.sides[otherName];
  const isLeft = sideName === "left";
  const semi = plan.semi;
  const gatherOther = (c: number, refs: ArrayLike<number>, m: number): Vec => theirs.gather(c, refs, m);
  const emit = (thisSide: Int32Array | null, otherSide: Int32Array | null, m: number): void => {
    if (m === 0) return;
    const a = thisSide === null ? null : (c: number): Vec => takeVec(batch.columns[c]!, thisSide, m);
    const b = otherSide === null ? null : (c: number): Vec => gatherOther(c, otherSide, m);
    state.out.push(joinedBatch(plan.schema, plan.outputColumns, plan.spec.left.width, isLeft ? a : b, isLeft ? b : a, m));
  };

  // Rows failing the side's own condition (Spark's preJoinFilter) never join and are never buffered.
  const passes = new Uint8Array(n);
  if (side.preJoinFilter === null) passes.fill(1);
  else {
    const { indices, count } = selection(side.preJoinFilter(batch, ctx.eval));
    for (let j = 0; j < count; j++) passes[indices[j]!] = 1;
  }
  const keyVecs = side.keys.map((k) => k(batch, ctx.eval));
  const candidates = new Int32Array(n);
  let numCandidates = 0;
  for (let i = 0; i < n; i++) if (passes[i] === 1) candidates[numCandidates++] = i;
  const found = state.keys.idsOf(keyVecs, candidates, numCandidates);
  const ids = new Int32Array(n).fill(-1);
  for (let j = 0; j < numCandidates; j++) ids[candidates[j]!] = found[j]!;

  // Candidate pairs: each row with every buffered row of the other side under its key; then the rest of the condition.
  const pairs = new PairList(n);
  theirs.probe(ids, n, pairs);
  let numPairs = pairs.size;
  const pairRow = pairs.rows, pairOther = pairs.refs;
  if (plan.pairFilter !== null && numPairs > 0) {
    numPairs = plan.pairFilter.keep(ctx, isLeft, batch, pairRow, gatherOther, pairOther, numPairs);
  }

  const matched = new Uint8Array(n);
  if (semi) {
    // Left semi: each left row is emitted once, when it first finds a match.
    const emitted = new Int32Array(numPairs);
    let m = 0;
    for (let p = 0; p < numPairs; p++) {
      const i = pairRow[p]!, ref = pairOther[p]!;
      if (isLeft) { if (matched[i] === 0) emitted[m++] = i; }
      else if (!theirs.isMatched(ref)) { emitted[m++] = ref; theirs.markMatched(ref); }
      matched[i] = 1;
    }
    if (isLeft) emit(emitted, null, m); else emit(null, emitted, m);
  } else {
    for (let p = 0; p < numPairs; p++) matched[pairRow[p]!] = 1;
    if (other.spec.outer) for (let p = 0; p < numPairs; p++) if (!theirs.isMatched(pairOther[p]!)) theirs.markMatched(pairOther[p]!);
    emit(pairRow, pairOther, numPairs);
  }

  // An outer side emits its rows failing its own condition with nulls now, unbuffered.
  if (side.spec.outer && numCandidates < n) {
    const failing = new Int32Array(n - numCandidates);
    let m = 0;
    for (let i = 0; i < n; i++) if (passes[i] === 0) failing[m++] = i;
    emit(failing, null, m);
  }

  const times = side.spec.eviction.kind === "none" ? null
    : eventTimes(side.spec.eviction.kind === "key" ? keyVecs[side.spec.eviction.keyIndex]! : batch.columns[side.spec.eviction.column]!);
  const keepsNullKeys = side.spec.outer || (semi && isLeft);
  const kept = new Int32Array(n);
  let numKept = 0;
  for (let i = 0; i < n; i++) {
    if (passes[i] === 0) continue;
    if (semi && isLeft && matched[i] === 1) continue;
    if (ids[i]! < 0 && !keepsNullKeys) continue;
    // As Spark (AddingProcessedRowToStateCompletionIterator): a left row is always buffered, as
    // this batch's right rows are still to meet it; a right row the state watermark evicts at
    // once is not — unless it is an outer side's unmatched row, which eviction emits with nulls.
    if (!isLeft && threshold !== null && times !== null && times[i]! <= threshold && !(side.spec.outer && matched[i] === 0)) continue;
    kept[numKept++] = i;
  }
  mine.buffer(batch, keyVecs, kept, numKept, ids, matched, times ?? new Float64Array(n).fill(Infinity));
  state.counts.updated += numKept;
  state.keys.release(found, numCandidates);
}
