import { resolve } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import { quoteIfNeeded } from "../common/identifiers.ts";
import { schemaOf } from "../expr/scope.ts";
import type { TableDefinition } from "../session/catalog.ts";
import { ddlTypeName, type StructField } from "../types/data-types.ts";
import { alteredRelation } from "./alter-table.ts";
import type { Children } from "./cst.ts";
import type { StatementResult } from "./sql-statement.ts";
import { isManagedTable, pathOption, warehouseDir } from "./table-location.ts";
import { redactedProperties } from "./table-properties.ts";
import type { StatementTools } from "./table-statements.ts";

const escapeQuoted = (s: string): string => s.replace(/\\/g, "\\\\").replace(/'/g, "\\'");

/** A table's or view's identifier as Spark's catalog keeps it: qualified, the name lower-cased. */
const catalogIdentifier = (name: string): string => `spark_catalog.default.${quoteIfNeeded(name.toLowerCase())}`;

/** `(\n  a,\n  b)\n`: Spark's concatByMultiLines. */
const multiLines = (items: readonly string[]): string => `(\n  ${items.join(",\n  ")})\n`;

/** Spark's StructField.toDDL: name, type, NOT NULL, COMMENT. */
function columnDDL(f: StructField, comment: string | undefined): string {
  return `${quoteIfNeeded(f.name)} ${ddlTypeName(f.dataType)}${f.nullable ? "" : " NOT NULL"}${comment === undefined ? "" : ` COMMENT '${escapeQuoted(comment)}'`}`;
}

/**
 * SHOW CREATE TABLE t, as Spark's ShowCreateTableCommand prints a data source table: columns,
 * USING, OPTIONS, PARTITIONED BY, COMMENT, LOCATION (external tables), TBLPROPERTIES, one
 * clause a line, in one `createtab_stmt` row; a CREATE VIEW view as CREATE VIEW … AS its text.
 * The name is the one Spark keeps in its catalog: lower case (SessionCatalog.formatTableName),
 * whatever case CREATE or SHOW CREATE TABLE spelled it in.
 */
export function showCreateTable(ctx: Children, tools: StatementTools): StatementResult {
  const name = tools.tableName(ctx);
  const catalog = tools.session.catalog;
  const relation = alteredRelation(catalog, name);
  if (relation.kind === "temporaryView") {
    throw new AnalysisError(`[EXPECT_PERMANENT_VIEW_NOT_TEMP] 'SHOW CREATE TABLE' expects a permanent view but \`${name}\` is a temp view.`);
  }
  if (relation.kind === "view") {
    const { text, properties } = catalog.viewMetadata.get(relation.name);
    if (text === undefined) throw new AnalysisError(`SHOW CREATE TABLE ${name}: the view was not made by CREATE VIEW … AS, so rivulet has no text for it`);
    const columns = catalog.lookup(relation.name)!.output.map((c) => quoteIfNeeded(c.name));
    return tools.rows("createtab_stmt STRING", [{ createtab_stmt: createViewText(relation.name, columns, properties, text) }]);
  }
  const table = relation.table;
  const fields = table.schema?.fields ?? schemaOf(catalog.lookup(table.name)!.output).fields;
  return tools.rows("createtab_stmt STRING", [{ createtab_stmt: createTableText(table, fields, warehouseDir(tools.session.conf)) }]);
}

export function createTableText(table: TableDefinition, fields: readonly StructField[], warehouse: string): string {
  let text = `CREATE TABLE ${catalogIdentifier(table.name)} `;
  text += multiLines(fields.map((f) => columnDDL(f, table.columnComments?.[f.name.toLowerCase()])));
  text += `USING ${table.format}\n`;
  const options = redactedProperties(Object.fromEntries(Object.entries(table.options).filter(([k]) => k.toLowerCase() !== "path")));
  if (options.length > 0) text += `OPTIONS ${multiLines(options.map(([k, v]) => `'${escapeQuoted(k)}' = '${escapeQuoted(v)}'`))}`;
  if ((table.partitionColumns ?? []).length > 0) text += `PARTITIONED BY (${table.partitionColumns!.join(", ")})\n`;
  if (table.description !== undefined) text += `COMMENT '${escapeQuoted(table.description)}'\n`;
  const path = pathOption(table.options);
  if (path !== undefined && !isManagedTable(table.name, table.options, warehouse)) text += `LOCATION '${escapeQuoted(`file:${resolve(path)}`)}'\n`;
  const properties = redactedProperties(table.properties);
  if (properties.length > 0) text += `TBLPROPERTIES ${multiLines(properties.map(([k, v]) => `'${escapeQuoted(k)}' = '${escapeQuoted(v)}'`))}`;
  return text;
}

/** Spark's showCreateView: the view's columns, TBLPROPERTIES, then AS and the query's text. */
function createViewText(name: string, columns: readonly string[], properties: Readonly<Record<string, string>> | undefined, text: string): string {
  let out = `CREATE VIEW ${catalogIdentifier(name)} ${multiLines(columns)}`;
  const props = Object.entries(properties ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (props.length > 0) out += `TBLPROPERTIES ${multiLines(props.map(([k, v]) => `'${escapeQuoted(k)}' = '${escapeQuoted(v)}'`))}`;
  return `${out}AS ${text}\n`;
}
