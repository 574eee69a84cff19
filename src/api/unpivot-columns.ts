import { AnalysisError } from "../common/errors.ts";
import { Call, Literal } from "../expr/expression.ts";
import type { DataType } from "../types/data-types.ts";
import { Column, colExpr } from "./column.ts";

/** The hidden column that carries each row's (variable, value) structs between the two selects of an unpivot. */
export const UNPIVOT_COLUMN = "__unpivot";

/**
 * Spark 3.4's unpivot (melt) as a generator: per input row, one row per value column, in
 * order, holding the ids, the column's name as `variableColumnName` and its value as
 * `valueColumnName` (the value columns cast to `valueType`, their common type, when the
 * schema is known here; a remote server widens them itself).
 */
export function unpivotGenerator(values: readonly string[], variableColumnName: string, valueColumnName: string, valueType: DataType | null): Column {
  if (values.length === 0) {
    throw new AnalysisError("[UNPIVOT_REQUIRES_VALUE_COLUMNS] At least one value column needs to be specified for UNPIVOT, all columns specified as ids.");
  }
  const entries = values.map((v) => Call.create("named_struct", [Literal.create(variableColumnName, null), Literal.create(v, null), Literal.create(valueColumnName, null), colExpr(valueType === null ? v : new Column(colExpr(v)).cast(valueType))]));
  return new Column(Call.create("explode", [Call.create("array", entries)])).alias(UNPIVOT_COLUMN);
}

/** The name a Column or column name stands for: the name itself, or the Column's text. */
export function columnName(c: Column | string): string {
  return typeof c === "string" ? c : c.toString();
}
