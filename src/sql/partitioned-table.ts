import type { CstNode } from "chevrotain";
import type { DataFrame } from "../api/dataset.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import { AnalysisError } from "../common/errors.ts";
import { formatCell } from "../columnar/show-string.ts";
import type { ZoneRules } from "../common/time-zone.ts";
import { foldConstants } from "../optimizer/constant-folding.ts";
import { castIfNeeded } from "../expr/coercion.ts";
import { Alias, ColumnRef, Literal, type Expression } from "../expr/expression.ts";
import * as build from "../plan/plan-builder.ts";
import type { TableDefinition } from "../session/catalog.ts";
import { StringType, StructType, type DataType, type StructField } from "../types/data-types.ts";
import { node, nodes, tokensOf } from "./cst.ts";
import { unquoteString } from "./literals.ts";

const quoted = (name: string): string => `\`${name.replace(/`/g, "``")}\``;
const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * A column of `PARTITIONED BY (…)`: `p` names a declared column, `p STRING` adds one (Spark's
 * partition column spec); `years(ts)` is a partition transform, kept as Spark describes it.
 */
export interface PartitionColumnSpec {
  readonly name: string;
  readonly dataType: DataType | null;
  /** A transform's text as Spark's Transform.toString gives it (`years(ts)`, `bucket(4, a)`). */
  readonly transform?: string;
}

/** The columns `PARTITIONED BY (p [type], …)` names. */
export function partitionedByColumns(
  partitionedBy: readonly CstNode[], identifierText: (n: CstNode) => string, dataType: (n: CstNode) => DataType,
): PartitionColumnSpec[] {
  return partitionedBy.flatMap((p) => nodes(p.children, "partitionColumn")).map((c) => {
    const name = identifierText(node(c.children, "identifier")!);
    const args = node(c.children, "transformArguments");
    if (args !== undefined) {
      const text = nodes(args.children, "transformArgument").map((a) => transformArgumentText(a, identifierText)).join(", ");
      return { name, dataType: null, transform: `${name}(${text})` };
    }
    const type = node(c.children, "dataType");
    return { name, dataType: type === undefined ? null : dataType(type) };
  });
}

/** A transform argument as Spark describes it: a column reference by its (quoted if needed) parts, a literal as its value. */
function transformArgumentText(a: CstNode, identifierText: (n: CstNode) => string): string {
  const name = node(a.children, "qualifiedName");
  if (name !== undefined) {
    const parts = [node(name.children, "identifier")!, ...nodes(name.children, "nameOrKeyword")].map(identifierText);
    return parts.map((p) => (/^[A-Za-z0-9_]+$/.test(p) && !/^\d+$/.test(p) ? p : quoted(p))).join(".");
  }
  const tokens = tokensOf(node(a.children, "literal")!);
  const first = tokens[0]!;
  if (first.tokenType.name === "StringLiteral") return `'${tokens.map((t) => unquoteString(t.image)).join("")}'`;
  if (first.tokenType.name === "BigintLiteral") return first.image.slice(0, -1);
  return first.image.toLowerCase() === "true" || first.image.toLowerCase() === "false" || first.image.toLowerCase() === "null" ? first.image.toLowerCase() : first.image;
}

/**
 * Spark's check of a v1 table's partitioning (its TransformHelper.convertTransforms): columns
 * pass; one bucket(n, col) would be the table's bucketing, which rivulet's tables do not have;
 * any other transform (years, months, days, hours, or a function's name) is refused.
 */
export function checkPartitionTransforms(table: string, partitions: readonly PartitionColumnSpec[]): void {
  let bucket: string | null = null;
  for (const p of partitions) {
    if (p.transform === undefined) continue;
    if (p.name === "bucket" || p.name === "sorted_bucket") {
      if (bucket !== null) throw new AnalysisError("[UNSUPPORTED_FEATURE.MULTIPLE_BUCKET_TRANSFORMS] The feature is not supported: Multiple bucket TRANSFORMs.", { sqlState: "0A000" });
      bucket = p.transform;
      continue;
    }
    throw new AnalysisError(`[_LEGACY_ERROR_TEMP_2067] Unsupported partition transform: ${p.transform}.`, { errorClass: "_LEGACY_ERROR_TEMP_2067", messageParameters: { transform: p.transform } });
  }
  if (bucket !== null) {
    throw new AnalysisError(`CREATE TABLE ${table} PARTITIONED BY (${bucket}): rivulet's tables are not bucketed; partition by columns (col=value/ directories) instead`);
  }
}

/**
 * A partitioned table's columns, as Spark's CREATE TABLE … PARTITIONED BY lays them out: typed
 * partition columns are added to the declared ones, and the partition columns come last (in
 * PARTITIONED BY order). Null when the table declares no columns (they are read from its files).
 */
