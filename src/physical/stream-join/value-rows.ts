import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt } from "../../columnar/vector.ts";
import type { StructType } from "../../types/data-types.ts";

/** The rows of a batch as arrays of values (what a join side buffers in its state). */
export function valueRows(batch: ColumnBatch): unknown[][] {
  const rows: unknown[][] = new Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) rows[i] = batch.columns.map((c) => valueAt(c, i));
  return rows;
}

/** Rows of values (each as long as `schema` is wide) as a batch. */
export function batchOfRows(schema: StructType, rows: readonly (readonly unknown[])[]): ColumnBatch {
  const builders = schema.fields.map((f) => new VecBuilder(f.dataType, rows.length));
  for (const row of rows) for (let c = 0; c < builders.length; c++) builders[c]!.append(row[c] ?? null);
  return new ColumnBatch(schema, builders.map((b) => b.finish()), rows.length);
}
