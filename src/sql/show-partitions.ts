import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import type { TableDefinition } from "../session/catalog.ts";
import type { PartitionSpec } from "./partitioned-table.ts";
import { pathOption } from "./table-location.ts";

function unescapePathName(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * SHOW PARTITIONS t [PARTITION (…)], as Spark's: one row per partition, `p=x/q=y` (values as in
 * the directory names), sorted. rivulet keeps no metastore: a table's partitions are its
 * `col=value/` directories, which every write (SQL, DataFrame, streaming) and ADD PARTITION make.
 */
export function showPartitions(table: TableDefinition, spec: PartitionSpec): { partition: string }[] {
  const columns = table.partitionColumns ?? [];
  if (columns.length === 0) {
    throw new AnalysisError(`[_LEGACY_ERROR_TEMP_1269] SHOW PARTITIONS is not allowed on a table that is not partitioned: \`spark_catalog\`.\`default\`.\`${table.name}\``);
  }
  const path = pathOption(table.options);
  if (path === undefined) return [];
  const found: string[] = [];
  const walk = (dir: string, depth: number, prefix: string[]): void => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch { return; }
    if (depth === columns.length) {
      // A partition is its directory, with files or without (ALTER TABLE … ADD PARTITION makes an empty one, as Spark's catalog lists it).
      found.push(prefix.join("/"));
      return;
    }
    const column = columns[depth]!.toLowerCase();
    for (const entry of entries) {
      const eq = entry.indexOf("=");
      if (eq <= 0 || unescapePathName(entry.slice(0, eq)).toLowerCase() !== column) continue;
      const wanted = spec.get(columns[depth]!);
      const value = unescapePathName(entry.slice(eq + 1));
      if (wanted !== undefined && value !== (wanted === null || wanted === "" ? "__HIVE_DEFAULT_PARTITION__" : wanted)) continue;
      if (!statSync(join(dir, entry)).isDirectory()) continue;
      walk(join(dir, entry), depth + 1, [...prefix, entry]);
    }
  };
  walk(path, 0, []);
  return found.sort().map((partition) => ({ partition }));
}
