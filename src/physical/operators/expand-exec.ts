import { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Vec } from "../../columnar/vector.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Expression } from "../../expr/expression.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/**
 * Each input batch once per projection (Spark's ExpandExec): grouping sets and DISTINCT
 * aggregates over several value sets (rewrite_distinct_aggregates) feed one aggregation.
 * A projection's literals (the NULLs of the columns it leaves out, its grouping id) are the
 * same vector for every batch of a length: made once, not once per batch (vectors are never
 * written once made).
 */
export class ExpandExec implements ExecOperator {
  readonly name = "Expand";
  readonly children: readonly ExecOperator[];
  readonly #projections: readonly (readonly Evaluator[])[];

  constructor(readonly input: ExecOperator, readonly projections: readonly (readonly Expression[])[], readonly schema: StructType) {
    this.children = [input];
    this.#projections = projections.map((row) => row.map((e) => (e.kind === "Literal" ? sameForLength(compileExpression(e)) : compileExpression(e))));
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

/** A constant's evaluator that keeps its last vector and hands it out again for a batch of the same length. */
function sameForLength(constant: Evaluator): Evaluator {
  let last: Vec | null = null;
  return (batch, ctx) => {
    if (last === null || last.length !== batch.numRows) last = constant(batch, ctx);
    return last;
  };
}
