import { ColumnBatch } from "../../columnar/column-batch.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Expression } from "../../expr/expression.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

export class ProjectExec implements ExecOperator {
  readonly name = "Project";
  readonly children: readonly ExecOperator[];
  readonly #evaluators: readonly Evaluator[];

  constructor(readonly input: ExecOperator, readonly exprs: readonly Expression[], readonly schema: StructType) {
    this.children = [input];
    this.#evaluators = exprs.map(compileExpression);
  }

  describe(): string {
    return `Project [${this.exprs.map(displayExpression).join(", ")}]`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const batches = await this.input.execute(ctx);
    return batches.map((b) => new ColumnBatch(this.schema, this.#evaluators.map((e) => e(b, ctx.eval)), b.numRows));
  }
}
