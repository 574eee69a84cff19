import type { IToken } from "chevrotain";
import type { RuntimeConfig } from "../common/config.ts";
import { SPARK_SQL_DEFAULTS, SPARK_SQL_KEYS_WITHOUT_DEFAULT } from "../common/spark-sql-conf.ts";
import { ParseErrorAt } from "./parse-error-at.ts";

/** Spark's documentation of the SQL settings rivulet knows: what the setting means, and the Spark version that added it. */
const DOCS: Readonly<Record<string, readonly [string, string, string?]>> = {
  "spark.sql.statistics.size.autoUpdate.enabled": ["Enables automatic update for table size once table's data is changed.", "2.3.0", "false"],
  "spark.sql.ansi.enabled": ["When true, Spark SQL uses an ANSI compliant dialect instead of being Hive compliant. rivulet runs with it false.", "3.0.0"],
  "spark.sql.caseSensitive": ["Whether the query analyzer should be case sensitive or not. Default to case insensitive.", "1.4.0"],
  "spark.sql.session.timeZone": ["The ID of session local timezone in the format of either region-based zone IDs or zone offsets.", "2.2.0"],
  "spark.sql.shuffle.partitions": ["The default number of partitions to use when shuffling data for joins or aggregations.", "1.1.0"],
  "spark.sql.sources.default": ["The default data source to use in input/output.", "1.3.0"],
  "spark.sql.sources.partitionOverwriteMode": ["When INSERT OVERWRITE a partitioned data source table, two modes are supported: static and dynamic.", "2.3.0"],
  "spark.sql.storeAssignmentPolicy": ["When inserting a value into a column with different data type, Spark will perform type coercion: ANSI, LEGACY or STRICT.", "3.0.0"],
  "spark.sql.warehouse.dir": ["The default location for managed databases and tables.", "2.0.0"],
  "spark.sql.groupByOrdinal": ["When true, the ordinal numbers in group by clauses are treated as the position in the select list.", "2.0.0"],
  "spark.sql.orderByOrdinal": ["When true, the ordinal numbers are treated as the position in the select list.", "2.0.0"],
  "spark.sql.groupByAliases": ["When true, aliases in a select list can be used in group by clauses.", "2.2.0"],
  "spark.sql.streaming.checkpointLocation": ["The default location for storing checkpoint data for streaming queries.", "2.0.0"],
  "spark.sql.streaming.schemaInference": ["Whether file-based streaming sources will infer its own schema.", "2.0.0"],
  "spark.sql.streaming.noDataMicroBatches.enabled": ["Whether streaming micro-batch engine will execute batches without data for eager state management for stateful streaming queries.", "2.4.1"],
  "spark.sql.streaming.multipleWatermarkPolicy": ["Policy to calculate the global watermark value when there are multiple watermark operators in a streaming query: min or max.", "2.4.0"],
  "spark.sql.streaming.minBatchesToRetain": ["The minimum number of batches that must be retained and made recoverable.", "2.1.1"],
  "spark.sql.streaming.numRecentProgressUpdates": ["The number of progress updates to retain for a streaming query.", "2.1.1"],
  "spark.sql.streaming.stateStore.minDeltasForSnapshot": ["Minimum number of state store delta files that needs to be generated before they consolidated into snapshots.", "2.0.0"],
  "spark.sql.streaming.stateStore.providerClass": ["The class used to manage state data in stateful streaming queries.", "2.3.0"],
  "spark.sql.files.maxRecordsPerFile": ["Maximum number of records to write out to a single file. If this value is zero or negative, there is no limit.", "2.2.0"],
  "spark.sql.optimizer.excludedRules": ["Configures a list of rules to be disabled in the optimizer, in which the rules are specified by their rule names and separated by comma.", "2.4.0"],
  "spark.sql.decimalOperations.allowPrecisionLoss": ["When true (default), establishing the result type of an arithmetic operation happens according to Hive behavior and SQL ANSI 2011 specification.", "2.3.1"],
  "spark.sql.timestampType": ["Configures the default timestamp type of Spark SQL, including SQL DDL, Cast clause, type literal and the schema inference of data sources.", "3.4.0"],
  "spark.sql.pivotMaxValues": ["When doing a pivot without specifying values for the pivot column this is the maximum number of (distinct) values that will be collected without error.", "1.6.0"],
};

/**
 * SET -v, as Spark's SetCommand: every SQL setting Spark documents that rivulet knows (the
 * `spark.sql.*` keys), sorted, with its value now (set, else its default, else `<undefined>`),
 * its meaning and the Spark version that added it (`<unknown>` when rivulet has no record).
 */
export function setVerboseRows(word: IToken, conf: RuntimeConfig): { key: string; value: string; meaning: string; "Since version": string }[] {
  if (word.image !== "v") throw new ParseErrorAt(word, `[PARSE_SYNTAX_ERROR] Syntax error at or near '-': SET takes -v (every setting with its meaning), not -${word.image}.`);
  const all = conf.getAll();
  const keys = new Set([...Object.keys(DOCS), ...Object.keys(SPARK_SQL_DEFAULTS), ...SPARK_SQL_KEYS_WITHOUT_DEFAULT, ...Object.keys(all)].filter((k) => k.startsWith("spark.sql.")));
  return [...keys].sort().map((key) => ({
    key,
    value: all[key] ?? SPARK_SQL_DEFAULTS[key] ?? DOCS[key]?.[2] ?? "<undefined>",
    meaning: DOCS[key]?.[0] ?? "",
    "Since version": DOCS[key]?.[1] ?? "<unknown>",
  }));
}