export function partitionedSchema(table: string, declared: readonly StructField[], partitions: readonly PartitionColumnSpec[]): { schema: StructType | null; partitionColumns: string[] } {
  const typed = partitions.filter((p) => p.dataType !== null);
  if (typed.length > 0 && typed.length < partitions.length) {
    throw new AnalysisError("[_LEGACY_ERROR_TEMP_0035] Operation not allowed: PARTITION BY: Cannot mix partition expressions and partition columns.");
  }
  const columns: StructField[] = [...declared];
  for (const p of typed) {
    if (columns.some((c) => sameName(c.name, p.name))) throw new AnalysisError(`[COLUMN_ALREADY_EXISTS] The column ${quoted(p.name.toLowerCase())} already exists. Choose another name or rename the existing column.`);
    columns.push({ name: p.name, dataType: p.dataType!, nullable: true });
  }
  const names = partitions.map((p) => p.name.toLowerCase());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new AnalysisError(`[COLUMN_ALREADY_EXISTS] The column ${quoted(duplicate)} already exists. Choose another name or rename the existing column.`);
  if (columns.length === 0) return { schema: null, partitionColumns: partitions.map((p) => p.name) };
  const partitionFields = partitions.map((p) => {
    const field = columns.find((c) => sameName(c.name, p.name));
    if (field === undefined) {
      throw new AnalysisError(`[COLUMN_NOT_DEFINED_IN_TABLE] partition column ${quoted(p.name)} is not defined in table \`spark_catalog\`.\`default\`.${quoted(table)}, defined table columns are: ${columns.map((c) => quoted(c.name)).join(", ")}.`);
    }
    return field;
  });
  if (partitionFields.length === columns.length) throw new AnalysisError("[ALL_PARTITION_COLUMNS_NOT_ALLOWED] Cannot use all columns for partition columns.");
  for (const f of partitionFields) {
    if (f.dataType.kind === "struct" || f.dataType.kind === "array" || f.dataType.kind === "map") {
      throw new AnalysisError(`[INVALID_PARTITION_COLUMN_DATA_TYPE] Cannot use ${f.dataType.kind.toUpperCase()} for partition column.`);
    }
  }
  const data = columns.filter((c) => !partitionFields.includes(c));
  return { schema: new StructType([...data, ...partitionFields]), partitionColumns: partitionFields.map((f) => f.name) };
}

/** The columns written after the data columns of a partitioned table's rows, in their order: the query's columns reordered for CTAS. */
export function partitionColumnsLast(df: DataFrame, partitionColumns: readonly string[]): DataFrame {
  const out = df.plan.output;
  const partitionIndices = partitionColumns.map((name) => {
    const i = out.findIndex((c) => sameName(c.name, name));
    if (i < 0) {
      throw new AnalysisError(`[COLUMN_NOT_DEFINED_IN_TABLE] partition column ${quoted(name)} is not defined in table, defined table columns are: ${out.map((c) => quoted(c.name)).join(", ")}.`);
    }
    return i;
  });
  if (partitionIndices.length === out.length) throw new AnalysisError("[ALL_PARTITION_COLUMNS_NOT_ALLOWED] Cannot use all columns for partition columns.");
  const order = [...out.keys()].filter((i) => !partitionIndices.includes(i)).concat(partitionIndices);
  if (order.every((i, k) => i === k)) return df;
  const exprs = order.map((i) => { const c = out[i]!; return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier); });
  return new LocalDataset(df.sparkSession, build.project(df.plan, exprs));
}

/** `PARTITION (p='x', q)`: each named column, with its static value as Spark keeps it (text; null for NULL), or dynamic (undefined). */
export type PartitionSpec = ReadonlyMap<string, string | null | undefined>;

/**
 * The partition spec of an INSERT or SHOW PARTITIONS, checked against the table's partition
 * columns (Spark's normalizePartitionSpec) and keyed by their declared names. A static value is
 * kept as text, as Spark keeps partition values: a string's content, a number as written, a
 * typed literal's string.
 */
export function partitionSpecOf(spec: CstNode, table: TableDefinition, identifierText: (n: CstNode) => string, build: (n: CstNode) => Expression): PartitionSpec {
  const partitionColumns = table.partitionColumns ?? [];
  const values = new Map<string, string | null | undefined>();
  for (const v of nodes(spec.children, "partitionValue")) {
    const key = identifierText(node(v.children, "identifier")!);
    const column = partitionColumns.find((c) => sameName(c, key));
    if (column === undefined) throw new AnalysisError(`[_LEGACY_ERROR_TEMP_1231] ${key} is not a valid partition column in table \`spark_catalog\`.\`default\`.${quoted(table.name)}.`);
    if (values.has(column)) throw new AnalysisError(`[DUPLICATE_KEY] Found duplicate keys ${quoted(column)}.`);
    const value = node(v.children, "additive");
    values.set(column, value === undefined ? undefined : staticValue(value, build));
  }
  return values;
}

