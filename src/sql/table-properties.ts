import { AnalysisError } from "../common/errors.ts";
import type { Catalog } from "../session/catalog.ts";
import { alteredRelation, expectTable, expectView } from "./alter-table.ts";
import { node, token, type Children } from "./cst.ts";
import { unquoteString } from "./literals.ts";
import type { StatementResult } from "./sql-statement.ts";
import { qualifiedTableName, type StatementTools } from "./table-statements.ts";

/** Spark's spark.redaction.regex default: values of keys that look secret are shown as REDACTED. */
const SECRET_KEY = /secret|password|token|access[.]key/i;
const REDACTED = "*********(redacted)";

/** `properties` with secret-looking values replaced, sorted by key (Spark's conf.redactOptions, then sortBy key). */
export function redactedProperties(properties: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(properties ?? {})
    .map(([k, v]): [string, string] => [k, SECRET_KEY.test(k) || SECRET_KEY.test(v) ? REDACTED : v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Spark's reserved table properties (TableCatalog's), set by clauses rather than TBLPROPERTIES: what to use instead. */
const RESERVED: Readonly<Record<string, string>> = {
  provider: "please use the USING clause to specify it",
  location: "please use the LOCATION clause to specify it",
  owner: "it will be set to the current user",
  external: "please use CREATE EXTERNAL TABLE",
};

/** Refuses reserved keys in TBLPROPERTIES, as Spark's cleanTableProperties (without spark.sql.legacy.notReserveProperties). */
export function checkTableProperties(properties: Readonly<Record<string, string>> | undefined): void {
  for (const key of Object.keys(properties ?? {})) {
    const instead = RESERVED[key.toLowerCase()];
    if (instead !== undefined) throw new AnalysisError(`[UNSUPPORTED_FEATURE.SET_TABLE_PROPERTY] The feature is not supported: ${key.toLowerCase()} is a reserved table property, ${instead}.`);
  }
}

/** The properties ALTER TABLE (or ALTER VIEW, `isView`) changes, and how to record the change; the other kind is refused as Spark refuses it. */
function alteredProperties(catalog: Catalog, name: string, isView: boolean, operation: string): {
  readonly qualified: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly record: (properties: Record<string, string>, comment: string | null | undefined) => void;
} {
  const verb = isView ? "ALTER VIEW" : "ALTER TABLE";
  const relation = alteredRelation(catalog, name);
  if (relation.kind === "temporaryView") {
    throw isView ? new AnalysisError(`[EXPECT_PERMANENT_VIEW_NOT_TEMP] '${verb} ... ${operation}' expects a permanent view but \`${name}\` is a temp view.`) : expectTable(`${verb} ... ${operation}`, name);
  }
  if (relation.kind === "view") {
    if (!isView) throw expectTable(`${verb} ... ${operation}`, name);
    const metadata = catalog.viewMetadata.get(relation.name);
    return {
      qualified: qualifiedTableName(relation.name),
      properties: metadata.properties ?? {},
      record: (properties) => catalog.viewMetadata.set(relation.name, { ...metadata, properties }),
    };
  }
  const table = relation.table;
  if (isView) throw expectView(`${verb} ... ${operation}`, table.name);
  return {
    qualified: qualifiedTableName(table.name),
    properties: table.properties ?? {},
    record: (properties, comment) => {
      const { description, ...rest } = table;
      const kept = comment === undefined ? description : comment ?? undefined;
      catalog.alterTable({ ...rest, properties, ...(kept === undefined ? {} : { description: kept }) });
    },
  };
}

/**
 * ALTER TABLE t (or ALTER VIEW v) SET TBLPROPERTIES ('k' = 'v', …), as Spark's
 * AlterTableSetPropertiesCommand: the properties are added (or replaced); a table's `comment` is also its comment.
 */
export function setTableProperties(catalog: Catalog, name: string, properties: Readonly<Record<string, string>>, isView: boolean): void {
  checkTableProperties(properties);
  const altered = alteredProperties(catalog, name, isView, "SET TBLPROPERTIES");
  altered.record({ ...altered.properties, ...properties }, properties["comment"]);
}

/** ALTER TABLE t (or ALTER VIEW v) UNSET TBLPROPERTIES [IF EXISTS] ('k', …): a key it does not have fails without IF EXISTS. */
export function unsetTableProperties(catalog: Catalog, name: string, keys: readonly string[], ifExists: boolean, isView: boolean): void {
  const altered = alteredProperties(catalog, name, isView, "UNSET TBLPROPERTIES");
  const properties = { ...altered.properties };
  const missing = keys.filter((k) => !(k in properties));
  if (missing.length > 0 && !ifExists) {
    throw new AnalysisError(`[UNSET_NONEXISTENT_PROPERTIES] Attempted to unset non-existent properties [${missing.map((k) => `\`${k}\``).join(", ")}] in table ${altered.qualified}.`);
  }
  for (const k of keys) delete properties[k];
  altered.record(properties, keys.includes("comment") ? null : undefined);
}

/**
 * SHOW TBLPROPERTIES t [('key')], as Spark's ShowTablePropertiesCommand: every property (key,
 * value) sorted by key, or the one asked for (a missing one says so in its value); a
 * temporary view has none.
 */
export function showTableProperties(ctx: Children, tools: StatementTools): StatementResult {
  const schema = "key STRING, value STRING";
  const catalog = tools.session.catalog;
  const relation = alteredRelation(catalog, tools.tableName(ctx));
  if (relation.kind === "temporaryView") return tools.rows(schema, []);
  const name = relation.kind === "view" ? relation.name : relation.table.name;
  const properties = Object.fromEntries(redactedProperties(relation.kind === "view" ? catalog.viewMetadata.get(name).properties : relation.table.properties));
  const keyNode = node(ctx, "propertyKey");
  if (keyNode === undefined) return tools.rows(schema, Object.entries(properties).map(([key, value]) => ({ key, value })));
  const literal = token(keyNode.children, "StringLiteral");
  const key = literal !== undefined ? unquoteString(literal.image) : tools.nameText(node(keyNode.children, "qualifiedName")!);
  const value = properties[key] ?? `Table spark_catalog.default.${name} does not have property: ${key}`;
  return tools.rows(schema, [{ key, value }]);
}
