import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import type { Session } from "../session/session.ts";
import type { TableDefinition, TableStatistics } from "../session/catalog.ts";
import { StructType } from "../types/data-types.ts";
import { alteredRelation } from "./alter-table.ts";
import { has, nodes, type Children } from "./cst.ts";
import type { StatementResult } from "./sql-statement.ts";
import type { StatementTools } from "./table-statements.ts";
import { pathOption } from "./table-location.ts";

/** The bytes of a table's data files: every file under its directory but hidden and `_` ones (Spark's CommandUtils.calculateTotalSize). */
async function totalSize(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let size = 0;
  for (const e of entries) {
    if (e.name.startsWith(".") || (e.name.startsWith("_") && !e.name.includes("="))) continue;
    const path = join(dir, e.name);
    size += e.isDirectory() ? await totalSize(path) : (await stat(path)).size;
  }
  return size;
}

/**
 * Spark's CommandUtils.compareAndGetNewStats: the statistics to record, or null to keep the old
 * ones (nothing changed). A new size without a count (NOSCAN) drops the old count.
 */
export function newStatistics(old: TableStatistics | undefined, size: number, rowCount: number | undefined): TableStatistics | null {
  const oldSize = old?.sizeInBytes ?? -1;
  const oldRows = old?.rowCount ?? -1;
  let next: TableStatistics | null = size >= 0 && size !== oldSize ? { sizeInBytes: size } : null;
  if (rowCount !== undefined && rowCount >= 0 && rowCount !== oldRows) next = { sizeInBytes: next?.sizeInBytes ?? oldSize, rowCount };
  return next;
}

/**
 * ANALYZE TABLE t COMPUTE STATISTICS [NOSCAN | FOR COLUMNS c, … | FOR ALL COLUMNS], as Spark's
 * AnalyzeTableCommand: the table's size in bytes (its files) and, unless NOSCAN, its row count,
 * recorded with the table (DESCRIBE EXTENDED's Statistics row) and kept for later sessions.
 * Column statistics are not computed: FOR COLUMNS checks its columns and records the table's.
 */
export function analyzeTable(ctx: Children, tools: StatementTools): StatementResult {
  const catalog = tools.session.catalog;
  const name = tools.tableName(ctx);
  const relation = alteredRelation(catalog, name);
  if (relation.kind !== "table") throw new AnalysisError("ANALYZE TABLE is not supported on views.");
  const table = relation.table;
  if (has(ctx, "partitionSpec")) {
    throw new AnalysisError(`ANALYZE TABLE ${table.name} PARTITION (…): rivulet records a table's statistics, not its partitions'; leave out the PARTITION clause`);
  }
  const columns = nodes(ctx, "column").map((n) => tools.identifierText(n));
  const output = catalog.lookup(table.name)!.output;
  for (const c of columns) {
    if (!output.some((o) => o.name.toLowerCase() === c.toLowerCase())) {
      throw new AnalysisError(`[COLUMN_NOT_FOUND] The column \`${c}\` cannot be found. Verify the spelling and correctness of the column name according to the SQL config spark.sql.caseSensitive.`);
    }
  }
  const noscan = has(ctx, "noscanWord");
  return { kind: "pending", run: async () => {
    await analyze(tools.session, table, noscan);
    return tools.session.createDataFrame([], new StructType([]));
  } };
}

async function analyze(session: Session, table: TableDefinition, noscan: boolean): Promise<void> {
  const path = pathOption(table.options);
  if (path === undefined) {
    throw new AnalysisError(`ANALYZE TABLE ${table.name}: statistics are computed for tables of files; a ${table.format} table has none`);
  }
  const size = await totalSize(path);
  const rows = noscan ? undefined : await session.table(table.name).count();
  const next = newStatistics(table.statistics, size, rows === undefined ? undefined : Number(rows));
  if (next === null) return;
  const current = session.catalog.tableDefinition(table.name) ?? table;
  session.catalog.alterTable({ ...current, statistics: next });
}

/** Spark's spark.sql.statistics.size.autoUpdate.enabled: whether a write records the table's new size (else drops its statistics). */
const AUTO_UPDATE_SIZE_KEY = "spark.sql.statistics.size.autoUpdate.enabled";

/**
 * After a write (INSERT, TRUNCATE), as Spark's CommandUtils.updateTableStats: statistics that no
 * longer describe the rows are dropped, or with spark.sql.statistics.size.autoUpdate.enabled the
 * files' new size is recorded (without a row count).
 */
export async function updateStatistics(session: Session, table: TableDefinition): Promise<void> {
  const current = session.catalog.tableDefinition(table.name);
  if (current === null || current.statistics === undefined) return;
  const { statistics: _old, ...rest } = current;
  const path = pathOption(current.options);
  const autoUpdate = (session.conf.getOption(AUTO_UPDATE_SIZE_KEY) ?? "false").trim().toLowerCase() === "true";
  session.catalog.alterTable(autoUpdate && path !== undefined ? { ...rest, statistics: { sizeInBytes: await totalSize(path) } } : rest);
}
