import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { OperatorState } from "../operator-state.ts";
import type { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";

const COUNT_KEY = "count";

/**
 * limit(n) on a stream in append mode (Spark's StreamingGlobalLimitExec): at most n rows
 * over the whole query, so the number already emitted is state, checkpointed like any.
 */
export class StreamingLimitExec implements StatefulOperator {
  readonly name = "StreamingGlobalLimit";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;
  #emitted = 0;
  readonly #state: OperatorState;
  #metrics: StateOperatorMetrics = emptyStateMetrics("globalLimit");

  constructor(readonly input: ExecOperator, readonly limit: number, readonly operatorId: number) {
    this.children = [input];
    this.schema = input.schema;
    this.#state = new OperatorState(operatorId, ([store]) => { this.#emitted = (store.get(COUNT_KEY) as number | undefined) ?? 0; });
  }

  describe(): string {
    return `StreamingGlobalLimit ${this.limit}`;
  }

  open(state: StateContext | null): Promise<void> {
    return this.#state.open(state);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    await this.#state.ensureAt(ctx.batchId);
    const out: ColumnBatch[] = [];
    let taken = 0;
    for (const b of await this.input.execute(ctx)) {
      const left = this.limit - this.#emitted - taken;
      if (left <= 0) break;
      const part = b.numRows <= left ? b : b.slice(0, left);
      taken += part.numRows;
      if (part.numRows > 0) out.push(part);
    }
    this.#emitted += taken;
    await this.#state.commit(ctx.batchId, ([store]) => { if (taken > 0) store.put(COUNT_KEY, this.#emitted); });
    this.#metrics = { ...emptyStateMetrics("globalLimit"), numRowsTotal: 1, numRowsUpdated: taken > 0 ? 1 : 0 };
    return out;
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}
