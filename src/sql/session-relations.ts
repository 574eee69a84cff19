import { AnalysisError } from "../common/errors.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Catalog, TableDefinition } from "../session/catalog.ts";
import type { SessionCatalog } from "../session/session-catalog.ts";
import type { RelationResolver } from "./query-builder.ts";
import { didYouMean } from "../common/suggest.ts";
import { sqlOnFile } from "./sql-on-file.ts";
import { insertableTableOf } from "../session/insertable-relations.ts";
import { schemaOf } from "../expr/scope.ts";

/** Table names in SQL resolve through the session catalog: temp views, memory-sink tables, CREATE TABLE tables. */
export function catalogRelations(catalog: Catalog, conf?: (key: string) => string | undefined): RelationResolver {
  return {
    conf: (key: string) => conf?.(key),
    relation(name: string, asStream: boolean): LogicalPlan {
      const plan = (asStream ? catalog.lookupStream(name) : catalog.lookup(name)) ?? sqlOnFile(name, asStream, catalog.sessionTimeZone, catalog.sourceConf);
      if (plan === null) throw tableNotFound(name, catalog.tableNames());
      return plan;
    },
    names: () => catalog.tableNames(),
  };
}

export function tableNotFound(name: string, known: readonly string[]): AnalysisError {
  return new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.${didYouMean(name, known)} Known tables: ${known.join(", ") || "(none)"}`);
}

type InsertCatalog = Pick<SessionCatalog, "tableDefinition" | "isPersistentView" | "tableNames" | "lookup">;

/**
 * The table `INSERT INTO name` (SQL) or `insertInto(name)` writes. A temporary view over a JDBC table or a
 * directory of files writes into it (insertable-relations.ts); another view or a memory sink's rows are not a
 * table one can insert into: Spark's errors for them, rather than "cannot be found" for a name the catalog lists.
 */
export function insertTarget(catalog: InsertCatalog, name: string): TableDefinition {
  const table = catalog.tableDefinition(name);
  if (table !== null) return table;
  // A CREATE VIEW view; temporary ones (global ones too) and memory sinks are plans, as in Spark.
  if (catalog.isPersistentView(name)) throw new AnalysisError(`[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'INSERT' expects a table. \`${name}\` is a view.`);
  const view = catalog.lookup(name);
  const source = view === null ? null : insertableTableOf(view);
  // Written by position or name as the view reads: its columns are the table's.
  if (source !== null) return { ...source, name, schema: source.schema ?? schemaOf(view!.output) };
  if (view !== null) throw new AnalysisError("[UNSUPPORTED_INSERT.RDD_BASED] Can't insert into the target. An RDD-based table is not allowed.");
  throw tableNotFound(name, catalog.tableNames());
}

/** File tables an INSERT INTO reads as streams when its query marks none with STREAM(t). */
const STREAMED_FILE_FORMATS = ["json", "csv", "text"];

/** A table made with CREATE TABLE … USING json/csv/text (not a view): readable as a stream. */
export function isFileSourceTable(catalog: Pick<SessionCatalog, "tableDefinition" | "isTemporaryView">, name: string): boolean {
  const table = catalog.tableDefinition(name);
  // Log directories (json, csv, text) stream in a SQL job; a Parquet table is read as a batch
  // table, as Spark users write it, unless the query says STREAM(t).
  return table !== null && !catalog.isTemporaryView(name) && STREAMED_FILE_FORMATS.includes(table.format.toLowerCase());
}