function staticValue(n: CstNode, build: (n: CstNode) => Expression): string | null {
  const e = build(n);
  const literal = e.kind === "Call" && e.name === "negative" && e.args[0]?.kind === "Literal" ? e.args[0] : e;
  if (literal.kind === "Literal") {
    if (literal.value === null) return null;
    if (typeof literal.value === "string") return literal.value;
    // A number or boolean as written (an untyped integer literal has no type yet); a typed literal's value is not its text.
    const kind = literal.dataType?.kind ?? "int";
    if (["byte", "short", "int", "long", "float", "double", "boolean"].includes(kind) && ["number", "bigint", "boolean"].includes(typeof literal.value)) {
      return (literal === e ? "" : "-") + String(literal.value);
    }
  }
  // A typed literal (DATE '2024-01-01'): its string, as Spark keeps the partition value.
  const tokens = tokensOf(n);
  const quotedText = tokens.find((t) => t.tokenType.name === "StringLiteral");
  if (quotedText !== undefined) return unquoteString(quotedText.image);
  // Another number (1.5, 1e3) as written.
  if (tokens.every((t) => ["Minus", "IntegerLiteral", "DecimalLiteral", "BigintLiteral"].includes(t.tokenType.name))) return tokens.map((t) => t.image).join("");
  throw new AnalysisError("[INVALID_SQL_SYNTAX] Invalid SQL syntax: a partition value must be a literal (PARTITION (p = 'value')).");
}

/**
 * The query's rows in the table's columns with the static partition values placed (Spark's
 * INSERT INTO t PARTITION (p='x') SELECT …): the query gives the other columns, by position,
 * in the table's order; each static value is cast to its column's type.
 */
export function withStaticPartitions(df: DataFrame, table: TableDefinition, spec: PartitionSpec): DataFrame {
  const schema = table.schema;
  const statics = [...spec].filter(([, v]) => v !== undefined) as [string, string | null][];
  if (schema === null || statics.length === 0) return df;
  const out = df.plan.output;
  const expected = schema.fields.length - statics.length;
  if (out.length !== expected) {
    const list = (names: readonly string[]): string => names.map(quoted).join(", ");
    throw new AnalysisError(`[INSERT_PARTITION_COLUMN_ARITY_MISMATCH] Cannot write to ${quoted(table.name)}, the reason is ${out.length > expected ? "too many" : "not enough"} data columns:\nTable columns: ${list(schema.fieldNames)}.\nPartition columns with static values: ${list(statics.map(([k]) => k))}.\nData columns: ${list(out.map((c) => c.name))}.`);
  }
  let next = 0;
  const exprs = schema.fields.map((f) => {
    const value = statics.find(([k]) => sameName(k, f.name));
    if (value !== undefined) return Alias.create(castIfNeeded(Literal.create(value[1], StringType), f.dataType), f.name);
    const c = out[next]!;
    return ColumnRef.bound(c.name, next++, c.dataType, c.nullable, c.qualifier);
  });
  return new LocalDataset(df.sparkSession, build.project(df.plan, exprs));
}

/** The table as the query of an INSERT with static partition values sees it: without those columns. */
export function withoutStaticPartitions(table: TableDefinition, spec: PartitionSpec): TableDefinition {
  if (table.schema === null || staticCount(spec) === 0) return table;
  const isStatic = (name: string): boolean => [...spec].some(([k, v]) => v !== undefined && sameName(k, name));
  return { ...table, schema: new StructType(table.schema.fields.filter((f) => !isStatic(f.name))) };
}

/**
 * The directory INSERT OVERWRITE … PARTITION (…) replaces in static mode (Spark's static
 * partition prefix): the leading partition columns with static values, `p=x/q=y`; empty when
 * the first partition column is dynamic (the whole table is replaced).
 */
export function staticPartitionPrefix(partitionColumns: readonly string[], spec: PartitionSpec, escape: (s: string) => string): string {
  const parts: string[] = [];
  for (const column of partitionColumns) {
    const value = spec.get(column);
    if (value === undefined) break;
    parts.push(`${escape(column)}=${value === null || value === "" ? "__HIVE_DEFAULT_PARTITION__" : escape(value)}`);
  }
  return parts.join("/");
}

/**
 * The static values as the writer names their directories (Spark casts a static partition value
 * to its column's type before building the path): `p='01'` on an INT column is `p=1`, and a
 * value the cast makes null is the default partition.
 */
export function staticValuesAsWritten(spec: PartitionSpec, schema: StructType | null, zone: ZoneRules): PartitionSpec {
  if (schema === null) return spec;
  const context = { batchTimestampMicros: 0, timeZoneId: zone.id };
  return new Map([...spec].map(([column, value]) => {
    const field = schema.fields.find((f) => sameName(f.name, column));
    if (value === undefined || value === null || field === undefined) return [column, value];
    const cast = foldConstants(castIfNeeded(Literal.create(value, StringType), field.dataType), context);
    if (cast.kind !== "Literal") return [column, value];
    return [column, cast.value === null ? null : formatCell(cast.value, field.dataType, zone)];
  }));
}

/** How many partition columns have static values. */
export function staticCount(spec: PartitionSpec): number {
  return [...spec.values()].filter((v) => v !== undefined).length;
}
