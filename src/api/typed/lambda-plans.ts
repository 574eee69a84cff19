import { ColumnBatch } from "../../columnar/column-batch.ts";
import { batchToRows, rowsToBatch, type Row } from "../../columnar/values.ts";
import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import { mapBatches, mapBatchesKeepingColumns } from "../../plan/object-operators.ts";
import { StructType, type DataType } from "../../types/data-types.ts";
import { parseDataType, parseSchema } from "../../types/ddl.ts";
import { TypedStruct, TypedType, type UntypedSchema } from "../../types/schema-builder.ts";

/**
 * The plans behind the typed Dataset's lambdas: each converts a batch to rows (the JS
 * values of values.ts), calls the user's function, and converts back with the declared
 * schema. The functions are opaque to the optimizer, which plans around them.
 */

/** An untyped output schema: a StructType (not a TypedStruct: those have typed overloads) or a DDL string. */
export type SchemaLike = UntypedSchema | string;

export function toSchema(schema: StructType | string, what: string): StructType {
  if (typeof schema === "string") return parseSchema(schema);
  if (schema instanceof StructType) return schema;
  throw new AnalysisError(`${what} needs an output schema: types.struct({...}), a StructType or a DDL string`);
}

/** A key or value type: a TypedType, a TypedStruct, a DataType or a DDL type string. */
export type DataTypeLike = TypedType<unknown> | DataType | string;

export function toDataType(t: DataTypeLike): DataType {
  if (typeof t === "string") return parseDataType(t);
  if (t instanceof TypedType || t instanceof TypedStruct) return t.dataType;
  return t;
}

function output(schema: StructType, rows: readonly unknown[], what: string): ColumnBatch {
  try {
    return rowsToBatch(schema, rows, what);
  } catch (error) {
    throw new ExecutionError(`${what}: the function returned a value that does not match its output schema (${schema.toDDL()}): ${(error as Error).message}`, { cause: error });
  }
}

export function mapPlan(input: LogicalPlan, f: (row: Row) => unknown, schema: StructType): LogicalPlan {
  return mapBatches(input, "map", schema, (batch) => output(schema, batchToRows(batch).map((r) => f(r)), "map"));
}

export function flatMapPlan(input: LogicalPlan, f: (row: Row) => Iterable<unknown>, schema: StructType): LogicalPlan {
  return mapBatches(input, "flatMap", schema, (batch) => {
    const out: unknown[] = [];
    for (const row of batchToRows(batch)) for (const o of f(row)) out.push(o);
    return output(schema, out, "flatMap");
  });
}

/** filter(row => boolean): keeps the input's columns (and its watermark). */
export function filterPlan(input: LogicalPlan, predicate: (row: Row) => boolean): LogicalPlan {
  return mapBatchesKeepingColumns(input, "filter", null, (batch) => {
    const rows = batchToRows(batch);
    const keep = new Int32Array(rows.length);
    let n = 0;
    rows.forEach((r, i) => { if (predicate(r)) keep[n++] = i; });
    return n === rows.length ? batch : batch.take(keep, n);
  });
}

/** Appends a column `name` of `type` computed by `f` from each row (groupByKey's key: Spark's AppendColumns). */
export function appendColumnPlan(input: LogicalPlan, name: string, type: DataType, f: (row: Row) => unknown): LogicalPlan {
  const appended = new StructType([{ name, dataType: type, nullable: true }]);
  return mapBatchesKeepingColumns(input, `appendColumn ${name}`, appended, (batch) => {
    const values = output(appended, batchToRows(batch).map((r) => ({ [name]: f(r) })), "groupByKey key");
    return new ColumnBatch(new StructType([...batch.schema.fields, ...appended.fields]), [...batch.columns, values.columns[0]!], batch.numRows);
  });
}
