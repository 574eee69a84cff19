/**
 * Spark's other names of its built-in data sources (DataSource.backwardCompatibilityMap and
 * the providers' class names), which Spark users write in `format(…)` and `USING …`:
 * `USING org.apache.spark.sql.jdbc` is the JDBC source's form in Spark's own JDBC guide.
 * Each maps to the short name rivulet's connectors answer to.
 */
const SPARK_PROVIDER_NAMES: ReadonlyMap<string, string> = new Map([
  ...["org.apache.spark.sql.jdbc", "org.apache.spark.sql.jdbc.defaultsource", "org.apache.spark.sql.execution.datasources.jdbc",
    "org.apache.spark.sql.execution.datasources.jdbc.defaultsource", "org.apache.spark.sql.execution.datasources.jdbc.jdbcrelationprovider"].map((n) => [n, "jdbc"] as const),
  ...["org.apache.spark.sql.json", "org.apache.spark.sql.json.defaultsource", "org.apache.spark.sql.execution.datasources.json",
    "org.apache.spark.sql.execution.datasources.json.defaultsource", "org.apache.spark.sql.execution.datasources.json.jsonfileformat"].map((n) => [n, "json"] as const),
  ...["org.apache.spark.sql.parquet", "org.apache.spark.sql.parquet.defaultsource", "org.apache.spark.sql.execution.datasources.parquet",
    "org.apache.spark.sql.execution.datasources.parquet.defaultsource", "org.apache.spark.sql.execution.datasources.parquet.parquetfileformat"].map((n) => [n, "parquet"] as const),
  ...["com.databricks.spark.csv", "org.apache.spark.sql.execution.datasources.csv.csvfileformat"].map((n) => [n, "csv"] as const),
  ["org.apache.spark.sql.execution.datasources.text.textfileformat", "text"],
  ["org.apache.spark.sql.execution.streaming.ratesourceprovider", "rate"],
  ["org.apache.spark.sql.execution.streaming.textsocketsourceprovider", "socket"],
]);

/** A data source's name as rivulet's connectors know it: trimmed, lower case, Spark's long names made short. */
export function shortFormatName(format: string): string {
  const name = format.trim().toLowerCase();
  return SPARK_PROVIDER_NAMES.get(name) ?? name;
}
