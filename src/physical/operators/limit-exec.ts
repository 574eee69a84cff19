import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** The first `limit` rows of the output (per batch query, or per complete-mode result). */
export class LimitExec implements ExecOperator {
  readonly name = "Limit";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;

  constructor(readonly input: ExecOperator, readonly limit: number, readonly offset = 0) {
    this.children = [input];
    this.schema = input.schema;
  }

  describe(): string {
    return this.offset === 0 ? `Limit ${this.limit}` : `Limit ${this.limit}, offset ${this.offset}`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const out: ColumnBatch[] = [];
    let left = this.limit;
    let skip = this.offset;
    for (let b of await this.input.execute(ctx)) {
      if (left <= 0) break;
      if (skip > 0) {
        const skipped = Math.min(skip, b.numRows);
        skip -= skipped;
        if (skipped === b.numRows) continue;
        b = b.slice(skipped, b.numRows);
      }
      out.push(b.numRows <= left ? b : b.slice(0, left));
      left -= Math.min(left, b.numRows);
    }
    return out;
  }
}
