import { ConnectorError } from "../../common/errors.ts";
import { booleanOption, getOption, intOption } from "../sinks/sink-input.ts";
import { parseJdbcUrl, type JdbcTarget } from "./jdbc-url.ts";
import { retryPolicyOf, type RetryPolicy } from "../retry.ts";

/** The options of `format("jdbc")`, as Spark names them (case-insensitive), plus retries. */
export interface JdbcOptions {
  readonly target: JdbcTarget;
  readonly table: string;
  /** Rows per multi-row INSERT (Spark's `batchsize`, default 1000). */
  readonly batchSize: number;
  /** Appended to CREATE TABLE (Spark's `createTableOptions`, e.g. `ENGINE=InnoDB`). */
  readonly createTableOptions: string;
  readonly retry: RetryPolicy;
  /** Spark's `preferTimestampNTZ`: a timestamp column without time zone is read as TIMESTAMP_NTZ. */
  readonly preferTimestampNTZ: boolean;
}

/**
 * Reads and checks the options; `where` ("JDBC sink", "JDBC source") starts every error.
 * `defaultRetryMaxDuration` is the session's `rivulet.sink.retry.maxDuration` for a sink.
 */
export function jdbcOptions(options: Readonly<Record<string, string>>, where: string, defaultRetryMaxDuration?: string): JdbcOptions {
  const url = getOption(options, "url") ?? getOption(options, "path");
  if (url === undefined || url.trim() === "") {
    throw new ConnectorError(`${where}: option 'url' is required: a JDBC URL such as jdbc:mysql://host:3306/db?user=… or jdbc:sqlite:file.db (or pass it to start(url))`);
  }
  const target = parseJdbcUrl(url, { user: getOption(options, "user"), password: getOption(options, "password") });
  const table = getOption(options, "dbtable")?.trim();
  if (table === undefined || table === "") throw new ConnectorError(`${where} ${target.redacted}: option 'dbtable' is required (the table to ${where.endsWith("sink") ? "write" : "read"})`);
  if (!/^[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)?$/.test(table)) {
    throw new ConnectorError(`${where} ${target.redacted}: dbtable '${table}' is not a table name ([schema.]name of letters, digits, _ and $)`);
  }
  return {
    target, table,
    batchSize: intOption(options, "batchsize", 1000, where, 1),
    createTableOptions: getOption(options, "createTableOptions") ?? "",
    retry: retryPolicyOf(options, defaultRetryMaxDuration, where),
    preferTimestampNTZ: booleanOption(options, "preferTimestampNTZ", false, where),
  };
}
