import { AnalysisError } from "../common/errors.ts";
import { didYouMean } from "../common/suggest.ts";
import { isNumeric, sameType, typeName, type DataType, type StructType } from "../types/data-types.ts";
import { storeAssignmentCastOf } from "../expr/functions/store-assignment-cast.ts";
import { Column, colExpr } from "./column.ts";

/**
 * Spark 3.4's `Dataset.to(schema)`: the columns of `schema`, by name (case-insensitive), in
 * its order, cast to its types where Spark's store assignment allows (numeric to numeric,
 * any atomic type to string, date and timestamps among themselves) with an ANSI cast (an
 * overflow fails); other columns dropped.
 * A missing column, an incompatible type or a nullable column the schema says is not
 * nullable fails with Spark's error. Struct, array and map columns must have the schema's
 * type already (Spark also reconciles their inner fields).
 */
export function reconcileColumns(input: StructType, target: StructType): Column[] {
  return target.fields.map((field) => {
    const found = input.fields.find((f) => f.name.toLowerCase() === field.name.toLowerCase());
    if (found === undefined) {
      throw new AnalysisError(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${field.name}\` cannot be resolved.${didYouMean(field.name, input.fieldNames)}`);
    }
    if (!canStoreAssign(found.dataType, field.dataType)) {
      throw new AnalysisError(`[INVALID_COLUMN_OR_FIELD_DATA_TYPE] Column or field \`${field.name}\` is of type "${typeName(found.dataType).toUpperCase()}" while it's required to be "${typeName(field.dataType).toUpperCase()}".`);
    }
    if (found.nullable && !field.nullable) {
      throw new AnalysisError(`[NULLABLE_COLUMN_OR_FIELD] Column or field \`${field.name}\` is nullable while it's required to be non-nullable.`);
    }
    const ref = colExpr(`\`${found.name.replace(/`/g, "``")}\``);
    // Spark casts with ANSI on here: a value the type cannot hold fails ([CAST_OVERFLOW]).
    return new Column(sameType(found.dataType, field.dataType) ? ref : storeAssignmentCastOf(ref, field.dataType, field.name, "cast")).alias(field.name);
  });
}

const DATETIME = new Set(["date", "timestamp", "timestamp_ntz"]);
const NESTED = new Set(["struct", "array", "map"]);

function canStoreAssign(from: DataType, to: DataType): boolean {
  if (sameType(from, to) || from.kind === "null") return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if (to.kind === "string") return !NESTED.has(from.kind);
  return DATETIME.has(from.kind) && DATETIME.has(to.kind) && !(from.kind !== "date" && to.kind === "date");
}
