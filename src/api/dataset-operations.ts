import { AnalysisError } from "../common/errors.ts";
import type { StructType } from "../types/data-types.ts";
import { parseSchema } from "../types/ddl.ts";
import type { Column } from "./column.ts";
import type { Dataset, Row } from "./dataset.ts";
import { reconcileColumns } from "./reconcile-to-schema.ts";
import type { SessionMode } from "./session-mode.ts";
import { stratifiedSampleCondition } from "./stratified-sample.ts";
import { columnName, UNPIVOT_COLUMN, unpivotGenerator } from "./unpivot-columns.ts";
import { unpivotValueType } from "../plan/unpivot.ts";

/**
 * Spark's Dataset methods that are built from others (Spark 3.4/3.5's additions), for both
 * backends: dataset.ts declares them, these are their rules.
 */

type AnyDataset<M extends SessionMode> = Dataset<any, M>;

export function withColumnsRenamed<M extends SessionMode>(df: AnyDataset<M>, renames: Readonly<Record<string, string>> | ReadonlyMap<string, string>): Dataset<Row, M> {
  const pairs = renames instanceof Map ? [...renames.entries()] : Object.entries(renames);
  return pairs.reduce<AnyDataset<M>>((d, [from, to]) => d.withColumnRenamed(from as never, to), df);
}

export function toSchema<M extends SessionMode>(df: AnyDataset<M>, schema: StructType | string): Dataset<Row, M> {
  const input = df.schema;
  if (input instanceof Promise) throw new AnalysisError("Dataset.to(schema) on a remote session: select and cast the columns (`select(col(\"a\").cast(\"bigint\"), …)`)");
  const target = typeof schema === "string" ? parseSchema(schema) : schema;
  return df.select(...(reconcileColumns(input as StructType, target) as never[]));
}

export function unpivot<M extends SessionMode>(
  df: AnyDataset<M>, ids: Column | string | readonly (Column | string)[], values: readonly (Column | string)[] | null | undefined,
  variableColumnName: string, valueColumnName: string,
): Dataset<Row, M> {
  const idList: (Column | string)[] = Array.isArray(ids) ? [...(ids as readonly (Column | string)[])] : [ids as Column | string];
  const idNames = idList.map(columnName);
  let valueNames = values?.map(columnName);
  if (valueNames === undefined) {
    const columns = df.columns;
    if (columns instanceof Promise) throw new AnalysisError("unpivot on a remote session: name the value columns");
    valueNames = (columns as string[]).filter((c) => !idNames.some((id) => id.toLowerCase() === c.toLowerCase()));
  }
  // Locally the value columns' types are known: Spark's least common type (no string promotion), or its error.
  const valueSchema = valueNames.length > 0 ? df.select(...(valueNames as never[])).schema : null;
  const valueType = valueSchema === null || valueSchema instanceof Promise ? null
    : unpivotValueType((valueSchema as StructType).fields.map((f, i) => ({ type: f.dataType, text: valueNames[i]! })));
  const generated = df.select(...(idList as never[]), unpivotGenerator(valueNames, variableColumnName, valueColumnName, valueType) as never);
  const field = (name: string): Column => generated.col(UNPIVOT_COLUMN as never).getField(name).alias(name);
  return generated.select(...(idNames.map(quoted) as never[]), field(variableColumnName) as never, field(valueColumnName) as never);
}

const quoted = (name: string): string => `\`${name.replace(/`/g, "``")}\``;

export function sampleByCondition(c: Column | string, fractions: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>, seed: number | undefined): Column {
  return stratifiedSampleCondition(c, fractions, seed ?? Math.floor(Math.random() * 2 ** 31));
}

export function samePartitions<D>(df: D, numPartitions: number | Column | string | undefined): D {
  if (typeof numPartitions === "number" && !(Number.isInteger(numPartitions) && numPartitions > 0)) {
    throw new AnalysisError(`Number of partitions (${numPartitions}) must be positive.`);
  }
  return df;
}

export async function checkpointRows<T, M extends SessionMode>(df: Dataset<T, M>): Promise<Dataset<T, M>> {
  const [rows, schema] = await Promise.all([df.collect(), df.schema]);
  return df.sparkSession.createDataFrame(rows as unknown[], schema as StructType) as unknown as Dataset<T, M>;
}

