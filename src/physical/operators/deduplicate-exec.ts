import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { keyString } from "../../columnar/key-string.ts";
import { valueAt } from "../../columnar/vector.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { OperatorState } from "../operator-state.ts";
import type { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { groupIds } from "../group-ids.ts";

/**
 * dropDuplicates (Spark's StreamingDeduplicateExec): emits the first row of each key and
 * remembers the key. With a watermarked event-time column among the keys, keys whose
 * event time falls behind the watermark are forgotten and late rows are dropped.
 */
export class DeduplicateExec implements StatefulOperator {
  readonly name = "StreamingDeduplicate";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;
  #seen = new Map<string, number>();
  readonly #state: OperatorState;
  #metrics: StateOperatorMetrics = emptyStateMetrics("dedupe");

  constructor(
    readonly input: ExecOperator,
    readonly keys: readonly number[],
    readonly operatorId: number,
    /** Index (into keys' input) of the watermarked event-time column, or -1. */
    readonly eventTimeColumn: number,
  ) {
    this.children = [input];
    this.schema = input.schema;
    this.#state = new OperatorState(operatorId, ([store]) => {
      this.#seen = new Map([...store.entries()].map(([k, v]) => [k as string, v as number]));
    });
  }

  describe(): string {
    return `StreamingDeduplicate [${this.keys.map((k) => this.schema.fields[k]!.name).join(", ")}]`;
  }

  open(state: StateContext | null): Promise<void> {
    return this.#state.open(state);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (!ctx.streaming) this.#seen = new Map();
    else await this.#state.ensureAt(ctx.batchId);
    const watermark = ctx.streaming && this.eventTimeColumn >= 0 ? ctx.watermarkMicros : -Infinity;
    const out: ColumnBatch[] = [];
    const added: [string, number][] = [];
    let dropped = 0;
    for (const batch of await this.input.execute(ctx)) {
      const n = batch.numRows;
      if (n === 0) continue;
      // Rows behind the watermark are dropped (and handed to the late-row sink) before deduplication.
      let live = batch;
      if (watermark > -Infinity) {
        const times = batch.columns[this.eventTimeColumn]!;
        const late: number[] = [];
        const onTime: number[] = [];
        for (let i = 0; i < n; i++) {
          const t = eventTimeMicros(valueAt(times, i));
          (t !== null && t <= watermark ? late : onTime).push(i);
        }
        if (late.length > 0) {
          dropped += late.length;
          ctx.lateRows?.add(this.name, batch.take(Int32Array.from(late)), watermark);
          live = batch.take(Int32Array.from(onTime));
        }
      }
      const keyVecs = this.keys.map((k) => live.columns[k]!);
      const local = groupIds(keyVecs, live.numRows, null, null);
      const keep = new Int32Array(local.numGroups);
      let count = 0;
      for (let g = 0; g < local.numGroups; g++) {
        const r = local.firstRow[g]!;
        const eventTime = this.eventTimeColumn >= 0 ? eventTimeMicros(valueAt(live.columns[this.eventTimeColumn]!, r)) ?? Infinity : Infinity;
        const key = keyString(keyVecs.map((v) => valueAt(v, r)));
        if (this.#seen.has(key)) continue;
        this.#seen.set(key, eventTime);
        added.push([key, eventTime]);
        keep[count++] = r;
      }
      if (count > 0) out.push(live.take(keep.subarray(0, count).sort(), count));
    }
    const removed: string[] = [];
    if (watermark > -Infinity) {
      for (const [key, t] of this.#seen) if (t <= watermark) removed.push(key);
      for (const key of removed) this.#seen.delete(key);
    }
    if (ctx.streaming) {
      await this.#state.commit(ctx.batchId, ([store]) => {
        for (const [k, t] of added) if (this.#seen.has(k)) store.put(k, t);
        for (const k of removed) store.remove(k);
      });
    }
    this.#metrics = {
      ...emptyStateMetrics("dedupe"),
      numRowsTotal: this.#seen.size,
      numRowsUpdated: added.length,
      numRowsRemoved: removed.length,
      numRowsDroppedByWatermark: dropped,
    };
    return out;
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}
