import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { valueAt } from "../../columnar/vector.ts";
import { AnalysisError } from "../../common/errors.ts";
import { ddlTypeName, type StructType } from "../../types/data-types.ts";

/**
 * Spark's text data source as a writer: one string column, each row's value and the line
 * separator (a null row is an empty line, as Spark's TextOutputWriter).
 */
export function checkTextSchema(schema: StructType): void {
  if (schema.fields.length !== 1) {
    throw new AnalysisError(`Text data source supports only a single column, and you have ${schema.fields.length} columns.`);
  }
  const field = schema.fields[0]!;
  if (field.dataType.kind !== "string") {
    throw new AnalysisError(`[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the column \`${field.name}\` of the type "${ddlTypeName(field.dataType).toUpperCase()}".`);
  }
}

export function encodeTextLines(batch: ColumnBatch, lineSep: string): string {
  const v = batch.column(0);
  let out = "";
  for (let i = 0; i < batch.numRows; i++) out += `${(valueAt(v, i) as string | null) ?? ""}${lineSep}`;
  return out;
}
