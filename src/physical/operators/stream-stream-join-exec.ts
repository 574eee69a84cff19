import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { concatBatches } from "../../columnar/concat.ts";
import { takeVec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Join, JoinType } from "../../plan/logical-plan.ts";
import { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { OperatorState } from "../operator-state.ts";
import { eventTimes, lateRows } from "../stream-join/event-times.ts";
import { joinedBatch } from "../stream-join/join-output.ts";
import { JoinKeyTable } from "../stream-join/join-key-table.ts";
import { JoinSideState } from "../stream-join/join-side-state.ts";
import { stateThreshold, streamJoinSpec, type JoinSide, type SideSpec, type StreamJoinSpec } from "../stream-join/join-spec.ts";
import { PairFilter } from "../stream-join/pair-filter.ts";
import { StoredJoinBatch, type JoinBatchCounts, type StoredJoinPlan } from "../stream-join/stored-join.ts";
import { DiskStateStoreProvider } from "../../state/disk/disk-state-store-provider.ts";
import { LmdbStateStoreProvider } from "../../state/lmdb/lmdb-state-store-provider.ts";
import type { StateStoreProvider } from "../../state/state-store.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";
import { streamJoinStateSchema } from "../operator-state-schemas.ts";
import { selection } from "./filter-exec.ts";

const SPARK_JOIN_TYPE: Record<JoinType, string> = {
  inner: "Inner", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter",
  left_semi: "LeftSemi", left_anti: "LeftAnti", cross: "Cross",
};

interface SideRuntime {
  readonly spec: SideSpec;
  readonly keys: readonly Evaluator[];
  readonly preJoinFilter: Evaluator | null;
  readonly state: JoinSideState;
}

type BatchCounts = JoinBatchCounts;

/** Providers that keep state beyond memory: the join's rows then live in the store (stored-join.ts). */
const keepsStateOnDisk = (p: StateStoreProvider): boolean => p instanceof DiskStateStoreProvider || p instanceof LmdbStateStoreProvider;

/**
 * A join of two streams (Spark's StreamingSymmetricHashJoinExec). Each side buffers its
 * rows in state by join key; a new row of one side is joined with the other side's
 * buffered rows (the left side's new rows first, then the right side's against the left's
 * state including them, so a pair meets exactly once). Rows behind the watermark are
 * dropped on input; buffered rows are evicted when the watermark (on a watermarked join
 * key) or the state watermark a range condition gives says no future row can join them;
 * an outer side's evicted rows that never matched are then emitted with nulls, once.
 * Append output mode only. State: partition 0 holds the left side, 1 the right side.
 *
 * All of it runs on columns: keys are hashed once per row into a key table shared by both
 * sides, candidate pairs are gathered by key and the rest of the condition (the time
 * range) is evaluated over them as one batch, and eviction walks each side's
 * time-ordered chunks (join-side-state.ts).
 *
 * With a disk-backed state store (rocksdb/disk, lmdb) the rows live in the store instead,
 * a record per join key read with getMany and written once a batch (stored-join.ts), so the
 * state may outgrow memory; the memory and file stores keep the in-memory path, which costs
 * a quarter of the CPU there (benchmarks/RESULTS.md).
 */
export class StreamStreamJoinExec implements StatefulOperator {
  readonly name = "StreamingSymmetricHashJoin";
  readonly children: readonly ExecOperator[];
  readonly #spec: StreamJoinSpec;
  readonly #sides: Record<JoinSide, SideRuntime>;
  readonly #keyTable: JoinKeyTable;
  readonly #pairFilter: PairFilter | null;
  readonly #state: OperatorState;
  /** Whether the rows live in the state stores (a disk-backed provider), not in memory. */
  #stored = false;
  readonly #storedPlan: StoredJoinPlan;
  #metrics: StateOperatorMetrics = emptyStateMetrics("symmetricHashJoin");

  constructor(
    readonly left: ExecOperator,
    readonly right: ExecOperator,
    readonly join: Join,
    /** Indices into left ++ right columns that form the output. */
    readonly outputColumns: readonly number[],
    readonly schema: StructType,
    readonly operatorId: number,
  ) {
    this.children = [left, right];
    this.#spec = streamJoinSpec(join);
    const semi = join.joinType === "left_semi";
    const runtime = (spec: SideSpec, input: ExecOperator): SideRuntime => ({
      spec, keys: spec.keys.map(compileExpression),
      preJoinFilter: spec.preJoinFilter ? compileExpression(spec.preJoinFilter) : null,
      state: new JoinSideState(input.schema, spec.keys.map((k) => k.dataType!), spec.outer || (semi && spec.side === "left")),
    });
    this.#sides = { left: runtime(this.#spec.left, left), right: runtime(this.#spec.right, right) };
    this.#keyTable = new JoinKeyTable(this.#spec.left.keys.map((k) => k.dataType!), (n) => {
      this.#sides.left.state.growKeySlots(n);
      this.#sides.right.state.growKeySlots(n);
    });
    this.#pairFilter = this.#spec.postJoinFilter === null ? null
      : new PairFilter(this.#spec.postJoinFilter, new StructType([...left.schema.fields, ...right.schema.fields]), this.#spec.left.width);
    this.#storedPlan = {
      spec: this.#spec, pairFilter: this.#pairFilter, schema, outputColumns, semi,
      sides: {
        left: { ...this.#sides.left, schema: left.schema },
        right: { ...this.#sides.right, schema: right.schema },
      },
    };
    this.#state = new OperatorState(operatorId, ([l, r]) => {
      if (this.#stored) return;
      this.#keyTable.clear();
      const slotsOf = this.#keyTable.slotsOf.bind(this.#keyTable);
      this.#sides.left.state.restore(l!, slotsOf);
      this.#sides.right.state.restore(r!, slotsOf);
    }, 2);
  }

  get joinType(): JoinType {
    return this.join.joinType;
  }

  describe(): string {
    const keys = this.#spec.left.keys.map((k, i) => `${displayExpression(k)} = ${displayExpression(this.#spec.right.keys[i]!)}`).join(", ");
    const cond = this.#spec.postJoinFilter ? `, condition ${displayExpression(this.#spec.postJoinFilter)}` : "";
    const evict = (s: SideSpec): string => (s.eviction.kind === "key" ? "key watermark" : s.eviction.kind === "value" ? "state value watermark" : "none");
    return `StreamingSymmetricHashJoin ${SPARK_JOIN_TYPE[this.joinType]} [${keys}]${cond}, eviction left: ${evict(this.#spec.left)}, right: ${evict(this.#spec.right)}`;
  }

  open(state: StateContext | null): Promise<void> {
    if (state === null) return this.#state.open(state);
    return this.#state.open({
      ...state,
      provider: (operatorId, partition) => {
        const provider = state.provider(operatorId, partition);
        this.#stored = keepsStateOnDisk(provider);
        return provider;
      },
    });
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (!ctx.streaming) throw new InternalError("a stream–stream join runs in streaming queries only");
    if (this.#stored) return this.#executeStored(ctx);
    await this.#state.ensureAt(ctx.batchId);
    const [leftBatches, rightBatches] = await Promise.all([this.left.execute(ctx), this.right.execute(ctx)]);
    const counts: BatchCounts = { updated: 0, removed: 0, dropped: 0 };
    const watermark = ctx.watermarkMicros;
    const thresholds = {
      left: stateThreshold(this.#spec, "left", watermark),
      right: stateThreshold(this.#spec, "right", watermark),
    };
    const persist = this.#state.enabled && this.#state.durable;
    const out: ColumnBatch[] = [];
    try {
      const leftInput = this.#onTime(ctx, this.#sides.left, concatBatches(this.left.schema, leftBatches), counts);
      const rightInput = this.#onTime(ctx, this.#sides.right, concatBatches(this.right.schema, rightBatches), counts);
      this.#storeAndJoin(ctx, "left", leftInput, thresholds.left, out, counts, persist);
      this.#storeAndJoin(ctx, "right", rightInput, thresholds.right, out, counts, persist);
      for (const side of ["left", "right"] as const) this.#evict(side, thresholds[side], out, counts, persist);
      if (this.#state.enabled) {
        await this.#state.commit(ctx.batchId, ([l, r]) => {
          if (!persist) return;
          this.#sides.left.state.writeChanges(l!);
          this.#sides.right.state.writeChanges(r!);
        });
      }
    } catch (error) {
      // The buffers hold part of this batch: a re-run reloads them from the store.
      this.#state.invalidate();
      throw error;
    }
    if (!persist) {
      this.#sides.left.state.clearChanges();
      this.#sides.right.state.clearChanges();
    }
    this.#metrics = {
      ...emptyStateMetrics("symmetricHashJoin"),
      numRowsTotal: this.#sides.left.state.numRows + this.#sides.right.state.numRows,
      numRowsUpdated: counts.updated,
      numRowsRemoved: counts.removed,
      numRowsDroppedByWatermark: counts.dropped,
      // Spark counts four stores a partition: keyToNumValues and keyWithIndexToValue of each side.
      numStateStoreInstances: 4,
      memoryUsedBytes: this.#state.memoryUsedBytes(),
    };
    return out.filter((b) => b.numRows > 0);
  }

  /** A batch on the rows in the state stores: read and written there, key by key (stored-join.ts). */
  async #executeStored(ctx: BatchContext): Promise<ColumnBatch[]> {
    const [leftBatches, rightBatches] = await Promise.all([this.left.execute(ctx), this.right.execute(ctx)]);
    const counts: BatchCounts = { updated: 0, removed: 0, dropped: 0 };
    const watermark = ctx.watermarkMicros;
    const out: ColumnBatch[] = [];
    const numRows = await this.#state.update(ctx.batchId, (stores) => {
      const batch = new StoredJoinBatch(this.#storedPlan, stores, out, counts);
      const leftInput = this.#onTime(ctx, this.#sides.left, concatBatches(this.left.schema, leftBatches), counts);
      const rightInput = this.#onTime(ctx, this.#sides.right, concatBatches(this.right.schema, rightBatches), counts);
      batch.storeAndJoin(ctx, "left", leftInput, stateThreshold(this.#spec, "left", watermark));
      batch.storeAndJoin(ctx, "right", rightInput, stateThreshold(this.#spec, "right", watermark));
      for (const side of ["left", "right"] as const) batch.evict(side, stateThreshold(this.#spec, side, watermark));
      batch.flush();
      return batch.numRows;
    });
    this.#metrics = {
      ...emptyStateMetrics("symmetricHashJoin"),
      numRowsTotal: numRows,
      numRowsUpdated: counts.updated,
      numRowsRemoved: counts.removed,
      numRowsDroppedByWatermark: counts.dropped,
      numStateStoreInstances: 4,
      memoryUsedBytes: this.#state.memoryUsedBytes(),
      customMetrics: this.#state.customMetrics(),
    };
    return out.filter((b) => b.numRows > 0);
  }

  /** Drops the rows behind the watermark on the side's watermarked column (Spark's late events). */
  #onTime(ctx: BatchContext, side: SideRuntime, batch: ColumnBatch, counts: BatchCounts): ColumnBatch {
    const column = side.spec.watermarkColumn;
    const watermark = ctx.watermarkMicros;
    if (column < 0 || watermark === -Infinity || batch.numRows === 0) return batch;
    const split = lateRows(batch.columns[column]!, watermark);
    if (split === null) return batch;
    counts.dropped += split.late.length;
    ctx.lateRows?.add(this.name, batch.take(split.late), watermark);
    return batch.take(split.onTime);
  }

  /**
   * Joins each new row of `sideName` with the other side's buffered rows, then buffers it
   * unless it could never join again (Spark's OneSideHashJoiner.storeAndJoinWithOtherSide).
   */
  #storeAndJoin(ctx: BatchContext, sideName: JoinSide, batch: ColumnBatch, threshold: number | null, out: ColumnBatch[], counts: BatchCounts, persist: boolean): void {
    const n = batch.numRows;
    if (n === 0) return;
    const side = this.#sides[sideName];
    const other = this.#sides[sideName === "left" ? "right" : "left"];
    const isLeft = sideName === "left";
    const semi = this.joinType === "left_semi";
    const leftWidth = this.#spec.left.width;
    const thisRows = (rows: Int32Array, m: number) => (c: number): ReturnType<typeof takeVec> => takeVec(batch.columns[c]!, rows, m);
    const otherRows = (slots: Int32Array, m: number) => (c: number): ReturnType<typeof takeVec> => other.state.columns[c]!.gather(slots, m);
    const emit = (thisSide: Int32Array | null, otherSide: Int32Array | null, m: number): void => {
      if (m === 0) return;
      const mine = thisSide === null ? null : thisRows(thisSide, m);
      const theirs = otherSide === null ? null : otherRows(otherSide, m);
      out.push(joinedBatch(this.schema, this.outputColumns, leftWidth, isLeft ? mine : theirs, isLeft ? theirs : mine, m));
    };

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
    const keySlots = new Int32Array(n).fill(-1);
    const found = this.#keyTable.slotsOf(keyVecs, candidates, numCandidates);
    for (let j = 0; j < numCandidates; j++) keySlots[candidates[j]!] = found[j]!;

    // Candidate pairs: this side's row with each buffered row of the other side under its key.
    let pairRow = new Int32Array(Math.max(16, n));
    let pairOther = new Int32Array(pairRow.length);
    let numPairs = 0;
    const head = other.state.head, next = other.state.next;
    for (let i = 0; i < n; i++) {
      const key = keySlots[i]!;
      if (key < 0) continue;
      for (let r = head[key]!; r >= 0; r = next[r]!) {
        if (numPairs === pairRow.length) {
          const a = new Int32Array(numPairs * 2); a.set(pairRow); pairRow = a;
          const b = new Int32Array(numPairs * 2); b.set(pairOther); pairOther = b;
        }
        pairRow[numPairs] = i;
        pairOther[numPairs++] = r;
      }
    }
    if (this.#pairFilter !== null && numPairs > 0) {
      numPairs = this.#pairFilter.keep(ctx, isLeft, batch, pairRow, (c, slots, m) => other.state.columns[c]!.gather(slots, m), pairOther, numPairs);
    }

    const matched = new Uint8Array(n);
    if (semi) {
      // Left semi: each left row is emitted once, when it first finds a match.
      const emitted = new Int32Array(numPairs);
      let m = 0;
      for (let p = 0; p < numPairs; p++) {
        const i = pairRow[p]!, r = pairOther[p]!;
        if (isLeft) { if (matched[i] === 0) emitted[m++] = i; }
        else if (other.state.matched[r] === 0) { emitted[m++] = r; other.state.markMatched(r); }
        matched[i] = 1;
      }
      if (isLeft) emit(emitted, null, m); else emit(null, emitted, m);
    } else {
      for (let p = 0; p < numPairs; p++) matched[pairRow[p]!] = 1;
      if (other.spec.outer) for (let p = 0; p < numPairs; p++) other.state.markMatched(pairOther[p]!);
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
    const kept = new Int32Array(n);
    let numKept = 0;
    for (let i = 0; i < n; i++) {
      if (passes[i] === 0) continue;
      if (semi && isLeft && matched[i] === 1) continue;
      if (keySlots[i]! < 0 && !keepsNullKeys) continue;
      // As Spark (AddingProcessedRowToStateCompletionIterator): a left row is always buffered, as
      // this batch's right rows are still to meet it; a right row the state watermark evicts at
      // once is not — unless it is an outer side's unmatched row, which eviction emits with nulls.
      if (!isLeft && threshold !== null && times !== null && times[i]! <= threshold && !(side.spec.outer && matched[i] === 0)) continue;
      kept[numKept++] = i;
    }
    side.state.append(batch, keyVecs, kept, numKept, keySlots, matched, times ?? new Float64Array(n).fill(Infinity), persist);
    counts.updated += numKept;
    // Keys this batch looked up but buffered nothing under.
    for (let j = 0; j < numCandidates; j++) {
      const key = found[j]!;
      if (key >= 0 && side.state.head[key] === -1 && other.state.head[key] === -1) this.#keyTable.remove(key);
    }
  }

  /** Evicts the side's rows no future row can join; an outer side's unmatched ones are emitted with nulls. */
  #evict(sideName: JoinSide, threshold: number | null, out: ColumnBatch[], counts: BatchCounts, persist: boolean): void {
    if (threshold === null || threshold === -Infinity) return;
    const side = this.#sides[sideName];
    const other = this.#sides[sideName === "left" ? "right" : "left"];
    const eviction = side.state.evict(threshold, side.spec.outer, persist);
    // Spark counts in numRowsRemoved only the rows its cleanup pass removes: those of a side that is not an outer side.
    if (!side.spec.outer) counts.removed += eviction.removed;
    for (const key of eviction.emptiedKeys) if (other.state.head[key] === -1) this.#keyTable.remove(key);
    const m = eviction.unmatched.length;
    if (m === 0) return;
    const slots = eviction.unmatched;
    const gather = (c: number): ReturnType<typeof takeVec> => side.state.columns[c]!.gather(slots, m);
    out.push(joinedBatch(this.schema, this.outputColumns, this.#spec.left.width,
      sideName === "left" ? gather : null, sideName === "left" ? null : gather, m));
  }

  /**
   * Spark's produceOutputWatermark for the join: the lowest of the two state watermarks and
   * the input watermark — an outer row leaves at its side's state watermark, a joined row
   * carries both sides' times.
   */
  outputWatermark(inputMicros: number): number {
    let min = inputMicros;
    for (const side of ["left", "right"] as const) {
      const threshold = stateThreshold(this.#spec, side, inputMicros);
      if (threshold !== null && threshold < min) min = threshold;
    }
    return min;
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  stateSchema(): OperatorStateSchema {
    const side = (spec: SideSpec, input: ExecOperator) => ({
      side: spec.side, keys: spec.keys, input: input.schema,
      tracksMatched: spec.outer || (this.join.joinType === "left_semi" && spec.side === "left"),
    });
    return streamJoinStateSchema(this.operatorId, this.name, [side(this.#spec.left, this.left), side(this.#spec.right, this.right)]);
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}
