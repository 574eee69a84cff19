import { sql } from "kysely";
import { ConnectorError } from "../../common/errors.ts";
import { typeName } from "../../types/data-types.ts";
import type { AnyDb, DbColumn, JdbcDialect } from "./jdbc-dialect.ts";
import type { SinkColumn } from "./sink-columns.ts";
import { accepts, sqlTypeClass } from "./sql-types.ts";

/** The table the sink owns in every database it writes to: one row per (query, batch) written. */
export const COMMITS_TABLE = "_rivulet_commits";

export async function ensureCommitsTable(db: AnyDb, dialect: JdbcDialect): Promise<void> {
  await db.schema.createTable(COMMITS_TABLE).ifNotExists()
    .addColumn("query_id", sql.raw(dialect.name === "mysql" ? "VARCHAR(64)" : "TEXT"), (c) => c.notNull())
    .addColumn("batch_id", "bigint", (c) => c.notNull())
    .addColumn("table_name", sql.raw(dialect.name === "mysql" ? "VARCHAR(255)" : "TEXT"))
    .addColumn("committed_at", sql.raw(dialect.name === "mysql" ? "DATETIME(6)" : "TIMESTAMP"))
    .addPrimaryKeyConstraint(`${COMMITS_TABLE}_pkey`, ["query_id", "batch_id"])
    .execute();
}

/** The columns of a table the sink would create, as DDL text (for messages). */
export function columnsDdl(columns: readonly SinkColumn[], dialect: JdbcDialect): string {
  return columns.map((c) => `${c.name} ${dialect.columnType(c.type, c.isKey)}${c.isKey ? " (key)" : ""}`).join(", ");
}

/** What the sink learns of its table: whether it made it, and which key columns cannot hold NULL. */
export interface TableSetup {
  readonly outcome: "created" | "exists";
  readonly notNullKeys: ReadonlySet<string>;
}

/**
 * Creates `table` when it does not exist, its key columns the primary key (NOT NULL);
 * checks that an existing one can take the rows: every column present with a fitting type,
 * and in update mode a primary or unique key on exactly the key columns. A table the user
 * made with a UNIQUE key on nullable key columns takes Spark's NULL group too (null-keys.ts);
 * a primary key refuses it, naming the column. Errors name the columns.
 */
export async function ensureTable(
  db: AnyDb, dialect: JdbcDialect, table: string, columns: readonly SinkColumn[], createTableOptions: string,
  columnTypes: ReadonlyMap<string, string> = new Map(),
): Promise<TableSetup> {
  const existing = await dialect.describeTable(db, table);
  const keyColumns = columns.filter((c) => c.isKey);
  if (existing.length === 0) {
    const keys = keyColumns.map((c) => c.name);
    const stringKeys = keyColumns.some((c) => c.type.kind === "string");
    const stringKeyType = stringKeys && dialect.stringKeyType !== undefined ? await dialect.stringKeyType(db) : null;
    checkColumnTypes(columnTypes, columns);
    let create = db.schema.createTable(table).ifNotExists();
    for (const c of columns) {
      const type = columnTypes.get(c.name.toLowerCase())
        ?? (c.isKey && c.type.kind === "string" && stringKeyType !== null ? stringKeyType : dialect.columnType(c.type, c.isKey));
      create = create.addColumn(c.name, sql.raw(type), (b) => (c.nullable && !c.isKey ? b : b.notNull()));
    }
    const constraint = table.replace(/\W/g, "_");
    if (keys.length > 0) create = create.addPrimaryKeyConstraint(`${constraint}_pkey`, keys as never[]);
    if (createTableOptions.trim() !== "") create = create.modifyEnd(sql.raw(` ${createTableOptions.trim()}`));
    await create.execute();
    return { outcome: "created", notNullKeys: new Set(keyColumns.map((c) => c.name.toLowerCase())) };
  }
  const uniqueKeys = keyColumns.length > 0 ? await dialect.uniqueKeys(db, table) : [];
  checkTable(table, existing, columns, dialect, uniqueKeys);
  const keyNames = new Set(keyColumns.map((c) => c.name.toLowerCase()));
  return { outcome: "exists", notNullKeys: new Set(existing.filter((c) => !c.nullable && keyNames.has(c.name.toLowerCase())).map((c) => c.name.toLowerCase())) };
}

/** Spark's check of `createTableColumnTypes`: every column it names is one of the result's. */
function checkColumnTypes(columnTypes: ReadonlyMap<string, string>, columns: readonly SinkColumn[]): void {
  for (const name of columnTypes.keys()) {
    if (!columns.some((c) => c.name.toLowerCase() === name)) {
      throw new ConnectorError(`createTableColumnTypes option column ${name} not found in schema ${columns.map((c) => `${c.name} ${typeName(c.type)}`).join(", ")}.`);
    }
  }
}

/** Why an existing table cannot take the sink's rows, or nothing when it can; `uniqueKeys` are its UNIQUE constraints' columns. */
export function checkTable(
  table: string, existing: readonly DbColumn[], columns: readonly SinkColumn[], dialect: JdbcDialect, uniqueKeys: readonly (readonly string[])[] = [],
): void {
  const byName = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
  const problems: string[] = [];
  const missing = columns.filter((c) => !byName.has(c.name.toLowerCase()));
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `${c.name} (${typeName(c.type)})`).join(", ")}`);
  for (const c of columns) {
    const have = byName.get(c.name.toLowerCase());
    if (have === undefined || dialect.name === "sqlite") continue;
    if (!accepts(c.type, sqlTypeClass(have.dbType, dialect.name))) {
      problems.push(`column ${have.name} is ${have.dbType} but the query writes ${typeName(c.type)}`);
    }
  }
  const keys = columns.filter((c) => c.isKey).map((c) => c.name.toLowerCase());
  if (keys.length > 0 && missing.length === 0) {
    const same = (set: readonly string[]): boolean => set.length === keys.length && set.every((k) => keys.includes(k.toLowerCase()));
    const tableKeys = existing.filter((c) => c.keyPosition > 0).map((c) => c.name.toLowerCase());
    if (!same(tableKeys) && !uniqueKeys.some(same)) {
      problems.push(`its primary key is ${tableKeys.length === 0 ? "missing" : `(${tableKeys.join(", ")})`} but rows are identified by (${keys.join(", ")}), and no unique key is on them either`);
    }
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      `table ${table} does not fit the query's result: ${problems.join("; ")}. ` +
      `The table has: ${existing.map((c) => `${c.name} ${c.dbType}`).join(", ")}; the query needs: ${columnsDdl(columns, dialect)}. ` +
      `Drop or alter the table, or write to another dbtable.`,
    );
  }
}
