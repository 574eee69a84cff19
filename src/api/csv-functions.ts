import { Call, Literal, type Expression } from "../expr/expression.ts";
import { StructType } from "../types/data-types.ts";
import { Column, colExpr } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/** Spark's CSV functions (from_csv, to_csv, schema_of_csv); re-exported by functions.ts. */

const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));

/** An options object as the map() the functions take. */
function optionsMap(options: Readonly<Record<string, string>>): Expression {
  return Call.create("map", Object.entries(options).flatMap(([k, v]) => [Literal.create(k, null), Literal.create(String(v), null)]));
}

/**
 * Spark's `from_csv(col, schema[, options])`: the CSV text as a struct. The schema is DDL
 * ('a INT, b STRING'), a StructType, or a schema_of_csv(...) column; options as the CSV
 * source's (sep, quote, escape, nullValue, dateFormat, timestampFormat, mode, …).
 */
export function from_csv(c: ColOrName, schema: string | StructType | Column, options?: Readonly<Record<string, string>>): Column {
  const schemaExpr = schema instanceof Column ? schema.expr : Literal.create(schema instanceof StructType ? schema.toDDL() : schema, null);
  return fn("from_csv", colExpr(c), schemaExpr, ...(options === undefined ? [] : [optionsMap(options)]));
}

/** Spark's `to_csv(col[, options])`: a struct column as one CSV record (options sep, quote, nullValue, timestampFormat, …). */
export function to_csv(c: ColOrName, options?: Readonly<Record<string, string>>): Column {
  return fn("to_csv", colExpr(c), ...(options === undefined ? [] : [optionsMap(options)]));
}

/** Spark's `schema_of_csv(csv[, options])`: the DDL of the struct inferred from a CSV line, e.g. `STRUCT<_c0: INT, _c1: STRING>`. */
export function schema_of_csv(csv: string | Column, options?: Readonly<Record<string, string>>): Column {
  const input = typeof csv === "string" ? Literal.create(csv, null) : csv.expr;
  return fn("schema_of_csv", input, ...(options === undefined ? [] : [optionsMap(options)]));
}
