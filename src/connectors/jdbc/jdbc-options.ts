import { parseDuration } from "../../common/duration.ts";
import { ConnectorError } from "../../common/errors.ts";
import { getOption, intOption } from "../sinks/sink-input.ts";
import { parseJdbcUrl, type JdbcTarget } from "./jdbc-url.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.ts";

/** The options of `format("jdbc")`, as Spark names them (case-insensitive), plus retries. */
export interface JdbcOptions {
  readonly target: JdbcTarget;
  readonly table: string;
  /** Rows per multi-row INSERT (Spark's `batchsize`, default 1000). */
  readonly batchSize: number;
  /** Appended to CREATE TABLE (Spark's `createTableOptions`, e.g. `ENGINE=InnoDB`). */
  readonly createTableOptions: string;
  readonly retry: RetryPolicy;
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
    retry: {
      maxDurationMs: retryMaxDurationMs(options, defaultRetryMaxDuration, where),
      backoffMs: intOption(options, "retryBackoffMs", DEFAULT_RETRY_POLICY.backoffMs, where, 0),
      maxBackoffMs: intOption(options, "retryMaxBackoffMs", DEFAULT_RETRY_POLICY.maxBackoffMs, where, 0),
    },
  };
}

/**
 * `retryMaxDuration` (a duration such as `30 seconds`; `0` gives up at once, `-1` never
 * does) in milliseconds: how long transient errors (the database down or restarting)
 * are retried before the query fails.
 */
function retryMaxDurationMs(options: Readonly<Record<string, string>>, fallback: string | undefined, where: string): number {
  const option = getOption(options, "retryMaxDuration");
  const text = (option ?? fallback)?.trim();
  if (text === undefined || text === "") return DEFAULT_RETRY_POLICY.maxDurationMs;
  const what = option !== undefined ? `${where} option 'retryMaxDuration'` : "rivulet.sink.retry.maxDuration";
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (n < 0) return Infinity;
    if (n === 0) return 0;
    throw new ConnectorError(`${what}: '${text}' needs a unit, e.g. '${text} seconds' (or 0 to fail at once, -1 to retry forever)`);
  }
  try {
    const ms = parseDuration(text, what) / 1000;
    return ms < 0 ? Infinity : ms;
  } catch (error) {
    throw new ConnectorError(`${(error as Error).message} (or 0 to fail at once, -1 to retry forever)`, { cause: error });
  }
}
