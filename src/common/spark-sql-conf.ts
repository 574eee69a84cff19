/**
 * Spark's SQL settings that `spark.conf.get` knows without their being set: the ones whose
 * default Spark reports (as its SQLConf entries render them) and the ones Spark registers
 * without a default (`get` gives undefined, as Spark's null). A key in neither, not set and
 * outside rivulet's own `rivulet.*` namespace is unknown: `get` fails with SQL_CONF_NOT_FOUND.
 * rivulet's engine defaults (config.ts) come first; these add what a Spark user asks about.
 */
/** Spark's spark.sql.jsonGenerator.ignoreNullFields: whether to_json and JSON writes leave null fields out when no ignoreNullFields option says. */
export const JSON_IGNORE_NULL_FIELDS_KEY = "spark.sql.jsonGenerator.ignoreNullFields";

/** The session's spark.sql.jsonGenerator.ignoreNullFields (true unless set to false). */
export function jsonIgnoreNullFields(conf: { get(key: string): string | undefined }): boolean {
  return (conf.get(JSON_IGNORE_NULL_FIELDS_KEY) ?? "true").trim().toLowerCase() !== "false";
}

export const SPARK_SQL_DEFAULTS: Readonly<Record<string, string>> = {
  // rivulet evaluates with ANSI mode off (setting it true is refused), as Spark 3.5's default.
  "spark.sql.ansi.enabled": "false",
  "spark.sql.adaptive.enabled": "true",
  "spark.sql.adaptive.coalescePartitions.enabled": "true",
  "spark.sql.crossJoin.enabled": "true",
  "spark.sql.catalogImplementation": "in-memory",
  "spark.sql.sources.default": "parquet",
  "spark.sql.sources.partitionOverwriteMode": "STATIC",
  [JSON_IGNORE_NULL_FIELDS_KEY]: "true",
  "spark.sql.storeAssignmentPolicy": "ANSI",
  "spark.sql.pivotMaxValues": "10000",
  "spark.sql.groupByOrdinal": "true",
  "spark.sql.orderByOrdinal": "true",
  "spark.sql.groupByAliases": "true",
  // rivulet infers a file stream's schema unless told not to (Spark's default is false:
  // setting it false gives Spark's refusal, see connectors/sources/streaming-schema-inference.ts).
  "spark.sql.streaming.schemaInference": "true",
  "spark.sql.streaming.noDataProgressEventInterval": "10000ms",
  "spark.sql.streaming.metricsEnabled": "false",
  "spark.sql.streaming.stopTimeout": "0",
  "spark.sql.streaming.fileSink.log.compactInterval": "10",
  "spark.sql.streaming.fileSource.log.compactInterval": "10",
  "spark.sql.streaming.fileSink.log.deletion": "true",
  "spark.sql.streaming.fileSink.log.cleanupDelay": "10m",
  "spark.sql.streaming.fileSource.log.deletion": "true",
  "spark.sql.streaming.fileSource.log.cleanupDelay": "10m",
  "spark.sql.files.maxRecordsPerFile": "0",
};

/** Registered by Spark without a default value: known, read as undefined until set. */
export const SPARK_SQL_KEYS_WITHOUT_DEFAULT: ReadonlySet<string> = new Set([
  "spark.sql.streaming.checkpointLocation",
  "spark.sql.warehouse.dir",
  "spark.sql.streaming.stateStore.providerClass",
  "spark.sql.optimizer.excludedRules",
  "spark.sql.leafNodeDefaultParallelism",
]);

/** Spark's SparkNoSuchElementException for `spark.conf.get` of a key nobody set nor knows. */
export function sqlConfNotFound(key: string): string {
  return `[SQL_CONF_NOT_FOUND] The SQL config "${key}" cannot be found. Please verify that the config exists.`;
}
