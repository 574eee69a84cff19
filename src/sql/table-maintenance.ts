import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import type { Session } from "../session/session.ts";
import { FILE_TABLE_FORMATS, pathOption } from "./table-location.ts";
import type { PartitionSpec } from "./partitioned-table.ts";
import { tableNotFound } from "./session-relations.ts";
import { showPartitions } from "./show-partitions.ts";
import { updateStatistics } from "./analyze-table.ts";

/**
 * TRUNCATE TABLE t [PARTITION (…)], as Spark's TruncateTableCommand: a managed table of files
 * loses its rows (the files under its location; with a partition spec, the matching
 * partitions' directories), keeps its definition, and cached results that read it are
 * computed again. Views and external tables are refused with Spark's errors.
 */
export async function truncateTable(session: Session, name: string, spec: PartitionSpec | null): Promise<void> {
  const catalog = session.catalog;
  if (catalog.isTemporaryView(name) || catalog.isPersistentView(name)) {
    throw new AnalysisError(`[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'TRUNCATE TABLE' expects a table. \`${name}\` is a view.`);
  }
  const table = catalog.tableDefinition(name);
  if (table === null) throw tableNotFound(name, catalog.tableNames());
  const qualified = `\`spark_catalog\`.\`default\`.\`${table.name}\``;
  if (catalog.getTable(table.name).tableType === "EXTERNAL") {
    throw new AnalysisError(`[_LEGACY_ERROR_TEMP_1266] Operation not allowed: TRUNCATE TABLE on external tables: ${qualified}.`);
  }
  const path = pathOption(table.options);
  if (!FILE_TABLE_FORMATS.includes(table.format.toLowerCase()) || path === undefined) {
    throw new AnalysisError(`TRUNCATE TABLE ${table.name}: only a table of files (${FILE_TABLE_FORMATS.join(", ")}) is truncated here; a ${table.format} table is not`);
  }
  if (spec !== null && (table.partitionColumns ?? []).length === 0) {
    throw new AnalysisError(`[_LEGACY_ERROR_TEMP_1267] Operation not allowed: TRUNCATE TABLE ... PARTITION is not supported for tables that are not partitioned: ${qualified}.`);
  }
  const doomed = spec === null
    ? (await readdir(path).catch(() => [] as string[])).map((entry) => join(path, entry))
    : showPartitions(table, spec).map(({ partition }) => join(path, partition));
  for (const p of doomed) await rm(p, { recursive: true, force: true });
  catalog.cacheManager.invalidate();
  await updateStatistics(session, table);
}
