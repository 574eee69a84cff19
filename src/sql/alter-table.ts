import type { CstNode } from "chevrotain";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import type { Catalog, TableDefinition } from "../session/catalog.ts";
import { createdTableName, isQualifiedName, temporaryViewName } from "../session/table-name.ts";
import { schemaOf } from "../expr/scope.ts";
import { StructType } from "../types/data-types.ts";
import { has, node, nodes, sourceText, token, tokens, type Children } from "./cst.ts";
import { unquoteString } from "./literals.ts";
import { updateStatistics } from "./analyze-table.ts";
import { addPartitions, dropPartitions, recoverPartitions } from "./partition-ddl.ts";
import { tableNotFound } from "./session-relations.ts";
import type { StatementResult } from "./sql-statement.ts";
import { isManagedTable, managedTableDir, pathOption, warehouseDir, type WarehouseConf } from "./table-location.ts";
import { setTableProperties, unsetTableProperties } from "./table-properties.ts";
import { columnComments, qualifiedTableName, type StatementTools } from "./table-statements.ts";

/** What a name in ALTER TABLE/VIEW stands for. */
export type AlteredRelation =
  | { readonly kind: "temporaryView"; readonly name: string }
  | { readonly kind: "view"; readonly name: string }
  | { readonly kind: "table"; readonly table: TableDefinition };

/** The relation `name` names: a temporary view first (unqualified names), then a CREATE VIEW view or a table. */
export function alteredRelation(catalog: Catalog, name: string): AlteredRelation {
  if (catalog.isPersistentView(name)) return { kind: "view", name: createdTableName(name) };
  if (!isQualifiedName(name) && (catalog.isTemporaryView(name) || catalog.relationKind(name) === "memory")) return { kind: "temporaryView", name };
  const table = catalog.tableDefinition(name);
  if (table === null) throw tableNotFound(name, catalog.tableNames());
  return { kind: "table", table };
}

/** Spark's refusal of ALTER TABLE on a view (DDLUtils.verifyAlterTableType). */
export function expectTable(operation: string, name: string): AnalysisError {
  return new AnalysisError(`[EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW] '${operation}' expects a table. \`${name}\` is a view. Please use ALTER VIEW instead.`);
}

/** The table `name` of an ALTER TABLE `operation`: views are refused, as Spark refuses them. */
export function alteredTable(catalog: Catalog, name: string, operation: string): TableDefinition {
  const relation = alteredRelation(catalog, name);
  if (relation.kind !== "table") throw expectTable(operation, name);
  return relation.table;
}

/**
 * ALTER TABLE t … / ALTER VIEW v …: RENAME TO, ADD COLUMNS, SET/UNSET TBLPROPERTIES, SET
 * LOCATION, ADD/DROP PARTITION, RECOVER PARTITIONS, and ALTER VIEW v AS query. The forms
 * rivulet does not run are refused before parsing (unsupported-statements.ts).
 */
