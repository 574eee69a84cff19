import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** An opaque user function over each batch (typed Dataset lambdas). */
export class MapBatchesExec implements ExecOperator {
  readonly name = "MapBatches";
  readonly children: readonly ExecOperator[];

  constructor(readonly input: ExecOperator, readonly label: string, readonly fn: (b: ColumnBatch) => ColumnBatch, readonly schema: StructType) {
    this.children = [input];
  }

  describe(): string {
    return `MapBatches ${this.label}`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    return (await this.input.execute(ctx)).map((b) => this.fn(b).withSchema(this.schema));
  }
}
