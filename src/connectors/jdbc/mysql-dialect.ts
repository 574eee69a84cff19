import { Kysely, MysqlDialect, sql } from "kysely";
import { assertNever } from "../../common/errors.ts";
import { importDriver } from "../driver-import.ts";
import type { DataType } from "../../types/data-types.ts";
import { errorCodes, NETWORK_ERROR_CODES, type AnyDb, type AnyInsert, type DbColumn, type ErrorKind, type JdbcDialect } from "./jdbc-dialect.ts";
import type { JdbcTarget } from "./jdbc-url.ts";
import { mysqlReadColumn } from "./mysql-read-types.ts";

/** Server errors that a retry may get past: the connection or the server went away, lock conflicts. */
const TRANSIENT_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN
  1205, // ER_LOCK_WAIT_TIMEOUT
  1213, // ER_LOCK_DEADLOCK
  1927, // ER_CONNECTION_KILLED (MariaDB)
  2002, 2003, 2006, 2013, // can't connect, server gone away, lost connection
  4031, // ER_CLIENT_INTERACTION_TIMEOUT
]);
const TRANSIENT_CODES = new Set(["PROTOCOL_CONNECTION_LOST", "PROTOCOL_SEQUENCE_TIMEOUT", "PROTOCOL_PACKETS_OUT_OF_ORDER", "ER_CONNECTION_KILLED", "ER_SERVER_SHUTDOWN"]);

/**
 * MySQL and MariaDB through mysql2 (the first-class target). Timestamps travel as UTC
 * text (`timezone: "Z"`, `dateStrings`), so the server's and the client's time zones
 * never shift a value.
 */
