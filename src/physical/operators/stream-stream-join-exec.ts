import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { concatBatches } from "../../columnar/concat.ts";
import { InternalError } from "../../common/errors.ts";
import { compileExpression } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Join, JoinType } from "../../plan/logical-plan.ts";
import { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { OperatorState } from "../operator-state.ts";
import { lateRows } from "../stream-join/event-times.ts";
import { joinBatch } from "../stream-join/join-batch.ts";
import type { JoinBatchCounts, JoinPlan, JoinSideRuntime } from "../stream-join/join-plan.ts";
import { stateThreshold, streamJoinSpec, type SideSpec, type StreamJoinSpec } from "../stream-join/join-spec.ts";
import { MemoryJoinState } from "../stream-join/memory-join-state.ts";
import { PairFilter } from "../stream-join/pair-filter.ts";
import { StoredJoinState } from "../stream-join/stored-join.ts";
import { notingStateOnDisk } from "../state-on-disk.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";
import { streamJoinStateSchema } from "../operator-state-schemas.ts";

const SPARK_JOIN_TYPE: Record<JoinType, string> = {
  inner: "Inner", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter",
  left_semi: "LeftSemi", left_anti: "LeftAnti", cross: "Cross",
};

/** Providers that keep state beyond memory: the join's rows then live in the store (stored-join.ts). */

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
 * A batch's steps (stream-join/join-batch.ts) run on columns, on either of two homes for
 * the buffered rows. With the memory and file stores the rows live in memory
 * (memory-join-state.ts: keys hashed once per row into a key table shared by both sides,
 * eviction walking each side's time-ordered chunks), checkpointed as chunk records. With a
 * disk-backed store (rocksdb/disk, lmdb) they live in the store (stored-join.ts: a record
 * per join key, read with getMany and written once a batch), so the state may outgrow
 * memory; the in-memory home costs less CPU where the store holds everything in memory
 * anyway (benchmarks/RESULTS.md).
 */
export class StreamStreamJoinExec implements StatefulOperator {
  readonly name = "StreamingSymmetricHashJoin";
  readonly children: readonly ExecOperator[];
  readonly #spec: StreamJoinSpec;
  readonly #plan: JoinPlan;
  readonly #memory: MemoryJoinState;
  readonly #state: OperatorState;
  /** Whether the rows live in the state stores (a disk-backed provider), not in memory. */
  #stored = false;
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
    const runtime = (spec: SideSpec, input: ExecOperator): JoinSideRuntime => ({
      spec, schema: input.schema, keys: spec.keys.map(compileExpression),
      preJoinFilter: spec.preJoinFilter ? compileExpression(spec.preJoinFilter) : null,
    });
    const pairFilter = this.#spec.postJoinFilter === null ? null
      : new PairFilter(this.#spec.postJoinFilter, new StructType([...left.schema.fields, ...right.schema.fields]), this.#spec.left.width);
    this.#plan = {
      spec: this.#spec, pairFilter, schema, outputColumns, semi: join.joinType === "left_semi",
      sides: { left: runtime(this.#spec.left, left), right: runtime(this.#spec.right, right) },
    };
    this.#memory = new MemoryJoinState(this.#plan);
    this.#state = new OperatorState(operatorId, ([l, r]) => {
      if (!this.#stored) this.#memory.restore(l!, r!);
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
    return this.#state.open(notingStateOnDisk(state, (onDisk) => { this.#stored = onDisk; }));
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (!ctx.streaming) throw new InternalError("a stream–stream join runs in streaming queries only");
    const [leftBatches, rightBatches] = await Promise.all([this.left.execute(ctx), this.right.execute(ctx)]);
    const counts: JoinBatchCounts = { updated: 0, removed: 0, dropped: 0 };
    const out: ColumnBatch[] = [];
    const inputs = (): [ColumnBatch, ColumnBatch] => [
      this.#onTime(ctx, this.#spec.left, concatBatches(this.left.schema, leftBatches), counts),
      this.#onTime(ctx, this.#spec.right, concatBatches(this.right.schema, rightBatches), counts),
    ];
    let numRows: number;
    if (this.#stored) {
      numRows = await this.#state.update(ctx.batchId, (stores) => {
        const state = new StoredJoinState(this.#plan, stores);
        joinBatch(ctx, this.#plan, { keys: state.keys, sides: state.sides, out, counts }, ...inputs());
        state.flush();
        return state.numRows;
      });
    } else {
      numRows = await this.#executeInMemory(ctx, inputs, out, counts);
    }
    this.#metrics = {
      ...emptyStateMetrics("symmetricHashJoin"),
      numRowsTotal: numRows,
      numRowsUpdated: counts.updated,
      numRowsRemoved: counts.removed,
      numRowsDroppedByWatermark: counts.dropped,
      // Spark counts four stores a partition: keyToNumValues and keyWithIndexToValue of each side.
      numStateStoreInstances: 4,
      memoryUsedBytes: this.#state.memoryUsedBytes(),
      ...(this.#stored ? { customMetrics: this.#state.customMetrics() } : {}),
    };
    return out.filter((b) => b.numRows > 0);
  }

  /** A batch on the rows in memory; the store, if durable, gets what changed (new chunks, eviction counts, matched flags). */
  async #executeInMemory(ctx: BatchContext, inputs: () => [ColumnBatch, ColumnBatch], out: ColumnBatch[], counts: JoinBatchCounts): Promise<number> {
    await this.#state.ensureAt(ctx.batchId);
    const memory = this.#memory;
    const persist = this.#state.enabled && this.#state.durable;
    memory.persist = persist;
    try {
      joinBatch(ctx, this.#plan, { keys: memory.keys, sides: memory.sides, out, counts }, ...inputs());
      if (this.#state.enabled) {
        await this.#state.commit(ctx.batchId, ([l, r]) => { if (persist) memory.writeChanges(l!, r!); });
      }
    } catch (error) {
      // The buffers hold part of this batch: a re-run reloads them from the store.
      this.#state.invalidate();
      throw error;
    }
    if (!persist) memory.clearChanges();
    return memory.numRows;
  }

  /** Drops the rows behind the watermark on the side's watermarked column (Spark's late events). */
  #onTime(ctx: BatchContext, side: SideSpec, batch: ColumnBatch, counts: JoinBatchCounts): ColumnBatch {
    const column = side.watermarkColumn;
    const watermark = ctx.watermarkMicros;
    if (column < 0 || watermark === -Infinity || batch.numRows === 0) return batch;
    const split = lateRows(batch.columns[column]!, watermark);
    if (split === null) return batch;
    counts.dropped += split.late.length;
    ctx.lateRows?.add(this.name, batch.take(split.late), watermark);
    return batch.take(split.onTime);
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
