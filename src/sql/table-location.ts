import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfKeys } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import { createdTableName } from "../session/table-name.ts";

/** What says where the warehouse is: a session's conf, or none (the default). */
export type WarehouseConf = { get(key: string): string | undefined } | undefined;

/**
 * The warehouse directory as an absolute local path: spark.sql.warehouse.dir, by default
 * `spark-warehouse` in the working directory. A `file:` URI, the form Spark qualifies the
 * setting to and that Spark programs often set (`file:/tmp/wh`, `file:///tmp/wh`), is its path.
 */
export function warehouseDir(conf: WarehouseConf): string {
  const setting = conf?.get(ConfKeys.warehouseDir) ?? "spark-warehouse";
  return /^file:/i.test(setting) ? resolve(fileURLToPath(new URL(setting))) : resolve(setting);
}

/** Where managed table `name` (`t`, `default.t`) keeps its files: `<warehouse>/<its name in lower case>`. */
export function managedTableDir(warehouse: string, name: string): string {
  return join(warehouse, createdTableName(name).toLowerCase());
}

/** Formats whose tables are directories of files. */
export const FILE_TABLE_FORMATS: readonly string[] = ["json", "csv", "text", "parquet"];

/** The `path` option, whatever its case (options are case-insensitive, as Spark's). */
export function pathOption(options: Readonly<Record<string, string>>): string | undefined {
  const key = Object.keys(options).find((k) => k.toLowerCase() === "path");
  return key === undefined ? undefined : options[key];
}

/**
 * The options of a table created `USING <file format>` with its directory as the `path`
 * option: `LOCATION '…'`, else `OPTIONS (path '…')`, else — a managed table, as Spark's —
 * `<spark.sql.warehouse.dir>/<table name in lower case>` (default `spark-warehouse` in the
 * working directory), created now. rivulet keeps no metastore: the directory is the table,
 * so a later session that creates the table again reads the files already there.
 */
export function withTableLocation(
  name: string, format: string, options: Readonly<Record<string, string>>, location: string | undefined, conf: WarehouseConf,
): Record<string, string> {
  const path = pathOption(options);
  if (location !== undefined && path !== undefined) {
    throw new AnalysisError(`Duplicated table paths found: '${location}' and '${path}'. LOCATION and the case insensitive key 'path' in OPTIONS are all used to indicate the custom table path, you can only specify one of them.`);
  }
  if (location !== undefined) return { ...options, path: location };
  if (path !== undefined || !FILE_TABLE_FORMATS.includes(format)) return { ...options };
  const dir = managedTableDir(warehouseDir(conf), name);
  mkdirSync(dir, { recursive: true });
  return { ...options, path: dir };
}

/**
 * Whether a table is managed (Spark's MANAGED: made without LOCATION or a path, so its
 * directory is the warehouse's `<name>`) rather than EXTERNAL. A table that is not files
 * (no path) is managed too. `warehouse` is warehouseDir's.
 */
export function isManagedTable(name: string, options: Readonly<Record<string, string>>, warehouse: string): boolean {
  const path = pathOption(options);
  return path === undefined || resolve(path) === managedTableDir(warehouse, name);
}
