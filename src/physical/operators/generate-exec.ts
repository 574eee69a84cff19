import { ColumnBatch } from "../../columnar/column-batch.ts";
import { takeVec } from "../../columnar/vector.ts";
import { displayExpression } from "../../expr/display.ts";
import type { Call } from "../../expr/expression.ts";
import { compileGenerator, type GeneratorEvaluator } from "../../expr/generators/compile-generator.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/**
 * Spark's GenerateExec: per input row, the generator's n rows. The generator reports which
 * input row each generated row came from; the input's columns are repeated by one take of
 * those row indices, and the generated columns appended. Stateless: each batch on its own.
 */
export class GenerateExec implements ExecOperator {
  readonly name = "Generate";
  readonly children: readonly ExecOperator[];
  readonly #generate: GeneratorEvaluator;

  constructor(readonly input: ExecOperator, readonly generator: Call, readonly outer: boolean, readonly schema: StructType) {
    this.children = [input];
    this.#generate = compileGenerator(generator, outer);
  }

  describe(): string {
    const width = this.schema.fields.length - (this.generator.dataType as StructType).fields.length;
    return `Generate ${displayExpression(this.generator)}, ${this.outer}, [${this.schema.fields.slice(width).map((f) => f.name).join(", ")}]`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const out: ColumnBatch[] = [];
    for (const batch of await this.input.execute(ctx)) {
      const rows = this.#generate(batch, ctx.eval);
      if (rows.count === 0) continue;
      const repeated = batch.columns.map((c) => takeVec(c, rows.rowIndex, rows.count));
      out.push(new ColumnBatch(this.schema, [...repeated, ...rows.columns], rows.count));
    }
    return out;
  }
}