export function alterStatement(ctx: Children, tools: StatementTools): StatementResult {
  const name = tools.tableName(ctx);
  const catalog = tools.session.catalog;
  const isView = has(ctx, "VIEW");
  const newName = node(ctx, "newName");
  if (newName !== undefined) {
    rename(catalog, tools.session.conf, name, tools.referenceName(newName), isView);
    return tools.empty();
  }
  const query = node(ctx, "query");
  if (query !== undefined) {
    alterViewAs(catalog, name, tools.query(query), sourceText(query, tools.text));
    return tools.empty();
  }
  if (has(ctx, "tableProperties")) {
    setTableProperties(catalog, name, tools.options(node(ctx, "tableProperties")!.children), isView);
    return tools.empty();
  }
  if (has(ctx, "unsetWord")) {
    const keys = nodes(ctx, "propertyKey").map((k) => { const s = token(k.children, "StringLiteral"); return s !== undefined ? unquoteString(s.image) : tools.nameText(node(k.children, "qualifiedName")!); });
    unsetTableProperties(catalog, name, keys, has(ctx, "IF"), isView);
    return tools.empty();
  }
  if (isView) throw new AnalysisError("[UNSUPPORTED_FEATURE.STATEMENT] The feature is not supported: this form of ALTER VIEW (rivulet's views take RENAME TO, SET/UNSET TBLPROPERTIES and AS query).");
  if (has(ctx, "COLUMNS") || has(ctx, "columnWord")) {
    addColumns(catalog, name, nodes(ctx, "columnDefinition"), tools);
    return tools.empty();
  }
  if (has(ctx, "recoverWord")) {
    recoverPartitions(catalog, name, "ALTER TABLE RECOVER PARTITIONS");
    return tools.empty();
  }
  const done = (): ReturnType<typeof tools.session.createDataFrame> => tools.session.createDataFrame([], new StructType([]));
  if (has(ctx, "location")) {
    // Statistics of the old files no longer hold (Spark's CommandUtils.updateTableStats).
    const table = setLocation(catalog, name, unquoteString(token(ctx, "location")!.image));
    return { kind: "pending", run: async () => { await updateStatistics(tools.session, table); return done(); } };
  }
  const specs = nodes(ctx, "partitionSpec");
  if (has(ctx, "addWord")) {
    const table = alteredTable(catalog, name, "ALTER TABLE ... ADD PARTITION ...");
    const locations = tokens(ctx, "partitionLocation");
    const partitions = specs.map((spec, i) => {
      const location = locations.find((l) => l.startOffset > (spec.location?.endOffset ?? -1) && l.startOffset < (specs[i + 1]?.location?.startOffset ?? Infinity));
      return { spec: tools.partitionSpec(spec, table), location: location === undefined ? undefined : unquoteString(location.image) };
    });
    return { kind: "pending", run: async () => { await addPartitions(tools.session, table, partitions, has(ctx, "ifNotExists")); return done(); } };
  }
  const table = alteredTable(catalog, name, "ALTER TABLE ... DROP PARTITION ...");
  const partitions = specs.map((spec) => tools.partitionSpec(spec, table));
  return { kind: "pending", run: async () => { await dropPartitions(tools.session, table, partitions, has(ctx, "IF")); return done(); } };
}

/**
 * ALTER TABLE/VIEW … RENAME TO, as Spark's AlterTableRenameCommand: a temporary view keeps its
 * plan under the new name; a managed table's directory moves to the warehouse's new name (an
 * external table's files stay where they are); a cached table is cached again under its new name.
 */
function rename(catalog: Catalog, conf: WarehouseConf, oldName: string, written: string, isView: boolean): void {
  const relation = alteredRelation(catalog, oldName);
  const operation = `${isView ? "ALTER VIEW" : "ALTER TABLE"} ... RENAME TO`;
  if (relation.kind === "temporaryView") {
    if (isQualifiedName(written)) {
      throw new AnalysisError(`RENAME TEMPORARY VIEW from '\`${oldName}\`' to '${written}': cannot specify database name in the destination table`);
    }
    const newName = temporaryViewName(written);
    if (catalog.isTemporaryView(newName)) throw alreadyExists(`\`${newName}\``);
    catalog.renameView(oldName, newName);
    return;
  }
  const newName = createdTableName(written);
  if (catalog.tableDefinition(newName) !== null || catalog.isPersistentView(newName)) throw alreadyExists(`\`default\`.\`${newName}\``);
  if (relation.kind === "view") {
    if (!isView) throw expectTable(operation, oldName);
    catalog.renameView(relation.name, newName);
    return;
  }
  const table = relation.table;
  if (isView) throw expectView(operation, table.name);
  const cached = catalog.isCached(table.name);
  let options = table.options;
  const path = pathOption(table.options);
  const warehouse = warehouseDir(conf);
  if (path !== undefined && isManagedTable(table.name, table.options, warehouse)) {
    const target = managedTableDir(warehouse, newName);
    if (existsSync(target)) {
      throw new AnalysisError(`[LOCATION_ALREADY_EXISTS] Cannot name the managed table as ${qualifiedTableName(newName)}, as its associated location 'file:${target}' already exists. Please pick a different table name, or remove the existing location first.`);
    }
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(path)) renameSync(path, target);
    else mkdirSync(target, { recursive: true });
    options = { ...withoutPath(table.options), path: target };
  }
  catalog.renameTable(table.name, { ...table, name: newName, options });
  if (cached) catalog.cacheTable(newName);
}

