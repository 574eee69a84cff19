import { Kysely, PostgresDialect, sql, type RawBuilder } from "kysely";
import { onConflictIgnore, onConflictUpsert } from "./on-conflict.ts";
import { assertNever } from "../../common/errors.ts";
import { importDriver } from "../driver-import.ts";
import type { DataType } from "../../types/data-types.ts";
import { errorCodes, NETWORK_ERROR_CODES, type AnyDb, type DbColumn, type ErrorKind, type JdbcDialect } from "./jdbc-dialect.ts";
import type { JdbcTarget } from "./jdbc-url.ts";
import { describedName, groupColumns, splitName } from "./mysql-dialect.ts";
import { Logger } from "../../common/log.ts";
import { postgresReadColumn } from "./postgres-read-types.ts";

const log = new Logger("JdbcPostgres");
/**
 * The only types pg parses: numbers, booleans, bytea. Every other value comes as PostgreSQL's
 * own text (timestamps never shifted by the client's zone, json/jsonb exactly as stored,
 * arrays as `{…}` literals), which postgres-read-types.ts reads as Spark's dialect does.
 */
const PARSED_TYPE_IDS = new Set([16 /* bool */, 17 /* bytea */, 20 /* int8 */, 21 /* int2 */, 23 /* int4 */, 26 /* oid */, 700 /* float4 */, 701 /* float8 */, 1700 /* numeric */]);

/** PostgreSQL through pg. */
export const postgresDialect: JdbcDialect = {
  name: "postgresql",
  maxParameters: 65_535,
  booleanValue: (b) => b,

  async connect(target: JdbcTarget): Promise<AnyDb> {
    const pg = (await importDriver("pg", "PostgreSQL (jdbc:postgresql:)", () => import("pg"))).default;
    const pool = new pg.Pool({
      host: target.host, port: target.port, database: target.database,
      user: target.user ?? undefined, password: target.password ?? undefined,
      max: 2, connectionTimeoutMillis: Number(target.params.connecttimeout ?? 10_000),
      types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (PARSED_TYPE_IDS.has(oid) ? pg.types.getTypeParser(oid, format) : (v: string) => v)) as typeof pg.types.getTypeParser },
    });
    // An idle client whose backend went away must not crash the process: the next query reconnects.
    pool.on("error", (error) => log.warn(`idle connection lost: ${error.message}`));
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  },

  columnType(type: DataType, _isKey: boolean): string {
    switch (type.kind) {
      case "string": return "TEXT";
      case "byte": case "short": return "SMALLINT";
      case "int": return "INTEGER";
      case "float": return "REAL";
      case "decimal": return `NUMERIC(${type.precision},${type.scale})`;
      case "long": return "BIGINT";
      case "double": return "DOUBLE PRECISION";
      case "boolean": return "BOOLEAN";
      case "timestamp": case "timestamp_ntz": return "TIMESTAMP(6)";
      case "interval_dt": case "interval_ym": case "interval": return "TEXT";
      case "date": return "DATE";
      case "binary": return "BYTEA";
      case "array": case "map": case "struct": case "null": return "TEXT";
      default: return assertNever(type, "data type");
    }
  },

  async describeTable(db: AnyDb, table: string): Promise<DbColumn[]> {
    const [schema, name] = splitName(table);
    return describeColumns(db, schema === null ? sql`current_schema()` : sql`${schema}`, name);
  },

  /** A temporary view on one connection, described from its session's temporary schema. */
  async describeQuery(db: AnyDb, derivedTable: string): Promise<DbColumn[]> {
    const name = describedName();
    return db.connection().execute(async (conn) => {
      await sql`CREATE TEMPORARY VIEW ${sql.id(name)} AS SELECT * FROM ${sql.raw(derivedTable)}`.execute(conn);
      try {
        return await describeColumns(conn, sql`(SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())`, name);
      } finally {
        await sql`DROP VIEW IF EXISTS ${sql.id(name)}`.execute(conn);
      }
    });
  },

  async uniqueKeys(db: AnyDb, table: string): Promise<string[][]> {
    const [schema, name] = splitName(table);
    const { rows } = await sql<{ index: string; column: string }>`
      SELECT i.indexrelid::text AS index, a.attname AS column
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL
        AND n.nspname = ${schema === null ? sql`current_schema()` : schema} AND t.relname = ${name}
      ORDER BY i.indexrelid, k.position`.execute(db);
    return groupColumns(rows);
  },

  readColumn: postgresReadColumn,
  cannotStoreDouble: () => false,
  upsert: onConflictUpsert,
  insertIgnore: onConflictIgnore,

  classify(error: unknown): ErrorKind {
    const { code, message } = errorCodes(error);
    if (code === "28P01" || code === "28000") return "access-denied";
    if (code === "3D000") return "unknown-database";
    if (code.startsWith("08") || ["57P01", "57P02", "57P03", "40001", "40P01", "53300"].includes(code) || NETWORK_ERROR_CODES.has(code)) return "transient";
    if (/Connection terminated|connection error|timeout expired|Client was closed/i.test(message)) return "transient";
    return "other";
  },
};

/** The columns of `schema`.`name` from information_schema, in order (a table's, a view's, a temporary view's). */
async function describeColumns(db: AnyDb, schema: RawBuilder<unknown>, name: string): Promise<DbColumn[]> {
  const { rows } = await sql<{ name: string; dbType: string; typeName: string; nullable: string; keyPosition: number | null }>`
    SELECT c.column_name AS name,
      c.udt_name || CASE WHEN c.udt_name IN ('bit', 'varbit') AND c.character_maximum_length IS NOT NULL THEN '(' || c.character_maximum_length || ')'
        WHEN c.udt_name = 'numeric' AND c.numeric_precision IS NOT NULL THEN '(' || c.numeric_precision || ',' || c.numeric_scale || ')' ELSE '' END AS "typeName",
      CASE WHEN c.data_type = 'numeric' AND c.numeric_precision IS NOT NULL
        THEN 'numeric(' || c.numeric_precision || ',' || c.numeric_scale || ')' ELSE c.data_type END AS "dbType", c.is_nullable AS nullable,
      (SELECT k.ordinal_position FROM information_schema.table_constraints t
         JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema AND k.table_name = t.table_name
        WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema AND t.table_name = c.table_name AND k.column_name = c.column_name) AS "keyPosition"
    FROM information_schema.columns c
    WHERE c.table_schema = ${schema} AND c.table_name = ${name}
    ORDER BY c.ordinal_position`.execute(db);
  return rows.map((r) => ({ name: r.name, dbType: String(r.dbType).toLowerCase(), typeName: r.typeName, nullable: r.nullable === "YES", keyPosition: Number(r.keyPosition ?? 0) }));
}
