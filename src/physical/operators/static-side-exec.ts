import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/**
 * The static side of a stream–static join, run as the batch query it is: an aggregation
 * (or deduplication) over a static table computes its whole answer each time, keeps no
 * state, and does not wait for a watermark to emit in append mode. It is no stateful
 * operator of the streaming query (the planner does not look inside it for state).
 */
export class StaticSideExec implements ExecOperator {
  readonly name = "StaticSide";
  readonly children: readonly ExecOperator[];

  constructor(readonly input: ExecOperator) {
    this.children = [input];
  }

  get schema() {
    return this.input.schema;
  }

  describe(): string {
    return "StaticSide";
  }

  execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    return this.input.execute(ctx.streaming ? { ...ctx, streaming: false, deferredReads: undefined } : ctx);
  }
}