export async function correlation<M extends SessionMode>(df: AnyDataset<M>, col1: string, col2: string, method: string): Promise<number | null> {
  if (method !== "pearson") throw new AnalysisError(`corr: Currently only the calculation of the Pearson Correlation coefficient is supported, not '${method}'.`);
  return statistic(df, `corr(\`${col1}\`, \`${col2}\`)`);
}

export async function statistic<M extends SessionMode>(df: AnyDataset<M>, expression: string): Promise<number | null> {
  const [row] = await df.selectExpr(`${expression} AS value`).collect();
  return (row?.value ?? null) as number | null;
}

/**
 * Spark's approxQuantile(col(s), probabilities, relativeError): per column, the smallest value
 * v such that at least p of the non-null, non-NaN values are <= v, computed exactly here (which
 * is within any relative error); an empty list for a column with no such values.
 */
export async function approxQuantile<M extends SessionMode>(
  df: AnyDataset<M>, cols: string | readonly string[], probabilities: readonly number[], relativeError: number,
): Promise<number[] | number[][]> {
  if (!(relativeError >= 0)) throw new AnalysisError(`approxQuantile: Relative Error must be non-negative but got ${relativeError}`);
  const bad = probabilities.find((p) => !(p >= 0 && p <= 1));
  if (bad !== undefined) throw new AnalysisError(`approxQuantile: percentile should be in the range [0.0, 1.0], got ${bad}`);
  const names = typeof cols === "string" ? [cols] : [...cols];
  const out: number[][] = [];
  for (const name of names) {
    const ref = `\`${name.replace(/`/g, "``")}\``;
    const rows = await df.selectExpr(`CAST(${ref} AS DOUBLE) AS v`).where("v IS NOT NULL AND NOT isnan(v)").orderBy("v").collect();
    const values = rows.map((r) => Number((r as Row).v));
    out.push(values.length === 0 ? [] : probabilities.map((p) => values[Math.max(0, Math.ceil(p * values.length) - 1)]!));
  }
  return typeof cols === "string" ? out[0]! : out;
}

/**
 * Spark's crosstab(col1, col2): one row per value of `col1` (column `col1_col2`, as strings,
 * null as "null"), one LONG column per value of `col2` (sorted), each the number of rows of
 * that pair (0 when none).
 */
export async function crosstab<M extends SessionMode>(df: AnyDataset<M>, col1: string, col2: string): Promise<Dataset<Row, M>> {
  const quote = (n: string): string => `\`${n.replace(/`/g, "``")}\``;
  const counts = await df.selectExpr(`CAST(${quote(col1)} AS STRING) AS a`, `CAST(${quote(col2)} AS STRING) AS b`).groupBy("a", "b").count().collect();
  const clean = (v: unknown): string => (v === null || v === undefined ? "null" : String(v));
  const columns = [...new Set(counts.map((r) => clean((r as Row).b)))].sort();
  const table = new Map<string, Record<string, unknown>>();
  for (const r of counts as Row[]) {
    const key = clean(r.a);
    const row = table.get(key) ?? Object.fromEntries([[`${col1}_${col2}`, key], ...columns.map((c) => [c, 0])]);
    row[clean(r.b)] = Number(r.count);
    table.set(key, row);
  }
  const schema = [`${quote(`${col1}_${col2}`)} STRING`, ...columns.map((c) => `${quote(c)} BIGINT`)].join(", ");
  return df.sparkSession.createDataFrame([...table.keys()].sort().map((k) => table.get(k)!), schema) as Dataset<Row, M>;
}

/** PySpark's DataFrame.replace(toReplace, value, subset): na.replace with a dict, a value, or lists of values. */
export function replaceValues<M extends SessionMode>(
  df: AnyDataset<M>, toReplace: unknown, value: unknown, subset: string | readonly string[] | undefined,
): Dataset<Row, M> {
  const cols = subset ?? "*";
  if (toReplace instanceof Map || (typeof toReplace === "object" && toReplace !== null && !Array.isArray(toReplace))) return df.na.replace(cols, toReplace as never);
  const keys = Array.isArray(toReplace) ? toReplace : [toReplace];
  const values = Array.isArray(value) ? value : keys.map(() => value);
  if (values.length !== keys.length) throw new AnalysisError(`replace: toReplace and value lists should be of the same length. Got ${keys.length} and ${values.length}`);
  return df.na.replace(cols, new Map(keys.map((k, i) => [k, values[i] ?? null])) as never);
}