function alreadyExists(name: string): AnalysisError {
  return new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view ${name} because it already exists.\nChoose a different name, drop or rename the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects.`);
}

/** ALTER VIEW v AS query (Spark's AlterViewAsCommand): the view, temporary or not, reads the new query; a CREATE VIEW view keeps its properties. */
function alterViewAs(catalog: Catalog, name: string, plan: Parameters<Catalog["registerView"]>[1], text: string): void {
  const relation = alteredRelation(catalog, name);
  if (relation.kind === "table") throw expectView("ALTER VIEW ... AS", relation.table.name, "NO_ALTERNATIVE");
  const { properties } = catalog.viewMetadata.get(relation.name);
  catalog.registerView(relation.name, plan, true, relation.kind === "view");
  if (relation.kind === "view") catalog.viewMetadata.set(relation.name, { text, ...(properties === undefined ? {} : { properties }) });
}

/** Spark's refusal of ALTER VIEW on a table. */
export function expectView(operation: string, table: string, alternative: "USE_ALTER_TABLE" | "NO_ALTERNATIVE" = "USE_ALTER_TABLE"): AnalysisError {
  return new AnalysisError(`[EXPECT_VIEW_NOT_TABLE.${alternative}] The table ${qualifiedTableName(table)} does not support ${operation}.${alternative === "USE_ALTER_TABLE" ? " Please use ALTER TABLE instead." : ""}`);
}

/** Formats whose tables take ADD COLUMNS (Spark's: CSV, JSON, Parquet, ORC; text has one column). */
const ADD_COLUMNS_FORMATS = ["csv", "json", "parquet", "orc"];

/**
 * ALTER TABLE t ADD COLUMNS (c type [COMMENT '…'], …), as Spark's AlterTableAddColumnsCommand:
 * the new columns after the data columns, before the partition columns; files written before
 * read NULL for them. A table whose columns were inferred from its files gets them declared.
 */
function addColumns(catalog: Catalog, name: string, definitions: readonly CstNode[], tools: StatementTools): void {
  const table = alteredTable(catalog, name, "ALTER TABLE ... ADD COLUMNS");
  if (!ADD_COLUMNS_FORMATS.includes(table.format.toLowerCase())) {
    throw new AnalysisError(`ALTER ADD COLUMNS does not support datasource table with type ${table.format}. You must drop and re-create the table for adding the new columns. Tables: ${qualifiedTableName(table.name)}.`);
  }
  const current = table.schema ?? schemaOf(catalog.lookup(table.name)!.output);
  const added = definitions.map((d) => ({ ...tools.columnDefinition(d), nullable: true }));
  const names = [...current.fields.map((f) => f.name), ...added.map((f) => f.name)].map((n) => n.toLowerCase());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new AnalysisError(`[COLUMN_ALREADY_EXISTS] The column \`${duplicate}\` already exists. Choose another name or rename the existing column.`);
  const partitions = new Set((table.partitionColumns ?? []).map((c) => c.toLowerCase()));
  const data = current.fields.filter((f) => !partitions.has(f.name.toLowerCase()));
  const partitionFields = current.fields.filter((f) => partitions.has(f.name.toLowerCase()));
  const comments = { ...table.columnComments, ...columnComments(definitions, (n) => tools.identifierText(n)) };
  if (catalog.isCached(table.name)) catalog.uncacheTable(table.name);
  catalog.alterTable({ ...table, schema: new StructType([...data, ...added, ...partitionFields]), ...(Object.keys(comments).length === 0 ? {} : { columnComments: comments }) });
}

/** ALTER TABLE t SET LOCATION 'path': the table reads (and is written) there from now on; the files stay where they are. */
/** The table at its new location. */
function setLocation(catalog: Catalog, name: string, location: string): TableDefinition {
  const table = alteredTable(catalog, name, "ALTER TABLE ... SET LOCATION ...");
  if (pathOption(table.options) === undefined) {
    throw new AnalysisError(`ALTER TABLE ${table.name} SET LOCATION: a ${table.format} table has no location (only a table of files has)`);
  }
  if (catalog.isCached(table.name)) catalog.uncacheTable(table.name);
  const moved = { ...table, options: { ...withoutPath(table.options), path: resolve(location.replace(/^file:(\/\/)?/, "")) } };
  catalog.alterTable(moved);
  return moved;
}

function withoutPath(options: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => k.toLowerCase() !== "path"));
}
