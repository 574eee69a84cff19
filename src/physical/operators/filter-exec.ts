import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Expression } from "../../expr/expression.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** Indices of rows where a boolean vector is true (null counts as false). */
export function selection(v: Vec): { indices: Int32Array; count: number } {
  const n = v.length;
  const indices = new Int32Array(n);
  let count = 0;
  if (v.kind !== "bool") return { indices, count };
  const values = v.values, valid = v.valid;
  if (valid === null) {
    for (let i = 0; i < n; i++) if (values[i] === 1) indices[count++] = i;
  } else {
    for (let i = 0; i < n; i++) if ((values[i]! & valid[i]!) === 1) indices[count++] = i;
  }
  return { indices, count };
}

export class FilterExec implements ExecOperator {
  readonly name = "Filter";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;
  readonly #predicate: Evaluator;

  constructor(readonly input: ExecOperator, readonly condition: Expression) {
    this.children = [input];
    this.schema = input.schema;
    this.#predicate = compileExpression(condition);
  }

  describe(): string {
    return `Filter ${displayExpression(this.condition)}`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const out: ColumnBatch[] = [];
    for (const b of await this.input.execute(ctx)) {
      const { indices, count } = selection(this.#predicate(b, ctx.eval));
      if (count === b.numRows) out.push(b);
      else if (count > 0) out.push(b.take(indices, count));
    }
    return out;
  }
}
