import { ColumnBatch } from "../../columnar/column-batch.ts";
import { takeVec, type Vec } from "../../columnar/vector.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { referencedColumns, type Expression } from "../../expr/expression.ts";
import { remapColumns } from "../../plan/rewrite-columns.ts";
import { StructType } from "../../types/data-types.ts";
import type { BatchContext } from "../exec-operator.ts";
import { selection } from "../operators/filter-exec.ts";

/**
 * The part of a join condition over both sides (Spark's postJoinFilter, e.g. the time
 * range), evaluated over a batch's candidate pairs at once: only the columns it reads are
 * gathered — from the new rows by row index and from the other side's state.
 */
export class PairFilter {
  /** Combined (left ++ right) column indices the condition reads, in order. */
  readonly #columns: readonly number[];
  readonly #schema: StructType;
  readonly #evaluate: Evaluator;

  constructor(condition: Expression, combined: StructType, readonly leftWidth: number) {
    this.#columns = [...referencedColumns(condition)].sort((a, b) => a - b);
    const position = new Map(this.#columns.map((c, k) => [c, k]));
    this.#schema = new StructType(this.#columns.map((c) => combined.fields[c]!));
    this.#evaluate = compileExpression(remapColumns(condition, (i) => position.get(i)!));
  }

  /**
   * Keeps the pairs (row `rows[p]` of `batch`, row `slots[p]` of the other side, whose
   * columns `gatherOther` reads) for which the condition holds, moved to the front of both
   * arrays; returns how many.
   */
  keep(ctx: BatchContext, batchIsLeft: boolean, batch: ColumnBatch, rows: Int32Array,
    gatherOther: (column: number, slots: Int32Array, n: number) => Vec, slots: Int32Array, n: number): number {
    const vecs: Vec[] = this.#columns.map((c) => {
      const isLeft = c < this.leftWidth;
      const index = isLeft ? c : c - this.leftWidth;
      return isLeft === batchIsLeft ? takeVec(batch.columns[index]!, rows, n) : gatherOther(index, slots, n);
    });
    const { indices, count } = selection(this.#evaluate(new ColumnBatch(this.#schema, vecs, n), ctx.eval));
    for (let j = 0; j < count; j++) {
      const p = indices[j]!;
      rows[j] = rows[p]!;
      slots[j] = slots[p]!;
    }
    return count;
  }
}
