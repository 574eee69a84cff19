import { userInfo } from "node:os";
import { resolve } from "node:path";
import type { Catalog, TableDefinition, TableStatistics } from "../session/catalog.ts";
import { typeName, type DataType } from "../types/data-types.ts";
import { isManagedTable, pathOption } from "./table-location.ts";
import { redactedProperties } from "./table-properties.ts";

/** One row of DESCRIBE's result. */
export type DescribeRow = {
  readonly col_name: string;
  readonly data_type: string;
  readonly comment: string | null;
};

/** When this process defined each table (Spark's "Created Time"; rivulet keeps no metastore). */
const createdAt = new WeakMap<TableDefinition, Date>();

/**
 * The block `DESCRIBE TABLE EXTENDED t` adds after t's columns, as Spark's
 * DescribeTableCommand: an empty row, `# Detailed Table Information`, then the table's
 * metadata (CatalogTable.toLinkedHashMap's keys and order), the comment column empty.
 */
export function detailedTableInformation(table: TableDefinition, warehouse: string): DescribeRow[] {
  if (!createdAt.has(table)) createdAt.set(table, new Date());
  const path = pathOption(table.options);
  const storage = Object.entries(table.options).filter(([k]) => k.toLowerCase() !== "path");
  const entries: [string, string][] = [
    ["Catalog", "spark_catalog"],
    ["Database", "default"],
    ["Table", table.name],
    ["Owner", userInfo().username],
    ["Created Time", sparkDate(createdAt.get(table)!)],
    ["Last Access", "UNKNOWN"],
    ["Created By", "Spark 3.5.0 (rivulet)"],
    ["Type", isManagedTable(table.name, table.options, warehouse) ? "MANAGED" : "EXTERNAL"],
    ["Provider", table.format],
    ...(table.description === undefined ? [] : [["Comment", table.description] as [string, string]]),
    ...(Object.keys(table.properties ?? {}).length === 0 ? [] : [["Table Properties", `[${redactedProperties(table.properties).map(([k, v]) => `${k}=${v}`).join(", ")}]`] as [string, string]]),
    ...(table.statistics === undefined ? [] : [["Statistics", statisticsText(table.statistics)] as [string, string]]),
    ...(path === undefined ? [] : [["Location", `file:${resolve(path)}`] as [string, string]]),
    ...(storage.length === 0 ? [] : [["Storage Properties", `[${storage.map(([k, v]) => `${k}=${v}`).join(", ")}]`] as [string, string]]),
  ];
  return [
    { col_name: "", data_type: "", comment: "" },
    { col_name: "# Detailed Table Information", data_type: "", comment: "" },
    ...entries.map(([k, v]) => ({ col_name: k, data_type: v, comment: "" })),
  ];
}

/**
 * The block DESCRIBE adds after a partitioned table's columns, as Spark's: `# Partition
 * Information`, a header row, then the partition columns with their types.
 */
export function partitionInformation(table: TableDefinition): DescribeRow[] {
  const fields = (table.partitionColumns ?? []).map((name) => table.schema?.fields.find((f) => f.name.toLowerCase() === name.toLowerCase()));
  return [
    { col_name: "# Partition Information", data_type: "", comment: "" },
    { col_name: "# col_name", data_type: "data_type", comment: "comment" },
    ...fields.flatMap((f, i) => [{ col_name: f?.name ?? table.partitionColumns![i]!, data_type: f === undefined ? "string" : typeName(f.dataType), comment: null }]),
  ];
}

/** Spark's CatalogStatistics.simpleString: `864 bytes, 2 rows`. */
export function statisticsText(s: TableStatistics): string {
  return `${s.sizeInBytes} bytes${s.rowCount === undefined ? "" : `, ${s.rowCount} rows`}`;
}

/**
 * DESCRIBE [EXTENDED] t (or of a query, `name` null): a row per column with its comment, then a
 * partitioned table's partition block and, EXTENDED, the table's detailed block (temporary views have neither, as in Spark).
 */
export function describeRows(
  catalog: Catalog, name: string | null, columns: readonly { readonly name: string; readonly dataType: DataType }[], extended: boolean, warehouse: string,
): DescribeRow[] {
  const table = name === null ? null : catalog.tableDefinition(name);
  const rows: DescribeRow[] = columns.map((c) => ({ col_name: c.name, data_type: typeName(c.dataType), comment: table?.columnComments?.[c.name.toLowerCase()] ?? null }));
  if (table === null || catalog.isTemporaryView(table.name)) return rows;
  if ((table.partitionColumns ?? []).length > 0) rows.push(...partitionInformation(table));
  if (extended) rows.push(...detailedTableInformation(table, warehouse));
  return rows;
}

/** Java's Date.toString: `Sun Dec 06 12:00:00 UTC 2026`. */
function sparkDate(d: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
