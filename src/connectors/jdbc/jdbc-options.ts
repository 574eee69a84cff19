import { ConnectorError } from "../../common/errors.ts";
import { booleanOption, getOption, intOption } from "../sinks/sink-input.ts";
import { parseJdbcUrl, type JdbcTarget } from "./jdbc-url.ts";
import { retryPolicyOf, type RetryPolicy } from "../retry.ts";

/** The options of `format("jdbc")`, as Spark names them (case-insensitive), plus retries. */
export interface JdbcOptions {
  readonly target: JdbcTarget;
  /**
   * The table (`[schema.]name`), or for a read anything valid in a FROM clause: a parenthesised
   * subquery with its alias (`dbtable "(SELECT …) AS t"`, or option `query` wrapped as Spark
   * wraps it, `(query) SPARK_GEN_SUBQ_n`); then `subquery` is true.
   */
  readonly table: string;
  readonly subquery: boolean;
  /** Rows per multi-row INSERT (Spark's `batchsize`, default 1000). */
  readonly batchSize: number;
  /** Appended to CREATE TABLE (Spark's `createTableOptions`, e.g. `ENGINE=InnoDB`). */
  readonly createTableOptions: string;
  readonly retry: RetryPolicy;
  /** Spark's `preferTimestampNTZ`: a timestamp column without time zone is read as TIMESTAMP_NTZ. */
  readonly preferTimestampNTZ: boolean;
  /**
   * `read.jdbc(url, table, predicates, properties)`: one partition per WHERE clause, the read
   * their union (a row two clauses match is read twice, as in Spark); null reads the table once.
   * Carried in option `predicates` as a JSON array (Spark Connect's Read.DataSource.predicates).
   */
  readonly predicates: readonly string[] | null;
  /** Spark's `customSchema` ("id STRING, amt DOUBLE"): the listed columns are read as these types. */
  readonly customSchema: string | null;
  /** Spark's `createTableColumnTypes` ("name VARCHAR(8)"): a created table's column types, by lower-cased column name. */
  readonly createTableColumnTypes: ReadonlyMap<string, string>;
}

/** The option `read.jdbc(…, predicates, …)` carries its WHERE clauses in. */
export const PREDICATES_OPTION = "predicates";

const PARTITION_OPTIONS = ["partitionColumn", "lowerBound", "upperBound", "numPartitions"] as const;

const TABLE_NAME = /^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)?$/;
/** `(SELECT …) alias` or `(SELECT …) AS alias`: a derived table, as Spark's dbtable takes it for a read. */
const DERIVED_TABLE = /^\(.*\)\s+(AS\s+)?[A-Za-z_][\w$]*$/is;

/** Spark numbers the aliases of the `query` option's subqueries through the process (JDBCOptions.curId). */
let nextSubqueryId = 0;

/**
 * Reads and checks the options of a write (a sink, `df.write.jdbc`); `where` ("JDBC sink",
 * "JDBC write") starts every error. `defaultRetryMaxDuration` is the session's
 * `rivulet.sink.retry.maxDuration` for a sink. A write needs `dbtable`, a table name.
 */
export function jdbcOptions(options: Readonly<Record<string, string>>, where: string, defaultRetryMaxDuration?: string): JdbcOptions {
  const target = targetOf(options, where);
  const table = getOption(options, "dbtable")?.trim();
  if (table === undefined || table === "") {
    const query = getOption(options, "query") === undefined ? "" : " Option 'query' is not applicable while writing.";
    throw new ConnectorError(`${where} ${target.redacted}: option 'dbtable' is required (the table to write).${query}`);
  }
  if (!TABLE_NAME.test(table)) {
    throw new ConnectorError(`${where} ${target.redacted}: dbtable '${table}' is not a table name ([schema.]name of letters, digits, _ and $)`);
  }
  return commonOptions(options, where, defaultRetryMaxDuration, target, table, false);
}

/**
 * Reads and checks the options of a read (`spark.read.format("jdbc")`), with Spark's rules
 * for what is read: `dbtable` (a table, or a parenthesised subquery with an alias) or `query`
 * (wrapped as `(query) SPARK_GEN_SUBQ_n`), never both, and `query` without `partitionColumn`.
 */
export function jdbcReadOptions(options: Readonly<Record<string, string>>, where: string, defaultRetryMaxDuration?: string): JdbcOptions {
  const target = targetOf(options, where);
  const dbtable = getOption(options, "dbtable");
  const query = getOption(options, "query");
  const at = `${where} ${target.redacted}`;
  if (dbtable === undefined && query === undefined) throw new ConnectorError(`${at}: Option 'dbtable' or 'query' is required.`);
  if (dbtable !== undefined && query !== undefined) throw new ConnectorError(`${at}: Both 'dbtable' and 'query' can not be specified at the same time.`);
  if (query !== undefined && getOption(options, "partitionColumn") !== undefined) {
    throw new ConnectorError(`${at}: Options 'query' and 'partitionColumn' can not be specified together. Please define the query using \`dbtable\` option instead and make sure to qualify the partition columns using the supplied subquery alias to resolve any ambiguity. Example : spark.read.format("jdbc").option("dbtable", "(select c1, c2 from t1) as subq").option("partitionColumn", "subq.c1").load()`);
  }
  if (query !== undefined) {
    const text = query.trim().replace(/;\s*$/, "");
    if (text === "") throw new ConnectorError(`${at}: Empty string is not allowed in either 'dbtable' or 'query' options`);
    return commonOptions(options, where, defaultRetryMaxDuration, target, `(${text}) SPARK_GEN_SUBQ_${nextSubqueryId++}`, true);
  }
  const table = dbtable!.trim();
  if (table === "") throw new ConnectorError(`${at}: Empty string is not allowed in either 'dbtable' or 'query' options`);
  if (DERIVED_TABLE.test(table)) return commonOptions(options, where, defaultRetryMaxDuration, target, table, true);
  if (!TABLE_NAME.test(table)) {
    throw new ConnectorError(`${at}: dbtable '${table}' is neither a table name ([schema.]name of letters, digits, _ and $) nor a subquery with an alias ("(SELECT …) AS t"); or give the query in option 'query'`);
  }
  return commonOptions(options, where, defaultRetryMaxDuration, target, table, false);
}

