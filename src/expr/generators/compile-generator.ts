import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { compileExpression } from "../compile.ts";
import type { EvalContext } from "../eval-context.ts";
import type { Call } from "../expression.ts";
import { generatorFields, generatorOf } from "./generator.ts";
import "./index.ts";

/** A batch's generated rows: output row j came from input row `rowIndex[j]`. */
export interface GeneratedRows {
  readonly rowIndex: Int32Array;
  readonly count: number;
  readonly columns: readonly Vec[];
}

export type GeneratorEvaluator = (batch: ColumnBatch, ctx: EvalContext) => GeneratedRows;

/**
 * Compiles a resolved generator call once per query: its arguments become vector kernels
 * evaluated over the whole batch; then one pass over the rows appends the generated values
 * and records each one's input row, so the operator can repeat the input columns by one take.
 * With `outer`, a row that generates nothing still gives one row of nulls.
 */
export function compileGenerator(call: Call, outer: boolean): GeneratorEvaluator {
  const found = generatorOf(call.name);
  if (found === undefined) throw new InternalError(`${call.name} is not a generator`);
  const fields = generatorFields(call);
  const args = call.args.map(compileExpression);
  const expand = found.fn.compile(call.args, fields);
  return (batch, ctx) => {
    const argVecs = args.map((a) => a(batch, ctx));
    const out = fields.map((f) => new VecBuilder(f.dataType, batch.numRows));
    let rowIndex = new Int32Array(Math.max(16, batch.numRows));
    let count = 0;
    for (let i = 0; i < batch.numRows; i++) {
      let n = expand(argVecs, i, out);
      if (n === 0 && outer) {
        for (const b of out) b.appendNull();
        n = 1;
      }
      if (count + n > rowIndex.length) {
        const grown = new Int32Array(Math.max(rowIndex.length * 2, count + n));
        grown.set(rowIndex);
        rowIndex = grown;
      }
      rowIndex.fill(i, count, count + n);
      count += n;
    }
    return { rowIndex, count, columns: out.map((b) => b.finish()) };
  };
}
