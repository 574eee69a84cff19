import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** Rows held in memory (createDataFrame, memory-sink tables), read as they are when the query runs. */
export class LocalScanExec implements ExecOperator {
  readonly name = "LocalTableScan";
  readonly children: readonly ExecOperator[] = [];

  constructor(readonly relationName: string, readonly data: () => readonly ColumnBatch[], readonly schema: StructType) {}

  describe(): string {
    return `LocalTableScan ${this.relationName} [${this.schema.fieldNames.join(", ")}]`;
  }

  async execute(_ctx: BatchContext): Promise<ColumnBatch[]> {
    return this.data().map((b) => b.withSchema(this.schema));
  }
}
