/**
 * The JDBC connector: `writeStream.format("jdbc")` (an exactly-once sink) and
 * `read.format("jdbc")` / `read.jdbc(url, table)` (a batch source), over Kysely with
 * dialects for MySQL/MariaDB (mysql2), PostgreSQL (pg) and SQLite.
 *
 * SQLite runs on node-sqlite3-wasm: SQLite compiled to WebAssembly with direct file
 * access. It has no install script and no native binary, so `npm ci` on a fresh machine
 * installs it as it is (better-sqlite3 would need a C++ toolchain, Node's headers — which
 * node-gyp downloads unless told where they are — and an `allowScripts` approval under
 * npm 11). It plugs into Kysely's own SqliteDialect through WasmSqliteDatabase.
 */
export { jdbcSinkFactory, JdbcSink, type JdbcSinkConfig } from "./jdbc-sink.ts";
export { sinkKeys, type SinkKeys, type WriteMode } from "./sink-keys.ts";
export { createJdbcSourceProvider } from "./jdbc-source.ts";
export { jdbcOptions, type JdbcOptions } from "./jdbc-options.ts";
export { parseJdbcUrl, redactUrl, redactSecrets, type DialectName, type JdbcTarget } from "./jdbc-url.ts";
export { dialectFor } from "./dialects.ts";
export type { JdbcDialect, DbColumn, ErrorKind } from "./jdbc-dialect.ts";
export { sinkColumns, type SinkColumn } from "./sink-columns.ts";
export { COMMITS_TABLE } from "./table-setup.ts";
export { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from "../retry.ts";
export { WasmSqliteDatabase, type WasmDatabase } from "./wasm-sqlite-database.ts";
