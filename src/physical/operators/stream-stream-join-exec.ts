import { ColumnBatch } from "../../columnar/column-batch.ts";
import { concatBatches } from "../../columnar/concat.ts";
import { keyString } from "../../columnar/key-string.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Join, JoinType } from "../../plan/logical-plan.ts";
import { StructType } from "../../types/data-types.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { OperatorState } from "../operator-state.ts";
import { JoinSideState, type BufferedRow } from "../stream-join/join-side-state.ts";
import { stateThreshold, streamJoinSpec, type JoinSide, type SideSpec, type StreamJoinSpec } from "../stream-join/join-spec.ts";
import { batchOfRows, valueRows } from "../stream-join/value-rows.ts";
import { selection } from "./filter-exec.ts";

/** A null join key never matches: such rows are buffered (for outer joins) under a key no lookup makes. */
const NULL_KEY = "\u0001null";

const SPARK_JOIN_TYPE: Record<JoinType, string> = {
  inner: "Inner", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter",
  left_semi: "LeftSemi", left_anti: "LeftAnti", cross: "Cross",
};

interface SideRuntime {
  readonly spec: SideSpec;
  readonly schema: StructType;
  readonly keys: readonly Evaluator[];
  readonly preJoinFilter: Evaluator | null;
  readonly state: JoinSideState;
}

/** Counts of one batch, for progress. */
interface BatchCounts { updated: number; removed: number; dropped: number }

/**
 * A join of two streams (Spark's StreamingSymmetricHashJoinExec). Each side buffers its
 * rows in state by join key; a new row of one side is joined with the other side's
 * buffered rows (the left side's new rows first, then the right side's against the left's
 * state including them, so a pair meets exactly once). Rows behind the watermark are
 * dropped on input; buffered rows are evicted when the watermark (on a watermarked join
 * key) or the state watermark a range condition gives says no future row can join them;
 * an outer side's evicted rows that never matched are then emitted with nulls, once.
 * Append output mode only. State: partition 0 holds the left side, 1 the right side.
 */
