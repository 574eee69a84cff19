import { AnalysisError } from "../common/errors.ts";
import { didYouMean } from "../common/suggest.ts";
import { ddlTypeName, isNumeric, sameType, type DataType, type StructField, type StructType } from "../types/data-types.ts";
import { storeAssignmentCastOf } from "../expr/functions/store-assignment-cast.ts";
import { Column, colExpr } from "./column.ts";
import { lit, struct, when } from "./functions.ts";
import { transform, transform_keys, transform_values } from "./higher-order-functions.ts";

/** Spark's toSQLId of a column path: `s`.`a`. */
const pathId = (path: readonly string[]): string => path.map((p) => `\`${p.replace(/`/g, "``")}\``).join(".");
const typeText = (t: DataType): string => ddlTypeName(t);

/**
 * Spark 3.4's `Dataset.to(schema)` (Project.matchSchema): the columns of `schema`, by name
 * (case-insensitive), in its order, other columns dropped. Each is reconciled with its
 * target type as Spark's reconcileColumnType does: a struct's fields by name, reordered and
 * narrowed to the target's (a null struct stays null), an array's elements and a map's keys
 * and values in turn, and any other type cast where Spark's ANSI store assignment allows
 * (numeric to numeric, atomic to string, dates and timestamps among themselves; an overflow
 * fails). Fails with Spark's errors: a missing column or field, one matched twice, an
 * incompatible type, a nullable column, field or element the schema says is not nullable.
 */
export function reconcileColumns(input: StructType, target: StructType): Column[] {
  const columns = input.fields.map((f) => ({ name: f.name, nullable: f.nullable, type: f.dataType, column: new Column(colExpr(`\`${f.name.replace(/`/g, "``")}\``)) }));
  return reorderFields(columns, target.fields, []).map(({ name, column }) => column.alias(name));
}

interface Candidate {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly column: Column;
}

function reorderFields(candidates: readonly Candidate[], expected: readonly StructField[], path: readonly string[]): { name: string; column: Column }[] {
  return expected.map((f) => {
    const matched = candidates.filter((c) => c.name.toLowerCase() === f.name.toLowerCase());
    if (matched.length === 0) {
      if (path.length === 0) {
        throw new AnalysisError(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${f.name}\` cannot be resolved.${didYouMean(f.name, candidates.map((c) => c.name))}`);
      }
      throw new AnalysisError(`[UNRESOLVED_FIELD.WITH_SUGGESTION] A field with name \`${f.name}\` cannot be resolved with the struct-type column ${pathId(path)}. Did you mean one of the following? [${candidates.map((c) => `\`${c.name}\``).join(", ")}].`);
    }
    if (matched.length > 1) throw new AnalysisError(`[AMBIGUOUS_COLUMN_OR_FIELD] Column or field ${pathId([...path, f.name])} is ambiguous and has ${matched.length} matches.`);
    const found = matched[0]!;
    const fieldPath = [...path, found.name];
    if (found.nullable && !f.nullable) throw new AnalysisError(`[NULLABLE_COLUMN_OR_FIELD] Column or field ${pathId(fieldPath)} is nullable while it's required to be non-nullable.`);
    return { name: f.name, column: reconcileType(found.column, fieldPath, found.type, found.nullable, f.dataType) };
  });
}

function reconcileType(column: Column, path: readonly string[], from: DataType, nullable: boolean, to: DataType): Column {
  if (from.kind === "struct" && to.kind === "struct") {
    // A field of a nullable struct is nullable, as Spark's GetStructField.
    const fields = from.fields.map((f) => ({ name: f.name, type: f.dataType, nullable: nullable || f.nullable, column: column.getField(f.name) }));
    const rebuilt = struct(...reorderFields(fields, to.fields, path).map(({ name, column: c }) => c.alias(name)));
    return nullable ? when(column.isNull(), lit(null).cast(to)).otherwise(rebuilt) : rebuilt;
  }
  if (from.kind === "array" && to.kind === "array") {
    if (from.containsNull && !to.containsNull) throw nullableElements(path);
    return transform(column, (x) => reconcileType(x, [...path, "element"], from.elementType, from.containsNull, to.elementType));
  }
  if (from.kind === "map" && to.kind === "map") {
    if (from.valueContainsNull && !to.valueContainsNull) throw nullableElements(path);
    const keys = sameType(from.keyType, to.keyType) ? column : transform_keys(column, (k) => reconcileType(k, [...path, "key"], from.keyType, false, to.keyType));
    return sameType(from.valueType, to.valueType) ? keys : transform_values(keys, (_k, v) => reconcileType(v, [...path, "value"], from.valueType, from.valueContainsNull, to.valueType));
  }
  if (sameType(from, to)) return column;
  if (!canStoreAssign(from, to)) {
    throw new AnalysisError(`[INVALID_COLUMN_OR_FIELD_DATA_TYPE] Column or field ${pathId(path)} is of type "${typeText(from)}" while it's required to be "${typeText(to)}".`);
  }
  // Spark casts with ANSI on here: a value the type cannot hold fails ([CAST_OVERFLOW]).
  return new Column(storeAssignmentCastOf(column.expr, to, path[path.length - 1]!, "cast"));
}

function nullableElements(path: readonly string[]): AnalysisError {
  return new AnalysisError(`[NULLABLE_ARRAY_OR_MAP_ELEMENT] Array or map at ${pathId(path)} has nullable elements while it's required to be non-nullable.`);
}

const DATETIME = new Set(["date", "timestamp", "timestamp_ntz"]);
const NESTED = new Set(["struct", "array", "map"]);

function canStoreAssign(from: DataType, to: DataType): boolean {
  if (sameType(from, to) || from.kind === "null") return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if (to.kind === "string") return !NESTED.has(from.kind);
  return DATETIME.has(from.kind) && DATETIME.has(to.kind) && !(from.kind !== "date" && to.kind === "date");
}