export const mysqlDialect: JdbcDialect = {
  name: "mysql",
  maxParameters: 65_535,
  booleanValue: (b) => b,

  async connect(target: JdbcTarget): Promise<AnyDb> {
    const { createPool } = await importDriver("mysql2", "MySQL/MariaDB (jdbc:mysql:, jdbc:mariadb:)", () => import("mysql2"));
    const pool = createPool({
      host: target.host, port: target.port, database: target.database,
      user: target.user ?? undefined, password: target.password ?? undefined,
      connectionLimit: 2, timezone: "Z", dateStrings: true, decimalNumbers: false, supportBigNumbers: true,
      connectTimeout: Number(target.params.connecttimeout ?? 10_000),
      // JSON (MySQL's type, MariaDB's LONGTEXT marked json) stays its text and a geometry its bytes: mysql2 would parse both into objects.
      jsonStrings: true,
      typeCast: (field, next) => (field.type === "GEOMETRY" ? field.buffer() : next()),
    });
    return new Kysely({ dialect: new MysqlDialect({ pool }) });
  },

  columnType(type: DataType, isKey: boolean): string {
    switch (type.kind) {
      case "string": return isKey ? "VARCHAR(255)" : "TEXT";
      case "byte": return "TINYINT";
      case "short": return "SMALLINT";
      case "int": return "INT";
      case "float": return "FLOAT";
      case "decimal": return `DECIMAL(${type.precision},${type.scale})`;
      case "long": return "BIGINT";
      case "double": return "DOUBLE";
      case "boolean": return "BOOLEAN";
      case "timestamp": case "timestamp_ntz": return "DATETIME(6)";
      case "interval_dt": case "interval_ym": case "interval": return "TEXT";
      case "date": return "DATE";
      case "binary": return isKey ? "VARBINARY(255)" : "LONGBLOB";
      case "array": case "map": case "struct": case "null": return "LONGTEXT";
      default: return assertNever(type, "data type");
    }
  },

  /**
   * Binary, no-pad: keys compare byte for byte as Spark's strings do. MariaDB has
   * utf8mb4_nopad_bin, MySQL 8 utf8mb4_0900_bin; older MySQL only utf8mb4_bin, which still
   * ignores trailing spaces ("a" and "a " stay one key there).
   */
  async stringKeyType(db: AnyDb): Promise<string> {
    const { rows } = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(db);
    return `VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${keyCollation(String(rows[0]?.v ?? ""))}`;
  },

  async describeTable(db: AnyDb, table: string): Promise<DbColumn[]> {
    const [schema, name] = splitName(table);
    const { rows } = await sql<{ name: string; dbType: string; nullable: string; keyPosition: number | null }>`
      SELECT c.COLUMN_NAME AS name, c.COLUMN_TYPE AS dbType, c.IS_NULLABLE AS nullable, k.ORDINAL_POSITION AS keyPosition
      FROM information_schema.COLUMNS c
      LEFT JOIN information_schema.KEY_COLUMN_USAGE k
        ON k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME AND k.COLUMN_NAME = c.COLUMN_NAME AND k.CONSTRAINT_NAME = 'PRIMARY'
      WHERE c.TABLE_SCHEMA = ${schema === null ? sql`DATABASE()` : schema} AND c.TABLE_NAME = ${name}
      ORDER BY c.ORDINAL_POSITION`.execute(db);
    return rows.map((r) => ({ name: r.name, dbType: String(r.dbType).toLowerCase(), nullable: r.nullable === "YES", keyPosition: Number(r.keyPosition ?? 0) }));
  },

  /** MariaDB lists no temporary table in information_schema: SHOW COLUMNS (the same type text) on one connection. */
  async describeQuery(db: AnyDb, derivedTable: string): Promise<DbColumn[]> {
    const name = sql.id(describedName());
    return db.connection().execute(async (conn) => {
      await sql`CREATE TEMPORARY TABLE ${name} AS SELECT * FROM ${sql.raw(derivedTable)} WHERE 1 = 0`.execute(conn);
      try {
        const { rows } = await sql<{ Field: string; Type: string; Null: string }>`SHOW COLUMNS FROM ${name}`.execute(conn);
        return rows.map((r) => ({ name: r.Field, dbType: String(r.Type).toLowerCase(), nullable: r.Null === "YES", keyPosition: 0 }));
      } finally {
        await sql`DROP TEMPORARY TABLE IF EXISTS ${name}`.execute(conn);
      }
    });
  },

  async uniqueKeys(db: AnyDb, table: string): Promise<string[][]> {
    const [schema, name] = splitName(table);
    const { rows } = await sql<{ index: string; column: string }>`
      SELECT INDEX_NAME AS \`index\`, COLUMN_NAME AS \`column\` FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ${schema === null ? sql`DATABASE()` : schema} AND TABLE_NAME = ${name} AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'
      ORDER BY INDEX_NAME, SEQ_IN_INDEX`.execute(db);
    return groupColumns(rows);
  },

  readColumn: mysqlReadColumn,
  cannotStoreDouble: (d) => !Number.isFinite(d),

  upsert(insert: AnyInsert, _keys: readonly string[], values: readonly string[]): AnyInsert {
    // VALUES(col) works on MariaDB and MySQL alike (MySQL 8's row alias does not exist on MariaDB).
    const set: Record<string, unknown> = {};
    for (const c of values) set[c] = sql`VALUES(${sql.ref(c)})`;
    if (values.length === 0 && _keys.length > 0) set[_keys[0]!] = sql.ref(_keys[0]!);
    return insert.onDuplicateKeyUpdate(set);
  },

  insertIgnore(insert: AnyInsert): AnyInsert {
    return insert.ignore();
  },

  classify(error: unknown): ErrorKind {
    const { code, errno, message } = errorCodes(error);
    if (errno === 1045 || errno === 1044 || errno === 1698 || code === "ER_ACCESS_DENIED_ERROR") return "access-denied";
    if (errno === 1049 || code === "ER_BAD_DB_ERROR") return "unknown-database";
    if (TRANSIENT_ERRNOS.has(errno) || TRANSIENT_CODES.has(code) || NETWORK_ERROR_CODES.has(code)) return "transient";
    if ((error as { fatal?: unknown } | null)?.fatal === true) return "transient";
    if (/connection is in closed state|Pool is closed|Connection lost|server has gone away/i.test(message)) return "transient";
    return "other";
  },
};

/** The binary no-pad collation of a server version ("10.11.19-MariaDB-…", "8.0.36"). */
export function keyCollation(version: string): string {
  if (/mariadb/i.test(version)) return "utf8mb4_nopad_bin";
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? 0);
  return major >= 8 ? "utf8mb4_0900_bin" : "utf8mb4_bin";
}

/** Rows of (index, column) in index order → each index's column list. */
export function groupColumns(rows: readonly { index: string; column: string }[]): string[][] {
  const byIndex = new Map<string, string[]>();
  for (const r of rows) {
    const list = byIndex.get(r.index) ?? [];
    list.push(r.column);
    byIndex.set(r.index, list);
  }
  return [...byIndex.values()];
}

let describedCount = 0;
/** A name for the temporary table or view that describes a derived table, unique in the process. */
export function describedName(): string {
  return `rivulet_describe_${process.pid}_${describedCount++}`;
}

/** "db.table" → ["db", "table"]; "table" → [null, "table"]. */
export function splitName(table: string): [string | null, string] {
  const dot = table.indexOf(".");
  return dot < 0 ? [null, table] : [table.slice(0, dot), table.slice(dot + 1)];
}