export class StreamStreamJoinExec implements StatefulOperator {
  readonly name = "StreamingSymmetricHashJoin";
  readonly children: readonly ExecOperator[];
  readonly #spec: StreamJoinSpec;
  readonly #sides: Record<JoinSide, SideRuntime>;
  readonly #postJoinFilter: Evaluator | null;
  readonly #combined: StructType;
  readonly #state: OperatorState;
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
    const runtime = (spec: SideSpec, input: ExecOperator): SideRuntime => ({
      spec, schema: input.schema, keys: spec.keys.map(compileExpression),
      preJoinFilter: spec.preJoinFilter ? compileExpression(spec.preJoinFilter) : null, state: new JoinSideState(),
    });
    this.#sides = { left: runtime(this.#spec.left, left), right: runtime(this.#spec.right, right) };
    this.#postJoinFilter = this.#spec.postJoinFilter ? compileExpression(this.#spec.postJoinFilter) : null;
    this.#combined = new StructType([...left.schema.fields, ...right.schema.fields]);
    this.#state = new OperatorState(operatorId, ([l, r]) => {
      this.#sides.left.state.restore(l!);
      this.#sides.right.state.restore(r!);
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
    return this.#state.open(state);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (!ctx.streaming) throw new InternalError("a stream–stream join runs in streaming queries only");
    await this.#state.ensureAt(ctx.batchId);
    const [leftBatches, rightBatches] = await Promise.all([this.left.execute(ctx), this.right.execute(ctx)]);
    const counts: BatchCounts = { updated: 0, removed: 0, dropped: 0 };
    const watermark = ctx.watermarkMicros;
    const thresholds = {
      left: stateThreshold(this.#spec, "left", watermark),
      right: stateThreshold(this.#spec, "right", watermark),
    };
    const out: (readonly unknown[])[] = [];
    const leftInput = this.#onTime(ctx, this.#sides.left, concatBatches(this.left.schema, leftBatches), counts);
    const rightInput = this.#onTime(ctx, this.#sides.right, concatBatches(this.right.schema, rightBatches), counts);
    this.#storeAndJoin(ctx, "left", leftInput, thresholds.left, out, counts);
    this.#storeAndJoin(ctx, "right", rightInput, thresholds.right, out, counts);
    for (const side of ["left", "right"] as const) this.#evict(side, thresholds[side], out, counts);

    if (this.#state.enabled) {
      await this.#state.commit(ctx.batchId, ([l, r]) => {
        this.#sides.left.state.writeChanges(l!);
        this.#sides.right.state.writeChanges(r!);
      });
    } else {
      this.#sides.left.state.clearChanges();
      this.#sides.right.state.clearChanges();
    }
    this.#metrics = {
      ...emptyStateMetrics("symmetricHashJoin"),
      numRowsTotal: this.#sides.left.state.numRows + this.#sides.right.state.numRows,
      numRowsUpdated: counts.updated,
      numRowsRemoved: counts.removed,
      numRowsDroppedByWatermark: counts.dropped,
      numStateStoreInstances: 2,
    };
    if (out.length === 0) return [];
    const joined = batchOfRows(this.#combined, out);
    return [new ColumnBatch(this.schema, this.outputColumns.map((c) => joined.columns[c]!), joined.numRows)];
  }

  /** Drops the rows behind the watermark on the side's watermarked column (Spark's late events). */
  #onTime(ctx: BatchContext, side: SideRuntime, batch: ColumnBatch, counts: BatchCounts): ColumnBatch {
    const column = side.spec.watermarkColumn;
    const watermark = ctx.watermarkMicros;
    if (column < 0 || watermark === -Infinity || batch.numRows === 0) return batch;
    const times = batch.columns[column]!;
    const keep: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < batch.numRows; i++) {
      const t = eventTimeMicros(valueAt(times, i));
      (t !== null && t <= watermark ? late : keep).push(i);
    }
    if (late.length === 0) return batch;
    counts.dropped += late.length;
    ctx.lateRows?.add(this.name, batch.take(Int32Array.from(late)), watermark);
    return batch.take(Int32Array.from(keep));
  }

  /**
   * Joins each new row of `sideName` with the other side's buffered rows, then buffers it
   * unless it could never join again (Spark's OneSideHashJoiner.storeAndJoinWithOtherSide).
   */
  #storeAndJoin(ctx: BatchContext, sideName: JoinSide, batch: ColumnBatch, threshold: number | null, out: (readonly unknown[])[], counts: BatchCounts): void {
    const n = batch.numRows;
    if (n === 0) return;
    const side = this.#sides[sideName];
    const other = this.#sides[sideName === "left" ? "right" : "left"];
    const isLeft = sideName === "left";
    const semi = this.joinType === "left_semi";
    const rows = valueRows(batch);
    const passes = new Uint8Array(n);
    if (side.preJoinFilter === null) passes.fill(1);
    else {
      const { indices, count } = selection(side.preJoinFilter(batch, ctx.eval));
      for (let j = 0; j < count; j++) passes[indices[j]!] = 1;
    }
    const keyVecs = side.keys.map((k) => k(batch, ctx.eval));
    const keys: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const parts = keyVecs.map((v) => valueAt(v, i));
      keys[i] = parts.some((p) => p === null) ? NULL_KEY : keyString(parts);
    }

    // Candidate pairs: this side's row i with the other side's buffered row (key, index).
    const pairRow: number[] = [];
    const pairOther: BufferedRow[] = [];
    const pairIndex: number[] = [];
    for (let i = 0; i < n; i++) {
      if (passes[i] === 0 || keys[i] === NULL_KEY) continue;
      const buffered = other.state.get(keys[i]!);
      if (buffered === undefined) continue;
      for (let j = 0; j < buffered.length; j++) { pairRow.push(i); pairOther.push(buffered[j]!); pairIndex.push(j); }
    }
    const pass = this.#postFilter(ctx, isLeft, rows, pairRow, pairOther);

    const matched = new Uint8Array(n);
    const nullsOther = new Array<unknown>(other.spec.width).fill(null);
    for (let p = 0; p < pairRow.length; p++) {
      if (pass !== null && pass[p] === 0) continue;
      const i = pairRow[p]!;
      const buffered = pairOther[p]!;
      if (semi) {
        // Left semi: each left row is emitted once, when it first finds a match.
        if (isLeft) { if (matched[i] === 0) out.push(rows[i]!); }
        else if (!buffered.matched) { out.push(buffered.values); other.state.markMatched(keys[i]!, pairIndex[p]!); }
        matched[i] = 1;
        continue;
      }
      matched[i] = 1;
      out.push(isLeft ? [...rows[i]!, ...buffered.values] : [...buffered.values, ...rows[i]!]);
      if (other.spec.outer) other.state.markMatched(keys[i]!, pairIndex[p]!);
    }

    for (let i = 0; i < n; i++) {
      if (passes[i] === 0) {
        // It can never join: an outer side emits it with nulls now; it is not buffered.
        if (side.spec.outer) out.push(isLeft ? [...rows[i]!, ...nullsOther] : [...nullsOther, ...rows[i]!]);
        continue;
      }
      if (semi && isLeft && matched[i] === 1) continue;
      if (keys[i] === NULL_KEY && !side.spec.outer && !(semi && isLeft)) continue;
      const evictTime = this.#evictTime(side, rows[i]!, keyVecs, i);
      // Spark does not buffer a row its side's state watermark would evict at once.
      if (threshold !== null && evictTime !== null && evictTime <= threshold) continue;
      side.state.append(keys[i]!, { values: rows[i]!, matched: matched[i] === 1, evictTime });
      counts.updated++;
    }
  }

  /** Evaluates the post-join filter over the candidate pairs; null when there is none (all pass). */
  #postFilter(ctx: BatchContext, isLeft: boolean, rows: readonly (readonly unknown[])[], pairRow: readonly number[], pairOther: readonly BufferedRow[]): Uint8Array | null {
    if (this.#postJoinFilter === null || pairRow.length === 0) return null;
    const combined = pairRow.map((i, p) => (isLeft ? [...rows[i]!, ...pairOther[p]!.values] : [...pairOther[p]!.values, ...rows[i]!]));
    const { indices, count } = selection(this.#postJoinFilter(batchOfRows(this.#combined, combined), ctx.eval));
    const pass = new Uint8Array(pairRow.length);
    for (let j = 0; j < count; j++) pass[indices[j]!] = 1;
    return pass;
  }

  #evictTime(side: SideRuntime, row: readonly unknown[], keyVecs: readonly Vec[], i: number): number | null {
    const e = side.spec.eviction;
    switch (e.kind) {
      case "none": return null;
      case "key": return eventTimeMicros(valueAt(keyVecs[e.keyIndex]!, i));
      case "value": return eventTimeMicros(row[e.column]);
    }
  }

  /** Evicts the side's rows no future row can join; an outer side's unmatched ones are emitted with nulls. */
  #evict(sideName: JoinSide, threshold: number | null, out: (readonly unknown[])[], counts: BatchCounts): void {
    if (threshold === null || threshold === -Infinity) return;
    const side = this.#sides[sideName];
    const removed = side.state.removeWhere((r) => r.evictTime !== null && r.evictTime <= threshold);
    counts.removed += removed.length;
    if (!side.spec.outer) return;
    const nullsOther = new Array<unknown>(this.#sides[sideName === "left" ? "right" : "left"].spec.width).fill(null);
    for (const r of removed) {
      if (r.matched) continue;
      out.push(sideName === "left" ? [...r.values, ...nullsOther] : [...nullsOther, ...r.values]);
    }
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}

