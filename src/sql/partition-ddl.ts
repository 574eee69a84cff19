import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import { escapePathName } from "../connectors/sinks/partitioned-layout.ts";
import { sessionZone } from "../execution/time-zone.ts";
import type { Catalog, TableDefinition } from "../session/catalog.ts";
import type { Session } from "../session/session.ts";
import { alteredTable } from "./alter-table.ts";
import { has, type Children } from "./cst.ts";
import { staticCount, staticPartitionPrefix, staticValuesAsWritten, type PartitionSpec } from "./partitioned-table.ts";
import { updateStatistics } from "./analyze-table.ts";
import { showPartitions } from "./show-partitions.ts";
import type { StatementResult } from "./sql-statement.ts";
import { isManagedTable, pathOption, warehouseDir } from "./table-location.ts";
import { qualifiedTableName, type StatementTools } from "./table-statements.ts";

/**
 * ALTER TABLE … ADD/DROP PARTITION, RECOVER PARTITIONS and [MSCK] REPAIR TABLE. rivulet keeps no
 * metastore: a partition of a table of files is its `col=value/` directory (SHOW PARTITIONS lists
 * them), so adding one makes the directory, dropping one from a managed table deletes it, and
 * recovering has nothing to find that a read does not find already.
 */

/** `PARTITION (\`p\` = 1, …)`, as Spark's partition errors list a spec. */
function specText(spec: PartitionSpec): string {
  return `PARTITION (${[...spec].map(([k, v]) => `\`${k}\` = ${v ?? "NULL"}`).join(", ")})`;
}

function tablePath(table: TableDefinition): string {
  const path = pathOption(table.options);
  if (path === undefined) throw new AnalysisError(`ALTER TABLE ${table.name}: a ${table.format} table has no partitions (only a table of files, partitioned into col=value/ directories, has)`);
  return path;
}

function requirePartitioned(table: TableDefinition, operation: string): readonly string[] {
  const columns = table.partitionColumns ?? [];
  if (columns.length === 0) {
    throw new AnalysisError(`[NOT_A_PARTITIONED_TABLE] Operation \`${operation}\` is not allowed for ${qualifiedTableName(table.name)} because it is not a partitioned table.`);
  }
  return columns;
}

/** ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (…) [LOCATION '…'] …: every partition column given; an existing partition fails without IF NOT EXISTS. */
export async function addPartitions(session: Session, table: TableDefinition, partitions: readonly { spec: PartitionSpec; location: string | undefined }[], ifNotExists: boolean): Promise<void> {
  const columns = requirePartitioned(table, "ALTER TABLE ADD PARTITION");
  const path = tablePath(table);
  for (const { spec, location } of partitions) {
    if (staticCount(spec) !== columns.length) {
      throw new AnalysisError(`Partition spec is invalid. The spec (${[...spec.keys()].join(", ")}) must match the partition spec (${columns.join(", ")}) defined in table '${qualifiedTableName(table.name)}'`);
    }
    if (location !== undefined) {
      throw new AnalysisError(`ALTER TABLE ${table.name} ADD PARTITION … LOCATION: rivulet keeps no metastore, so a partition is the table's own col=value/ directory and cannot be elsewhere`);
    }
    const dir = join(path, staticPartitionPrefix(columns, staticValuesAsWritten(spec, table.schema, sessionZone(session.conf)), escapePathName));
    if (existsSync(dir)) {
      if (ifNotExists) continue;
      throw new AnalysisError(`[PARTITIONS_ALREADY_EXIST] Cannot ADD or RENAME TO partition(s) ${specText(spec)} in table ${qualifiedTableName(table.name)} because they already exist.\nChoose a different name, drop the existing partition, or add the IF NOT EXISTS clause to tolerate a pre-existing partition.`);
    }
    await mkdir(dir, { recursive: true });
  }
  session.catalog.cacheManager.invalidate();
  await updateStatistics(session, table);
}

/**
 * ALTER TABLE t DROP [IF EXISTS] PARTITION (…), …: a managed table's matching partition
 * directories and their files are deleted (a partial spec matches several); a spec matching
 * none fails without IF EXISTS. An external table's directories are not deleted (Spark keeps
 * the files and forgets the partition; without a metastore there is nothing to forget), so it is refused.
 */
export async function dropPartitions(session: Session, table: TableDefinition, specs: readonly PartitionSpec[], ifExists: boolean): Promise<void> {
  requirePartitioned(table, "ALTER TABLE DROP PARTITION");
  const path = tablePath(table);
  if (!isManagedTable(table.name, table.options, warehouseDir(session.conf))) {
    throw new AnalysisError(`ALTER TABLE ${table.name} DROP PARTITION: ${qualifiedTableName(table.name)} is EXTERNAL; rivulet keeps no metastore, so its partitions are its directories, which DROP PARTITION leaves in place on an external table: delete the directory under ${resolve(path)} instead`);
  }
  const doomed = specs.map((spec) => {
    const found = showPartitions(table, new Map([...spec].map(([k, v]) => [k, v ?? null])));
    if (found.length === 0 && !ifExists) {
      throw new AnalysisError(`[PARTITIONS_NOT_FOUND] The partition(s) ${specText(spec)} cannot be found in table ${qualifiedTableName(table.name)}.\nVerify the partition specification and table name.\nTo tolerate the error on drop use ALTER TABLE … DROP IF EXISTS PARTITION.`);
    }
    return found;
  });
  for (const { partition } of doomed.flat()) await rm(join(path, partition), { recursive: true, force: true });
  session.catalog.cacheManager.invalidate();
  await updateStatistics(session, table);
}

/** ALTER TABLE t RECOVER PARTITIONS / MSCK REPAIR TABLE t: Spark's checks; the directories are the partitions already. */
export function recoverPartitions(catalog: Catalog, name: string, operation: string): void {
  const table = alteredTable(catalog, name, operation);
  requirePartitioned(table, operation);
  tablePath(table);
  catalog.refreshTable(table.name);
}

/** [MSCK] REPAIR TABLE t [ADD | DROP | SYNC PARTITIONS]. */
export function repairTable(ctx: Children, tools: StatementTools): StatementResult {
  recoverPartitions(tools.session.catalog, tools.tableName(ctx), has(ctx, "msckWord") ? "MSCK REPAIR TABLE" : "REPAIR TABLE");
  return tools.empty();
}
