import { sql } from "kysely";
import { PermanentConnectorError } from "../../common/errors.ts";
import type { AnyDb, JdbcDialect } from "./jdbc-dialect.ts";
import type { SinkColumn } from "./sink-columns.ts";

/**
 * Rows whose key has a NULL: a unique key never matches NULL (not in ON CONFLICT, not in
 * ON DUPLICATE KEY), so such a row is written by deleting its key null-safely, then
 * inserting it, in the batch's transaction. Spark groups NULLs as one group: one row.
 */
export function splitNullKeys(rows: readonly unknown[][], keyIndexes: readonly number[]): { keyed: unknown[][]; nullKeyed: unknown[][] } {
  const keyed: unknown[][] = [];
  const nullKeyed: unknown[][] = [];
  for (const row of rows) (keyIndexes.some((k) => row[k] === null) ? nullKeyed : keyed).push(row);
  return { keyed, nullKeyed };
}

/** DELETE of the table's row whose key equals `row`'s, NULL matching NULL (MySQL `<=>`, `IS NOT DISTINCT FROM`, SQLite `IS`). */
export async function deleteKeyNullSafe(
  db: AnyDb, dialect: JdbcDialect, table: string, columns: readonly SinkColumn[], keyIndexes: readonly number[], row: readonly unknown[],
): Promise<void> {
  const op = dialect.name === "mysql" ? sql`<=>` : dialect.name === "postgresql" ? sql`IS NOT DISTINCT FROM` : sql`IS`;
  let del = db.deleteFrom(table);
  for (const k of keyIndexes) del = del.where(sql<boolean>`${sql.ref(columns[k]!.name)} ${op} ${row[k]}`);
  await del.execute();
}

/**
 * A NULL key for a table whose key column is NOT NULL (a primary key, as the sink creates its
 * tables): the batch fails naming the column and the way out, not the driver's words.
 */
export function nullKeyRefused(sink: string, batchId: number, table: string, column: string): PermanentConnectorError {
  return new PermanentConnectorError(
    `${sink}: writing batch ${batchId}: the result has a group whose key column ${column} is NULL, but column ${column} of table ${table} is NOT NULL ` +
    `(part of its primary key). Filter out or replace NULL keys before the sink (e.g. coalesce(${column}, 'unknown')), ` +
    `or create the table yourself with a UNIQUE constraint on nullable key columns instead of a primary key: the sink then writes the NULL group too.`,
  );
}
