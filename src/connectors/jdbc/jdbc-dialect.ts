import type { InsertQueryBuilder, Kysely } from "kysely";
import type { DataType } from "../../types/data-types.ts";
import type { DialectName, JdbcTarget } from "./jdbc-url.ts";
import type { ReadColumn, ReadTypeOptions } from "./read-values.ts";

// The sink and the source speak to tables whose shape is only known at run time.
export type AnyDb = Kysely<any>;
export type AnyInsert = InsertQueryBuilder<any, any, any>;

/** A column of an existing table, as the database describes it. */
export interface DbColumn {
  readonly name: string;
  /** The database's type name, lower-cased, with its length or precision ("varchar(255)", "bigint", "tinyint(1)"). */
  readonly dbType: string;
  /** The type as the driver names it when that says more than dbType (PostgreSQL: pg_type's `_int4`, `timestamptz`, `bit(3)`). */
  readonly typeName?: string;
  readonly nullable: boolean;
  /** Position in the primary key (1-based), 0 when not part of it. */
  readonly keyPosition: number;
}

/**
 * How errors from a driver are treated: `transient` ones (connection lost, server
 * restarting, deadlock) are retried; the others stop the query at once.
 */
export type ErrorKind = "transient" | "access-denied" | "unknown-database" | "other";

/**
 * What differs between databases, behind one small interface (Kysely's dialects do the
 * SQL itself). A dialect loads its driver only when it connects.
 */
export interface JdbcDialect {
  readonly name: DialectName;
  /** Most bind parameters one statement may carry. */
  readonly maxParameters: number;
  /** A Kysely instance over a fresh pool (or file handle) for the target. */
  connect(target: JdbcTarget): Promise<AnyDb>;
  /** The column type the sink creates for a value of `type`; key columns need a bounded type on MySQL. */
  columnType(type: DataType, isKey: boolean): string;
  /**
   * The column type of a string key column, when it differs from `columnType`'s: MySQL/MariaDB
   * compare VARCHARs in the server's default collation (case-insensitive, trailing spaces
   * ignored), which would merge Spark's distinct groups "a", "A" and "a " into one key.
   */
  stringKeyType?(db: AnyDb): Promise<string>;
  /** The table's columns in order; empty when the table does not exist. */
  describeTable(db: AnyDb, table: string): Promise<DbColumn[]>;
  /**
   * The columns a derived table (`(SELECT …) alias`, a read's `query` or subquery `dbtable`)
   * yields, described as a table's are (through a temporary table or view the database types).
   */
  describeQuery(db: AnyDb, derivedTable: string): Promise<DbColumn[]>;
  /** The column lists of the table's UNIQUE constraints (and unique indexes), the primary key left out. */
  uniqueKeys(db: AnyDb, table: string): Promise<string[][]>;
  /** `insert` made an upsert on `keys` that overwrites `values` columns. */
  upsert(insert: AnyInsert, keys: readonly string[], values: readonly string[]): AnyInsert;
  /** `insert` made to skip a row whose key exists (MySQL `INSERT IGNORE`, `ON CONFLICT DO NOTHING`). */
  insertIgnore(insert: AnyInsert): AnyInsert;
  /** How a column is read by `spark.read.jdbc` (Spark's dialect getCatalystType), with its values' conversion. */
  readColumn(column: DbColumn, options: ReadTypeOptions): ReadColumn;
  /**
   * A double the database cannot store (MySQL/MariaDB have no NaN or ±Infinity, SQLite turns
   * NaN into NULL): the sink refuses it, naming column and row, instead of letting mysql2
   * splice `NaN` into the SQL text or SQLite store a NULL.
   */
  cannotStoreDouble(value: number): boolean;
  /** Booleans as this database binds them. */
  readonly booleanValue: (b: boolean) => unknown;
  classify(error: unknown): ErrorKind;
}

/** A driver error's code / errno / SQLSTATE, whichever it has. */
export function errorCodes(error: unknown): { code: string; errno: number; sqlState: string; message: string } {
  const e = (error ?? {}) as { code?: unknown; errno?: unknown; sqlState?: unknown; message?: unknown };
  return {
    code: typeof e.code === "string" ? e.code : "",
    errno: typeof e.errno === "number" ? e.errno : 0,
    sqlState: typeof e.sqlState === "string" ? e.sqlState : "",
    message: typeof e.message === "string" ? e.message : String(error),
  };
}

/** Socket-level failures every driver reports with Node's error codes. */
export const NETWORK_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNABORTED"]);