function targetOf(options: Readonly<Record<string, string>>, where: string): JdbcTarget {
  const url = getOption(options, "url") ?? getOption(options, "path");
  if (url === undefined || url.trim() === "") {
    throw new ConnectorError(`${where}: option 'url' is required: a JDBC URL such as jdbc:mysql://host:3306/db?user=… or jdbc:sqlite:file.db (or pass it to start(url))`);
  }
  return parseJdbcUrl(url, { user: getOption(options, "user"), password: getOption(options, "password") });
}

function commonOptions(options: Readonly<Record<string, string>>, where: string, defaultRetryMaxDuration: string | undefined, target: JdbcTarget, table: string, subquery: boolean): JdbcOptions {
  return {
    target, table, subquery,
    batchSize: intOption(options, "batchsize", 1000, where, 1),
    createTableOptions: getOption(options, "createTableOptions") ?? "",
    retry: retryPolicyOf(options, defaultRetryMaxDuration, where),
    preferTimestampNTZ: booleanOption(options, "preferTimestampNTZ", false, where),
    predicates: predicatesOption(options, where),
    customSchema: getOption(options, "customSchema") ?? null,
    createTableColumnTypes: columnTypesOption(getOption(options, "createTableColumnTypes") ?? "", where),
  };
}

/** "name VARCHAR(8), note DECIMAL(10, 2)" → name → type text, split at top-level commas. */
function columnTypesOption(text: string, where: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0, start = 0;
  const parts: string[] = [];
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "<") depth++;
    else if (c === ")" || c === ">") depth--;
    else if ((c === "," && depth === 0) || i === text.length) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  for (const part of parts.map((p) => p.trim()).filter((p) => p !== "")) {
    const m = /^(`[^`]+`|[A-Za-z_][\w$]*)\s+(.+)$/s.exec(part);
    if (m === null) throw new ConnectorError(`${where}: option 'createTableColumnTypes' must list "column TYPE" pairs separated by commas, got '${part}'`);
    const name = m[1]!.replace(/^`|`$/g, "").toLowerCase();
    if (out.has(name)) throw new ConnectorError(`${where}: [COLUMN_ALREADY_EXISTS] The column \`${name}\` already exists in option 'createTableColumnTypes'.`);
    out.set(name, m[2]!.trim());
  }
  return out;
}

function predicatesOption(options: Readonly<Record<string, string>>, where: string): string[] | null {
  checkPartitioning(options, where);
  const text = getOption(options, PREDICATES_OPTION);
  if (text === undefined) return null;
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = null; }
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) {
    throw new ConnectorError(`${where}: option '${PREDICATES_OPTION}' must be a JSON array of WHERE clauses (as read.jdbc(url, table, predicates, properties) passes them)`);
  }
  return parsed.length === 0 ? null : parsed;
}

/**
 * Spark's column partitioning (JDBCOptions, JDBCRelation.columnPartition): all four options or
 * none, numeric bounds with lowerBound <= upperBound, numPartitions >= 1. The partitions only
 * split the read in Spark; here the table is read once, the same rows.
 */
function checkPartitioning(options: Readonly<Record<string, string>>, where: string): void {
  const given = PARTITION_OPTIONS.filter((o) => getOption(options, o) !== undefined);
  if (given.length === 0) return;
  if (given.length < PARTITION_OPTIONS.length) {
    throw new ConnectorError(`${where}: When reading JDBC data sources, users need to specify all or none for the following options: 'partitionColumn', 'lowerBound', 'upperBound', and 'numPartitions'`);
  }
  const number = (name: string): number => {
    const text = getOption(options, name)!.trim();
    if (!/^[+-]?\d+$/.test(text)) throw new ConnectorError(`${where}: option '${name}' must be a number, got '${text}'`);
    return Number(text);
  };
  const lower = number("lowerBound"), upper = number("upperBound"), partitions = number("numPartitions");
  if (partitions < 1) throw new ConnectorError(`${where}: Invalid value \`${partitions}\` for parameter \`numPartitions\` in table reading via JDBC. The minimum value is 1.`);
  if (lower > upper) {
    throw new ConnectorError(`${where}: Operation not allowed: the lower bound of partitioning column is larger than the upper bound. Lower bound: ${lower}; Upper bound: ${upper}`);
  }
}
