import { AnalysisError } from "../common/errors.ts";
import type { Catalog } from "../session/catalog.ts";
import { alteredRelation, alteredTable } from "./alter-table.ts";
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

/**
 * ALTER TABLE t SET TBLPROPERTIES ('k' = 'v', …), as Spark's AlterTableSetPropertiesCommand:
 * the properties are added (or replaced); `comment` is also the table's comment.
 */
export function setTableProperties(catalog: Catalog, name: string, properties: Readonly<Record<string, string>>, verb: string): void {
  const table = alteredTable(catalog, name, `${verb} ... SET TBLPROPERTIES`);
  const comment = properties["comment"];
  catalog.alterTable({ ...table, properties: { ...table.properties, ...properties }, ...(comment === undefined ? {} : { description: comment }) });
}

/** ALTER TABLE t UNSET TBLPROPERTIES [IF EXISTS] ('k', …): a key the table does not have fails without IF EXISTS. */
export function unsetTableProperties(catalog: Catalog, name: string, keys: readonly string[], ifExists: boolean, verb: string): void {
  const table = alteredTable(catalog, name, `${verb} ... UNSET TBLPROPERTIES`);
  const properties = { ...table.properties };
  const missing = keys.filter((k) => !(k in properties));
  if (missing.length > 0 && !ifExists) {
    throw new AnalysisError(`[UNSET_NONEXISTENT_PROPERTIES] Attempted to unset non-existent properties [${missing.map((k) => `\`${k}\``).join(", ")}] in table ${qualifiedTableName(table.name)}.`);
  }
  for (const k of keys) delete properties[k];
  const { description, ...rest } = table;
  const keepsComment = !keys.includes("comment");
  catalog.alterTable({ ...rest, properties, ...(keepsComment && description !== undefined ? { description } : {}) });
}

/**
 * SHOW TBLPROPERTIES t [('key')], as Spark's ShowTablePropertiesCommand: every property (key,
 * value) sorted by key, or the one asked for (a missing one says so in its value); a
 * temporary view has none.
 */
export function showTableProperties(ctx: Children, tools: StatementTools): StatementResult {
  const schema = "key STRING, value STRING";
  const relation = alteredRelation(tools.session.catalog, tools.tableName(ctx));
  if (relation.kind !== "table") return tools.rows(schema, []);
  const properties = Object.fromEntries(redactedProperties(relation.table.properties));
  const keyNode = node(ctx, "propertyKey");
  if (keyNode === undefined) return tools.rows(schema, Object.entries(properties).map(([key, value]) => ({ key, value })));
  const literal = token(keyNode.children, "StringLiteral");
  const key = literal !== undefined ? unquoteString(literal.image) : tools.nameText(node(keyNode.children, "qualifiedName")!);
  const value = properties[key] ?? `Table spark_catalog.default.${relation.table.name} does not have property: ${key}`;
  return tools.rows(schema, [{ key, value }]);
}
