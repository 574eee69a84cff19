import { mkdirSync } from "node:fs";
import { onConflictIgnore, onConflictUpsert } from "./on-conflict.ts";
import { dirname, resolve } from "node:path";
import { Kysely, sql, SqliteDialect } from "kysely";
import { assertNever } from "../../common/errors.ts";
import { importDriver } from "../driver-import.ts";
import type { DataType } from "../../types/data-types.ts";
import { errorCodes, type AnyDb, type DbColumn, type ErrorKind, type JdbcDialect } from "./jdbc-dialect.ts";
import type { JdbcTarget } from "./jdbc-url.ts";
import { describedName, groupColumns, splitName } from "./mysql-dialect.ts";
import { WasmSqliteDatabase } from "./wasm-sqlite-database.ts";
import { driverValue, type ReadColumn } from "./read-values.ts";
import { dataTypeOfSql } from "./sql-types.ts";

/**
 * SQLite in a file, through node-sqlite3-wasm: SQLite compiled to WebAssembly with
 * direct file access, so it installs anywhere with no native build and no download.
 * Timestamps are stored as UTC text `YYYY-MM-DD HH:MM:SS.ffffff`, which sorts in time order.
 */
export const sqliteDialect: JdbcDialect = {
  name: "sqlite",
  maxParameters: 32_766,
  booleanValue: (b) => (b ? 1 : 0),
  cannotStoreDouble: (d) => Number.isNaN(d),

  readColumn(column: DbColumn): ReadColumn {
    const type = dataTypeOfSql(column.dbType, "sqlite");
    return { type, convert: driverValue(type) };
  },

  async connect(target: JdbcTarget): Promise<AnyDb> {
    const { Database } = (await importDriver("node-sqlite3-wasm", "SQLite (jdbc:sqlite:)", () => import("node-sqlite3-wasm"))).default;
    const file = target.file === ":memory:" ? target.file : resolve(target.file);
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    return new Kysely({
      dialect: new SqliteDialect({
        database: async () => {
          const db = new WasmSqliteDatabase(new Database(file));
          db.prepare("PRAGMA busy_timeout = 5000").all([]);
          return db;
        },
      }),
    });
  },

  columnType(type: DataType, _isKey: boolean): string {
    switch (type.kind) {
      case "string": return "TEXT";
      case "byte": case "short": case "int": case "long": return "INTEGER";
      case "float": return "REAL";
      // SQLite's NUMERIC affinity would turn the text into an 8-byte REAL: a name with TEXT in it keeps the digits.
      case "decimal": return `DECIMAL_TEXT(${type.precision},${type.scale})`;
      case "double": return "REAL";
      case "boolean": return "BOOLEAN";
      case "timestamp": case "timestamp_ntz": return "TIMESTAMP";
      case "interval_dt": case "interval_ym": case "interval": return "TEXT";
      case "date": return "DATE";
      case "binary": return "BLOB";
      case "array": case "map": case "struct": case "null": return "TEXT";
      default: return assertNever(type, "data type");
    }
  },

  async describeTable(db: AnyDb, table: string): Promise<DbColumn[]> {
    const [schema, name] = splitName(table);
    const from = schema === null ? sql`pragma_table_info(${name})` : sql`pragma_table_info(${name}, ${schema})`;
    const { rows } = await sql<{ name: string; type: string; notnull: number; pk: number }>`SELECT name, type, "notnull", pk FROM ${from} ORDER BY cid`.execute(db);
    return rows.map((r) => ({ name: r.name, dbType: String(r.type).toLowerCase(), nullable: Number(r.notnull) === 0, keyPosition: Number(r.pk) }));
  },

  /**
   * A temporary view's declared types; a column computed by an expression has none, so it is
   * typed by its first non-null value's storage class (integer → BIGINT, real → DOUBLE, …).
   */
  async describeQuery(db: AnyDb, derivedTable: string): Promise<DbColumn[]> {
    const name = describedName();
    return db.connection().execute(async (conn) => {
      await sql`CREATE TEMP VIEW ${sql.id(name)} AS SELECT * FROM ${sql.raw(derivedTable)}`.execute(conn);
      try {
        const { rows } = await sql<{ name: string; type: string; notnull: number }>`SELECT name, type, "notnull" FROM pragma_table_info(${name}, 'temp') ORDER BY cid`.execute(conn);
        const columns: DbColumn[] = [];
        for (const r of rows) {
          let dbType = String(r.type).toLowerCase();
          if (dbType === "") {
            const c = sql.id(r.name);
            const found = await sql<{ t: string }>`SELECT typeof(${c}) AS t FROM ${sql.id("temp", name)} WHERE ${c} IS NOT NULL LIMIT 1`.execute(conn);
            dbType = found.rows[0]?.t ?? "text";
          }
          columns.push({ name: r.name, dbType, nullable: Number(r.notnull) === 0, keyPosition: 0 });
        }
        return columns;
      } finally {
        await sql`DROP VIEW IF EXISTS ${sql.id("temp", name)}`.execute(conn);
      }
    });
  },

  async uniqueKeys(db: AnyDb, table: string): Promise<string[][]> {
    const [schema, name] = splitName(table);
    const list = schema === null ? sql`pragma_index_list(${name})` : sql`pragma_index_list(${name}, ${schema})`;
    const { rows } = await sql<{ index: string; column: string }>`
      SELECT l.name AS "index", i.name AS "column" FROM ${list} l, pragma_index_info(l.name) i
      WHERE l."unique" = 1 AND l.origin <> 'pk' AND l.partial = 0 ORDER BY l.name, i.seqno`.execute(db);
    return groupColumns(rows);
  },

  upsert: onConflictUpsert,
  insertIgnore: onConflictIgnore,

  classify(error: unknown): ErrorKind {
    const { message } = errorCodes(error);
    if (/database is locked|SQLITE_BUSY/i.test(message)) return "transient";
    if (/unable to open database/i.test(message)) return "unknown-database";
    return "other";
  },
};
