import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

export class UnionExec implements ExecOperator {
  readonly name = "Union";

  constructor(readonly children: readonly ExecOperator[], readonly schema: StructType) {}

  describe(): string {
    return "Union";
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const parts = await Promise.all(this.children.map((c) => c.execute(ctx)));
    return parts.flat().map((b) => b.withSchema(this.schema));
  }
}
