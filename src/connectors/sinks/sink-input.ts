import type { Table } from "apache-arrow";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { fromRecordBatch } from "../../columnar/arrow-convert.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import { fromArrowSchema } from "../../types/arrow-types.ts";

/**
 * What every sink does first with the table it is handed: one ColumnBatch per Arrow
 * record batch, typed by the query's schema when the table has its columns (the plan's
 * types are exact; those derived back from Arrow types may be wider).
 */
export function tableToBatches(table: Table, schema?: StructType): ColumnBatch[] {
  const target = schema !== undefined && sameColumns(schema, table) ? schema : fromArrowSchema(table.schema);
  return table.batches.map((rb) => fromRecordBatch(rb, target));
}

/** The schema sinks describe a table with: the query's when it matches, else the table's own. */
export function tableSchema(table: Table, schema?: StructType): StructType {
  return schema !== undefined && sameColumns(schema, table) ? schema : fromArrowSchema(table.schema);
}

function sameColumns(schema: StructType, table: Table): boolean {
  const names = table.schema.fields.map((f) => f.name);
  return names.length === schema.fields.length && schema.fields.every((f, i) => f.name === names[i]);
}

/** Rows [0, limit) of several batches as one batch (for printing the head of a result). */
export function headOf(schema: StructType, batches: readonly ColumnBatch[], limit: number): ColumnBatch {
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const count = Math.min(limit, total);
  const first = batches.find((b) => b.numRows > 0);
  if (first !== undefined && first.numRows >= count) return first.withSchema(schema).slice(0, count);
  const builders = schema.fields.map((f) => new VecBuilder(f.dataType, count));
  let taken = 0;
  for (const b of batches) {
    for (let i = 0; i < b.numRows && taken < count; i++, taken++) {
      b.columns.forEach((c, k) => builders[k]!.append(valueAt(c, i)));
    }
  }
  return new ColumnBatch(schema, builders.map((b) => b.finish()), count);
}

/** Spark's data source options are case-insensitive. */
export function getOption(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function booleanOption(options: Readonly<Record<string, string>>, key: string, defaultValue: boolean, where: string): boolean {
  const text = getOption(options, key);
  if (text === undefined) return defaultValue;
  const t = text.trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  throw new ConnectorError(`${where}: option '${key}' must be true or false, not '${text}'`);
}

export function intOption(options: Readonly<Record<string, string>>, key: string, defaultValue: number, where: string, min = 0): number {
  const text = getOption(options, key);
  if (text === undefined) return defaultValue;
  const v = Number(text.trim());
  if (!Number.isInteger(v) || v < min) throw new ConnectorError(`${where}: option '${key}' must be an integer ≥ ${min}, not '${text}'`);
  return v;
}

/** "Append", "Update", "Complete": how Spark names output modes in messages. */
export function outputModeName(mode: string): string {
  return mode.charAt(0).toUpperCase() + mode.slice(1).toLowerCase();
}
