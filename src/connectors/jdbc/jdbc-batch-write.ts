import { sql } from "kysely";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { SaveMode } from "../sinks/file-batch-write.ts";
import { booleanOption } from "../sinks/sink-input.ts";
import { dialectFor } from "./dialects.ts";
import type { AnyDb, JdbcDialect } from "./jdbc-dialect.ts";
import { jdbcOptions, type JdbcOptions } from "./jdbc-options.ts";
import { redactSecrets } from "./jdbc-url.ts";
import { columnReader, sinkColumns, type SinkColumn } from "./sink-columns.ts";
import { checkTable, ensureTable } from "./table-setup.ts";

const log = new Logger("JdbcBatchWrite");

/**
 * `df.write.jdbc(url, table)` / `df.write.format("jdbc")…save()`: a batch's rows written to
 * a table with Spark's save modes (JdbcRelationProvider): when the table exists, `append`
 * adds the rows, `overwrite` drops and re-creates it (or empties it with option
 * `truncate` true, keeping its definition), `errorifexists` refuses, `ignore` writes nothing;
 * an absent table is created with the sink's type mapping. The rows go in as multi-row
 * INSERTs of `batchsize` rows in one transaction, so a failed write leaves no rows behind.
 */
export async function writeJdbcBatch(options: Readonly<Record<string, string>>, mode: SaveMode, batch: ColumnBatch): Promise<void> {
  const opts = jdbcOptions(options, "JDBC write");
  const truncate = booleanOption(options, "truncate", false, "JDBC write");
  const dialect = dialectFor(opts.target.dialect);
  const columns = sinkColumns(batch.schema, []);
  const where = `JDBC write ${opts.target.redacted} (table ${opts.table})`;
  let db: AnyDb | null = null;
  try {
    db = await dialect.connect(opts.target);
    const existing = await dialect.describeTable(db, opts.table);
    if (existing.length > 0) {
      if (mode === "errorifexists") {
        throw new ConnectorError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`${opts.table}\` because it already exists. Choose a different name, drop or replace the existing object, or use mode("append") / mode("overwrite") (${opts.target.redacted}).`);
      }
      if (mode === "ignore") return;
      if (mode === "overwrite" && !truncate) {
        await db.schema.dropTable(opts.table).execute();
        await ensureTable(db, dialect, opts.table, columns, opts.createTableOptions, opts.createTableColumnTypes);
      } else {
        checkTable(opts.table, existing, columns, dialect);
        if (mode === "overwrite") await emptyTable(db, dialect, opts.table);
      }
    } else {
      await ensureTable(db, dialect, opts.table, columns, opts.createTableOptions, opts.createTableColumnTypes);
    }
    const rows = await insertRows(db, dialect, opts, columns, batch);
    log.info(`${where}: ${mode}: ${rows} rows written`);
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    throw new ConnectorError(`${where}: ${redactSecrets(error instanceof Error ? error.message : String(error), [opts.target.password])}`, { cause: error });
  } finally {
    await db?.destroy().catch(() => {});
  }
}

/** Spark's truncate: TRUNCATE TABLE (SQLite has none: DELETE FROM). */
async function emptyTable(db: AnyDb, dialect: JdbcDialect, table: string): Promise<void> {
  if (dialect.name === "sqlite") await db.deleteFrom(table).execute();
  else await sql`TRUNCATE TABLE ${sql.table(table)}`.execute(db);
}

async function insertRows(db: AnyDb, dialect: JdbcDialect, opts: JdbcOptions, columns: readonly SinkColumn[], batch: ColumnBatch): Promise<number> {
  const readers = columns.map((c) => columnReader(batch, c, dialect));
  const rows: unknown[][] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const row = readers.map((read) => read(i));
    columns.forEach((c, k) => {
      const v = row[k];
      if ((c.type.kind === "double" || c.type.kind === "float") && typeof v === "number" && dialect.cannotStoreDouble(v)) {
        throw new ConnectorError(`JDBC write ${opts.target.redacted}: column ${c.name} of row ${i} is ${String(v)}, which table ${opts.table} cannot hold in ${dialect.name}; filter or replace such values first`);
      }
    });
    rows.push(row);
  }
  const chunkSize = Math.max(1, Math.min(opts.batchSize, Math.floor(dialect.maxParameters / Math.max(1, columns.length))));
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < rows.length; start += chunkSize) {
      const chunk = rows.slice(start, start + chunkSize);
      const placeholder = Object.fromEntries(columns.map((c) => [c.name, 0]));
      const compiled = trx.insertInto(opts.table).values(chunk.map(() => placeholder)).compile();
      await trx.executeQuery({ ...compiled, parameters: chunk.flat() });
    }
  });
  return rows.length;
}
