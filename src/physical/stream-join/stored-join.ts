import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { takeVec, valueAt, type Vec } from "../../columnar/vector.ts";
import type { Evaluator } from "../../expr/compile.ts";
import type { StateStore } from "../../state/state-store.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext } from "../exec-operator.ts";
import { groupIds } from "../group-ids.ts";
import { selection } from "../operators/filter-exec.ts";
import { eventTimes } from "./event-times.ts";
import { joinedBatch } from "./join-output.ts";
import type { JoinSide, SideSpec, StreamJoinSpec } from "./join-spec.ts";
import { appendRows, isMatched, KeyRowRefs, markMatched } from "./key-rows.ts";
import type { PairFilter } from "./pair-filter.ts";
import { keyRecord, StoredJoinSide } from "./stored-join-side.ts";

/** A side as the stored join runs it. */
export interface StoredSideRuntime {
  readonly spec: SideSpec;
  readonly schema: StructType;
  readonly keys: readonly Evaluator[];
  readonly preJoinFilter: Evaluator | null;
}

/** Counts of one batch, for progress. */
export interface JoinBatchCounts { updated: number; removed: number; dropped: number }

/** What the stored join needs of its operator. */
export interface StoredJoinPlan {
  readonly spec: StreamJoinSpec;
  readonly sides: Record<JoinSide, StoredSideRuntime>;
  readonly pairFilter: PairFilter | null;
  readonly schema: StructType;
  readonly outputColumns: readonly number[];
  readonly semi: boolean;
}

/**
 * One batch of a stream–stream join whose buffered rows live in the state stores (one per
 * side, see stored-join-side.ts), for a disk-backed store: the same steps as the in-memory
 * join (stream-stream-join-exec.ts) — the left side's new rows joined with the right's
 * state, buffered, then the right's joined with the left's — on key records read once per
 * batch, then eviction through the time index, then every changed record written once.
 */
export class StoredJoinBatch {
  readonly #plan: StoredJoinPlan;
  readonly #state: Record<JoinSide, StoredJoinSide>;
  readonly #out: ColumnBatch[];
  readonly #counts: JoinBatchCounts;

