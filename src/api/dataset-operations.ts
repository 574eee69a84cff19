import { AnalysisError } from "../common/errors.ts";
import type { StructType } from "../types/data-types.ts";
import { parseSchema } from "../types/ddl.ts";
import type { Column } from "./column.ts";
import type { Dataset, Row } from "./dataset.ts";
import { reconcileColumns } from "./reconcile-to-schema.ts";
import type { SessionMode } from "./session-mode.ts";
import { stratifiedSampleCondition } from "./stratified-sample.ts";
import { columnName, UNPIVOT_COLUMN, unpivotGenerator } from "./unpivot-columns.ts";

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
  const generated = df.select(...(idList as never[]), unpivotGenerator(valueNames, variableColumnName, valueColumnName) as never);
  const field = (name: string): Column => generated.col(UNPIVOT_COLUMN as never).getField(name).alias(name);
  return generated.select(...(idNames.map((n) => `\`${n.replace(/`/g, "``")}\``) as never[]), field(variableColumnName) as never, field(valueColumnName) as never);
}

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
