import type { DataFrame } from "../api/dataset.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { unresolvedColumnError } from "../expr/unresolved-column.ts";
import { Alias, ColumnRef, Literal, type Expression } from "../expr/expression.ts";
import * as build from "../plan/plan-builder.ts";
import type { TableDefinition } from "../session/catalog.ts";

const quoted = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(", ");

/**
 * `INSERT INTO t (c2, c1) SELECT …` and `INSERT INTO t BY NAME SELECT …`: the query's columns
 * placed in the table's order, as Spark's ResolveInsertionBase; a table column left out is NULL
 * (Spark's default value when the column declares none). The result is then written by position.
 */
export function placeByColumns(df: DataFrame, table: TableDefinition, columns: readonly string[] | "byName"): DataFrame {
  const schema = table.schema;
  if (schema === null) throw new AnalysisError(`INSERT INTO ${table.name} (…): the table declares no columns to name`);
  const out = df.plan.output;
  const names = columns === "byName" ? out.map((c) => c.name) : columns;
  names.forEach((n, i) => {
    if (names.findIndex((m) => sameName(m, n)) !== i) {
      throw new AnalysisError(`[COLUMN_ALREADY_EXISTS] The column \`${n.toLowerCase()}\` already exists. Consider to choose another name or rename the existing column.`);
    }
    if (!schema.fields.some((f) => sameName(f.name, n))) {
      if (columns === "byName") {
        throw new AnalysisError(`[INCOMPATIBLE_DATA_FOR_TABLE.EXTRA_COLUMNS] Cannot write incompatible data for the table \`${table.name}\`: Cannot write extra columns \`${n}\`.`);
      }
      throw unresolvedColumnError(n, schema.fieldNames.map((f) => [f]));
    }
  });
  if (columns !== "byName" && names.length !== out.length) {
    const reason = out.length > names.length ? "TOO_MANY_DATA_COLUMNS" : "NOT_ENOUGH_DATA_COLUMNS";
    throw new AnalysisError(`[INSERT_COLUMN_ARITY_MISMATCH.${reason}] Cannot write to \`${table.name}\`, the reason is ${reason === "TOO_MANY_DATA_COLUMNS" ? "too many" : "not enough"} data columns:\nTable columns: ${quoted(names)}.\nData columns: ${quoted(out.map((c) => c.name))}.`);
  }
  const exprs: Expression[] = schema.fields.map((f) => {
    const i = names.findIndex((n) => sameName(n, f.name));
    if (i < 0) return Alias.create(Literal.create(null, f.dataType), f.name);
    const c = out[i]!;
    return Alias.create(ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier), f.name);
  });
  return new LocalDataset(df.sparkSession, build.project(df.plan, exprs));
}