  constructor(plan: StoredJoinPlan, stores: readonly StateStore[], out: ColumnBatch[], counts: JoinBatchCounts) {
    this.#plan = plan;
    this.#state = {
      left: new StoredJoinSide(stores[0]!, plan.sides.left.schema.fields.length),
      right: new StoredJoinSide(stores[1]!, plan.sides.right.schema.fields.length),
    };
    this.#out = out;
    this.#counts = counts;
  }

  get numRows(): number {
    return this.#state.left.numRows + this.#state.right.numRows;
  }

  /** Writes the batch's changes into the stores (their commit follows). */
  flush(): void {
    this.#state.left.flush();
    this.#state.right.flush();
  }

  /** Joins the side's new rows with the other side's state, then buffers them (Spark's storeAndJoinWithOtherSide). */
  storeAndJoin(ctx: BatchContext, sideName: JoinSide, batch: ColumnBatch, threshold: number | null): void {
    const n = batch.numRows;
    if (n === 0) return;
    const plan = this.#plan;
    const side = plan.sides[sideName];
    const otherName = sideName === "left" ? "right" : "left";
    const other = plan.sides[otherName];
    const mine = this.#state[sideName], theirs = this.#state[otherName];
    const isLeft = sideName === "left";
    const semi = plan.semi;

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

    // The store key of each candidate row's join key, by index into `keys` (-1 for a key with a null part: never matches).
    const keys: string[] = [];
    const keyIndex = new Map<string, number>();
    const rowKeyIndex = new Int32Array(n).fill(-1);
    const groups = groupIds(keyVecs, numCandidates, candidates, null);
    const groupKey = new Int32Array(groups.numGroups);
    for (let g = 0; g < groups.numGroups; g++) {
      const r = candidates[groups.firstRow[g]!]!;
      const key = keyRecord(keyVecs.map((v) => valueAt(v, r)));
      if (key === null) { groupKey[g] = -1; continue; }
      let k = keyIndex.get(key);
      if (k === undefined) { k = keys.length; keys.push(key); keyIndex.set(key, k); }
      groupKey[g] = k;
    }
    for (let j = 0; j < numCandidates; j++) rowKeyIndex[candidates[j]!] = groupKey[groups.ids[j]!]!;

    // The other side's rows under those keys, and the candidate pairs.
    const refs = new KeyRowRefs(other.schema);
    const refKey: number[] = [];
    const start = new Int32Array(keys.length), end = new Int32Array(keys.length);
    const otherRecs = theirs.records(keys);
    for (let k = 0; k < keys.length; k++) {
      const rec = otherRecs[k];
      start[k] = refs.size;
      if (rec !== undefined) for (let r = 0; r < (rec[0] as number); r++) { refs.add(rec, r); refKey.push(k); }
      end[k] = refs.size;
    }
    let pairRow = new Int32Array(Math.max(16, n));
    let pairOther = new Int32Array(pairRow.length);
    let numPairs = 0;
    for (let i = 0; i < n; i++) {
      const k = rowKeyIndex[i]!;
      if (k < 0) continue;
      for (let ref = start[k]!; ref < end[k]!; ref++) {
        if (numPairs === pairRow.length) {
          const a = new Int32Array(numPairs * 2); a.set(pairRow); pairRow = a;
          const b = new Int32Array(numPairs * 2); b.set(pairOther); pairOther = b;
        }
        pairRow[numPairs] = i;
        pairOther[numPairs++] = ref;
      }
    }
    const gatherOther = (c: number, at: ArrayLike<number>, m: number): Vec => refs.gather(c, at, m);
    if (plan.pairFilter !== null && numPairs > 0) {
      numPairs = plan.pairFilter.keep(ctx, isLeft, batch, pairRow, gatherOther, pairOther, numPairs);
    }
    const emit = (thisSide: Int32Array | null, otherSide: Int32Array | null, m: number): void => {
      if (m === 0) return;
      const a = thisSide === null ? null : (c: number): Vec => takeVec(batch.columns[c]!, thisSide, m);
      const b = otherSide === null ? null : (c: number): Vec => gatherOther(c, otherSide, m);
      this.#out.push(joinedBatch(plan.schema, plan.outputColumns, plan.spec.left.width, isLeft ? a : b, isLeft ? b : a, m));
    };
    const mark = (ref: number): void => {
      markMatched(refs.recs[ref]!, refs.rows[ref]!);
      theirs.touch(keys[refKey[ref]!]!);
    };

    const matched = new Uint8Array(n);
    if (semi) {
      // Left semi: each left row is emitted once, when it first finds a match.
      const emitted = new Int32Array(numPairs);
      let m = 0;
      for (let p = 0; p < numPairs; p++) {
        const i = pairRow[p]!, ref = pairOther[p]!;
        if (isLeft) { if (matched[i] === 0) emitted[m++] = i; }
        else if (!isMatched(refs.recs[ref]!, refs.rows[ref]!)) { emitted[m++] = ref; mark(ref); }
        matched[i] = 1;
      }
      if (isLeft) emit(emitted, null, m); else emit(null, emitted, m);
    } else {
      for (let p = 0; p < numPairs; p++) matched[pairRow[p]!] = 1;
      if (other.spec.outer) {
        for (let p = 0; p < numPairs; p++) {
          const ref = pairOther[p]!;
          if (!isMatched(refs.recs[ref]!, refs.rows[ref]!)) mark(ref);
        }
      }
      emit(pairRow, pairOther, numPairs);
    }

    // Rows failing this side's own condition can never join: an outer side emits them with nulls now, unbuffered.
    if (side.spec.outer && numCandidates < n) {
      const failing = new Int32Array(n - numCandidates);
      let m = 0;
      for (let i = 0; i < n; i++) if (passes[i] === 0) failing[m++] = i;
      emit(failing, null, m);
    }

    const times = side.spec.eviction.kind === "none" ? null
      : eventTimes(side.spec.eviction.kind === "key" ? keyVecs[side.spec.eviction.keyIndex]! : batch.columns[side.spec.eviction.column]!);
    const keepsNullKeys = side.spec.outer || (semi && isLeft);
    // Kept rows grouped by record (counting sort): a key's (its index in `keys`), or this batch's record of rows with null keys (keys.length).
    const recordOf = new Int32Array(n).fill(-1);
    const count = new Int32Array(keys.length + 2);
    let numKept = 0;
    for (let i = 0; i < n; i++) {
      if (passes[i] === 0) continue;
      if (semi && isLeft && matched[i] === 1) continue;
      if (rowKeyIndex[i]! < 0 && !keepsNullKeys) continue;
      // As the in-memory join: a right row the state watermark evicts at once is not buffered, unless it is an outer side's unmatched row.
      if (!isLeft && threshold !== null && times !== null && times[i]! <= threshold && !(side.spec.outer && matched[i] === 0)) continue;
      const k = rowKeyIndex[i]! >= 0 ? rowKeyIndex[i]! : keys.length;
      recordOf[i] = k;
      count[k + 1]!++;
      numKept++;
    }
    if (numKept === 0) return;
    for (let k = 0; k <= keys.length; k++) count[k + 1]! += count[k]!;
    const from = count.slice(0, keys.length + 1);
    const order = new Int32Array(numKept);
    for (let i = 0; i < n; i++) if (recordOf[i]! >= 0) order[count[recordOf[i]!]!++] = i;
    const recordKeys: string[] = [];
    const recordAt: number[] = [];
    for (let k = 0; k <= keys.length; k++) {
      if (count[k] === from[k]) continue;
      recordKeys.push(k < keys.length ? keys[k]! : mine.newNullKeyRecord());
      recordAt.push(k);
    }
    const current = mine.records(recordKeys);
    const indexKeys: string[] = [], indexTimes: number[] = [];
    const width = side.schema.fields.length;
    const rowTimes = times ?? new Float64Array(n).fill(Infinity);
    for (let j = 0; j < recordKeys.length; j++) {
      const key = recordKeys[j]!, k = recordAt[j]!;
      const a = from[k]!, b = count[k]!;
      for (let o = a; o < b; o++) {
        const t = rowTimes[order[o]!]!;
        if (t < Infinity) { indexKeys.push(key); indexTimes.push(t); }
      }
      mine.set(key, appendRows(current[j], width, batch.columns, order.subarray(a, b), rowTimes, matched), b - a);
    }
    mine.addIndexEntry(indexKeys, indexTimes);
    this.#counts.updated += numKept;
  }

  /** Evicts the side's rows no future row can join; an outer side's unmatched ones are emitted with nulls. */
  evict(sideName: JoinSide, threshold: number | null): void {
    if (threshold === null || threshold === -Infinity) return;
    const plan = this.#plan;
    const side = plan.sides[sideName];
    const unmatched = new KeyRowRefs(side.schema);
    const outer = side.spec.outer;
    const removed = this.#state[sideName].evict(threshold, (rec, r) => {
      if (outer && !isMatched(rec, r)) unmatched.add(rec, r);
    });
    // Spark counts in numRowsRemoved only the rows its cleanup pass removes: those of a side that is not an outer side.
    if (!outer) this.#counts.removed += removed;
    const m = unmatched.size;
    if (m === 0) return;
    const all = Int32Array.from({ length: m }, (_, j) => j);
    const gather = (c: number): Vec => unmatched.gather(c, all, m);
    this.#out.push(joinedBatch(plan.schema, plan.outputColumns, plan.spec.left.width,
      sideName === "left" ? gather : null, sideName === "left" ? null : gather, m));
  }
}
