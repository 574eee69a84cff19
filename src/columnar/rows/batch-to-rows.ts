import { AnalysisError } from "../../common/errors.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import type { ColumnBatch } from "../column-batch.ts";
import { concatBatches } from "../concat.ts";
import { dateOfDays, dateOfMicros, toExternal } from "../values.ts";
import { valueAt, type Vec } from "../vector.ts";
import { compiledRows } from "./compiled-rows.ts";
import { repeatsInstants, sharedDateReader } from "./shared-dates.ts";

export type Row = Record<string, unknown>;

/** Rows as plain objects keyed by column name, external values; every Date a row's own. */
export function batchToRows(batch: ColumnBatch): Row[] {
  return rowsOf(batch, false);
}

/**
 * Row i of `batch` made when asked (batchToRows' values, a new object and Date each time): an
 * operator that needs a row only briefly need not keep all of a batch's rows alive at once.
 */
export function rowReader(batch: ColumnBatch): (i: number) => Row {
  const fields = batch.schema.fields;
  refuseRepeatedNames(fields.map((f) => f.name));
  const readers = fields.map((f, k) => externalReader(batch.columns[k]!, f.dataType, batch.numRows, false));
  const make = objectFactory(fields.map((f) => f.name));
  return (i) => make(readers, i);
}

/**
 * The rows of a result handed to the user (collect()): as batchToRows, except that rows
 * holding the same instant, in a column that repeats its instants, share one Date that
 * refuses to change (rows/shared-dates.ts). Rows passed one by one to a user's function
 * keep batchToRows' Dates of their own.
 */
export function resultRows(batch: ColumnBatch): Row[] {
  return rowsOf(batch, true);
}

/**
 * resultRows of the batches joined (concat.ts), made batch by batch without joining them
 * (a memory table of a complete-mode result is kept in chunks): the same values, and the
 * same Dates shared across the batches.
 */
export function resultRowsOf(schema: StructType, batches: readonly ColumnBatch[]): Row[] {
  refuseRepeatedNames(schema.fieldNames);
  const n = batches.reduce((t, b) => t + b.numRows, 0);
  const rows = n >= COMPILED_FROM_ROWS ? compiledRows(schema, batches, true, externalReader) : null;
  return rows ?? rowsOf(concatBatches(schema, batches), true);
}

/** Rows from which one loop is generated for the batch's columns (compiled-rows.ts); fewer are read column reader by column reader. */
const COMPILED_FROM_ROWS = 256;

function rowsOf(batch: ColumnBatch, shareDates: boolean): Row[] {
  const n = batch.numRows;
  const fields = batch.schema.fields;
  refuseRepeatedNames(fields.map((f) => f.name));
  if (n >= COMPILED_FROM_ROWS) {
    const rows = compiledRows(batch.schema, [batch], shareDates, externalReader);
    if (rows !== null) return rows;
  }
  const out: Row[] = new Array(n);
  const readers = fields.map((f, k) => externalReader(batch.columns[k]!, f.dataType, n, shareDates));
  const make = objectFactory(fields.map((f) => f.name));
  for (let i = 0; i < n; i++) out[i] = make(readers, i);
  return out;
}

type Reader = (i: number) => unknown;
type ObjectFactory = (readers: readonly Reader[], i: number) => Row;
const objectFactories = new Map<string, ObjectFactory>();

/**
 * Builds an object with these field names from the readers' values at row i, as one object
 * literal (generated once per list of names): one allocation in its final shape, ~3x faster
 * than adding the fields one by one to `{}` when collect() makes a million rows.
 */
function objectFactory(names: readonly string[]): ObjectFactory {
  const key = JSON.stringify(names);
  let make = objectFactories.get(key);
  if (make !== undefined) return make;
  if (names.includes("__proto__")) {
    // In a literal, __proto__ would set the prototype: assign as before instead.
    make = (readers, i) => {
      const row: Row = {};
      for (let k = 0; k < names.length; k++) row[names[k]!] = readers[k]!(i);
      return row;
    };
  } else {
    make = new Function("r", "i", `"use strict"; return { ${names.map((n, k) => `${JSON.stringify(n)}: r[${k}](i)`).join(", ")} };`) as ObjectFactory;
  }
  if (objectFactories.size >= 1000) objectFactories.clear();
  objectFactories.set(key, make);
  return make;
}

/**
 * Reads row i of `v` as toExternal(valueAt(v, i), type) does, with the vector's kind and the
 * type decided once per column rather than per value (collect() of a million groups).
 */
function externalReader(v: Vec, type: DataType, n: number, share: boolean): Reader {
  const read = presentReader(v, type, n, share);
  const valid = v.valid;
  return valid === null ? read : (i) => (valid[i] === 0 ? null : read(i));
}

function presentReader(v: Vec, type: DataType, n: number, share: boolean): Reader {
  if (v.kind === "num" && v.exact === undefined) {
    const values = v.values;
    switch (type.kind) {
      case "timestamp": case "timestamp_ntz":
        return share && repeatsInstants(values, n, v.valid) ? sharedDateReader(values, dateOfMicros) : (i) => dateOfMicros(values[i]!);
      case "date":
        return share && repeatsInstants(values, n, v.valid) ? sharedDateReader(values, dateOfDays) : (i) => dateOfDays(values[i]!);
      case "long": return (i) => { const x = values[i]!; return Number.isSafeInteger(x) ? x : BigInt(Math.trunc(x)); };
      case "byte": case "short": case "int": case "float": case "double": return (i) => values[i];
      default: break;
    }
  } else if (v.kind === "str" && type.kind === "string") {
    const { codes, dict } = v;
    return (i) => dict[codes[i]!] ?? null;
  } else if (v.kind === "bool" && type.kind === "boolean") {
    const values = v.values;
    return (i) => values[i] === 1;
  } else if (v.kind === "struct" && type.kind === "struct" && v.children.length === type.fields.length) {
    const children = type.fields.map((f, k) => externalReader(v.children[k]!, f.dataType, n, share));
    const make = objectFactory(type.fields.map((f) => f.name));
    return (i) => make(children, i);
  }
  return (i) => toExternal(valueAt(v, i), type);
}

/**
 * Rows are objects keyed by column name, so a name given to two columns (`SELECT *` over a
 * self-join) would keep one value and silently drop the other: that is refused, naming them.
 */
function refuseRepeatedNames(names: readonly string[]): void {
  if (new Set(names).size === names.length) return;
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  throw new AnalysisError(
    `Rows are objects keyed by column name, and ${repeated.map((n) => `\`${n}\``).join(", ")} ${repeated.length === 1 ? "names" : "name"} more than one column of (${names.join(", ")}): ` +
    "one value would hide the other. Give the columns distinct names first (select(col(\"a.v\").alias(\"left_v\"), …) or SQL `AS`), or read them by position with toArrow() or show().",
  );
}
