import { ColumnBatch } from "../../columnar/column-batch.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Expression } from "../../expr/expression.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** Each input batch once per projection (Spark's ExpandExec): grouping sets feed one aggregation. */
export class ExpandExec implements ExecOperator {
  readonly name = "Expand";
  readonly children: readonly ExecOperator[];
  readonly #projections: readonly (readonly Evaluator[])[];

  constructor(readonly input: ExecOperator, readonly projections: readonly (readonly Expression[])[], readonly schema: StructType) {
    this.children = [input];
    this.#projections = projections.map((row) => row.map(compileExpression));
  }

  describe(): string {
    return `Expand [${this.projections.map((row) => `[${row.map(displayExpression).join(", ")}]`).join(", ")}]`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const out: ColumnBatch[] = [];
    for (const b of await this.input.execute(ctx)) {
      for (const row of this.#projections) out.push(new ColumnBatch(this.schema, row.map((e) => e(b, ctx.eval)), b.numRows));
    }
    return out;
  }
}
