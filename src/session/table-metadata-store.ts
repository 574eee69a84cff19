import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TableDefinition, TableStatistics } from "./session-catalog.ts";
import { pathOption } from "../sql/table-location.ts";

/**
 * What a table has beyond its files and the CREATE TABLE that names them: TBLPROPERTIES, the
 * statistics ANALYZE TABLE recorded and the columns' comments. rivulet keeps no metastore (a
 * later session defines a table again over its directory), so these are kept in the warehouse,
 * in `_rivulet_metadata/<table>.json` (a `_` name: no file source reads it), with the location
 * they describe: a later session that defines the table over the same location gets them back.
 */
export interface StoredTableMetadata {
  readonly location: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly statistics?: TableStatistics;
  readonly columnComments?: Readonly<Record<string, string>>;
  readonly description?: string;
}

const FORMAT_VERSION = 1;

function metadataFile(warehouse: string, name: string): string {
  return join(resolve(warehouse), "_rivulet_metadata", `${encodeURIComponent(name.toLowerCase())}.json`);
}

/** The table's data location (its resolved path), or its format for a table that is not files. */
export function tableLocationKey(table: Pick<TableDefinition, "format" | "options">): string {
  const path = pathOption(table.options);
  return path === undefined ? `format:${table.format.toLowerCase()}` : resolve(path);
}

/** Writes what `table` has to keep (atomically: a temp file renamed), or removes the file when it has nothing. */
export function saveTableMetadata(warehouse: string, table: TableDefinition): void {
  const file = metadataFile(warehouse, table.name);
  const kept: StoredTableMetadata = {
    location: tableLocationKey(table),
    ...(isEmpty(table.properties) ? {} : { properties: table.properties }),
    ...(table.statistics === undefined ? {} : { statistics: table.statistics }),
    ...(isEmpty(table.columnComments) ? {} : { columnComments: table.columnComments }),
    ...(table.description === undefined ? {} : { description: table.description }),
  };
  if (Object.keys(kept).length === 1) {
    removeTableMetadata(warehouse, table.name);
    return;
  }
  mkdirSync(join(file, ".."), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ version: FORMAT_VERSION, ...kept }, null, 2));
  renameSync(temp, file);
}

/** What was kept for table `name` at the same location; null when nothing was, or it was about other files. */
export function loadTableMetadata(warehouse: string, table: TableDefinition): StoredTableMetadata | null {
  let stored: StoredTableMetadata & { version?: number };
  try {
    stored = JSON.parse(readFileSync(metadataFile(warehouse, table.name), "utf8")) as StoredTableMetadata & { version?: number };
  } catch {
    return null; // none kept, or a file cut short or edited by hand: the table starts without it
  }
  if (stored.version !== FORMAT_VERSION || stored.location !== tableLocationKey(table)) return null;
  return stored;
}

export function removeTableMetadata(warehouse: string, name: string): void {
  rmSync(metadataFile(warehouse, name), { force: true });
}

function isEmpty(record: Readonly<Record<string, string>> | undefined): boolean {
  return record === undefined || Object.keys(record).length === 0;
}
