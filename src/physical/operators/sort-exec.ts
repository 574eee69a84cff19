import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { concatBatches } from "../../columnar/concat.ts";
import { valueAt } from "../../columnar/vector.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { SortOrder } from "../../expr/expression.ts";
import { compareValues } from "../../expr/functions/comparison.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** A total sort of the batch's whole output (batch queries; complete-mode aggregations). */
export class SortExec implements ExecOperator {
  readonly name = "Sort";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;
  readonly #keys: Evaluator[];

  constructor(readonly input: ExecOperator, readonly orders: readonly SortOrder[]) {
    this.children = [input];
    this.schema = input.schema;
    this.#keys = orders.map((o) => compileExpression(o.child));
  }

  describe(): string {
    return `Sort [${this.orders.map(displayExpression).join(", ")}]`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const batches = (await this.input.execute(ctx)).filter((b) => b.numRows > 0);
    if (batches.length === 0) return [];
    const all = concatBatches(this.schema, batches);
    const keys = this.#keys.map((k) => k(all, ctx.eval));
    const n = all.numRows;
    // Sort row indices by key values read once into arrays (stable, as Spark's sort is for equal keys in one partition).
    const values = keys.map((k) => Array.from({ length: n }, (_, i) => valueAt(k, i)));
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => {
      for (let k = 0; k < this.orders.length; k++) {
        const o = this.orders[k]!;
        const x = values[k]![a], y = values[k]![b];
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === o.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return o.ascending ? c : -c;
      }
      return a - b;
    });
    return [all.take(Int32Array.from(idx))];
  }
}

