import { ColumnBatch } from "../../columnar/column-batch.ts";
import { batchToRows, rowsToBatch, type Row } from "../../columnar/values.ts";
import { valueAt } from "../../columnar/vector.ts";
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

function output(schema: StructType, rows: readonly unknown[], what: string, micros?: PassedTimestamps): ColumnBatch {
  checkNotNull(schema, rows, what);
  try {
    return rowsToBatch(schema, micros === undefined ? rows : rows.map((r) => micros.restore(r, schema)), what);
  } catch (error) {
    throw new ExecutionError(`${what}: the function returned a value that does not match its output schema (${schema.toDDL()}): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A field the output schema declares NOT NULL (types.string() without .nullable()) must have
 * a value: Spark's encoder fails the same way (AssertNotNull) rather than write a null there.
 */
function checkNotNull(schema: StructType, rows: readonly unknown[], what: string): void {
  const required = schema.fields.filter((f) => !f.nullable);
  if (required.length === 0) return;
  rows.forEach((row, r) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return;
    for (const f of required) {
      const v = (row as Row)[f.name];
      if (v === null || v === undefined) {
        throw new ExecutionError(`[NOT_NULL_ASSERT_VIOLATION] Null value appeared in non-nullable field: - field (type: "${f.dataType.kind}", name: "${f.name}") in row ${r} of the ${what} function's output. Declare the field nullable (e.g. types.string().nullable()) or give it a value.`);
      }
    }
  });
}

/**
 * The exact microseconds of the input rows' timestamps: a row hands its TIMESTAMP fields to
 * the function as JS Dates (milliseconds), and a Date the function passes through unchanged
 * gets its microseconds back, as Spark's encoders keep them (.123456 stays .123456).
 * Top-level fields only; a Date the function makes or changes has millisecond precision.
 */
class PassedTimestamps {
  readonly #micros = new WeakMap<Date, number>();

  /** The batch's rows, remembering each top-level timestamp's microseconds. */
  rows(batch: ColumnBatch): Row[] {
    const rows = batchToRows(batch);
    batch.schema.fields.forEach((f, k) => {
      if (f.dataType.kind !== "timestamp") return;
      const col = batch.columns[k]!;
      rows.forEach((row, i) => {
        const d = row[f.name];
        const micros = valueAt(col, i);
        if (d instanceof Date && typeof micros === "number" && micros % 1000 !== 0) this.#micros.set(d, micros);
      });
    });
    return rows;
  }

  /** `row` with each passed-through Date of a timestamp field as its exact ISO text. */
  restore(row: unknown, schema: StructType): unknown {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return row;
    let out: Row | null = null;
    for (const f of schema.fields) {
      if (f.dataType.kind !== "timestamp") continue;
      const d = (row as Row)[f.name];
      const micros = d instanceof Date ? this.#micros.get(d) : undefined;
      if (micros === undefined || Math.floor(micros / 1000) !== (d as Date).getTime() || (d as Date).toISOString().length !== 24) continue;
      out ??= { ...(row as Row) };
      out[f.name] = `${(d as Date).toISOString().slice(0, 23)}${String(((micros % 1000) + 1000) % 1000).padStart(3, "0")}Z`;
    }
    return out ?? row;
  }
}

export function mapPlan(input: LogicalPlan, f: (row: Row) => unknown, schema: StructType): LogicalPlan {
  return mapBatches(input, "map", schema, (batch) => {
    const micros = new PassedTimestamps();
    return output(schema, micros.rows(batch).map((r) => f(r)), "map", micros);
  });
}

export function flatMapPlan(input: LogicalPlan, f: (row: Row) => Iterable<unknown>, schema: StructType): LogicalPlan {
  return mapBatches(input, "flatMap", schema, (batch) => {
    const micros = new PassedTimestamps();
    const out: unknown[] = [];
    for (const row of micros.rows(batch)) for (const o of f(row)) out.push(o);
    return output(schema, out, "flatMap", micros);
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
