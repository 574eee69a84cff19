import { AnalysisError } from "../common/errors.ts";
import { DEFAULT_DATABASE, SESSION_CATALOG } from "./catalog-objects.ts";

/** A table name split as Spark's multi-part identifier: `t`, `db.t`, `catalog.db.t`. */
export interface TableName {
  /** The catalog when named (three parts), else null. */
  readonly catalog: string | null;
  readonly database: string | null;
  readonly name: string;
}

/** The parts of `text`, backquoted parts taken whole (`a.b` in backquotes is one part, ``` `` ``` one backquote), trimmed, empty ones skipped. */
function tableNameParts(text: string): string[] {
  const parts: string[] = [];
  const re = /`((?:[^`]|``)*)`|([^.`]+)/g;
  const trimmed = text.trim();
  for (let m = re.exec(trimmed); m !== null; m = re.exec(trimmed)) parts.push(m[1] !== undefined ? m[1].replace(/``/g, "`") : m[2]!.trim());
  return parts;
}

/** `t`, `db.t`, `catalog.db.t`; more parts are not a table of the session catalog. */
export function splitTableName(text: string): TableName {
  const parts = tableNameParts(text);
  if (parts.length === 3) return { catalog: parts[0]!, database: parts[1]!, name: parts[2]! };
  if (parts.length === 2) return { catalog: null, database: parts[0]!, name: parts[1]! };
  if (parts.length === 1) return { catalog: null, database: null, name: parts[0]! };
  throw new AnalysisError(`[INVALID_IDENTIFIER] The identifier ${text} is invalid: a table is named \`t\`, \`db.t\` or \`catalog.db.t\``);
}

/** Whether `name` names a table of the current database (`default`, or `spark_catalog.default`), or is unqualified. */
function inCurrentDatabase(name: TableName): boolean {
  if (name.database === null) return true;
  if (name.catalog !== null && name.catalog.toLowerCase() !== SESSION_CATALOG) return false;
  return name.database.toLowerCase() === DEFAULT_DATABASE;
}

/** Whether `text` names its database (`default.t`, `spark_catalog.default.t`); a backquoted `` `a.b` `` is one unqualified name. */
export function isQualifiedName(text: string): boolean {
  return text.includes(".") && tableNameParts(text).length > 1;
}

/**
 * The key a session keeps a table or view under: its own name, lower-cased, when the name is
 * unqualified or qualified by the current database (`default.t`, `spark_catalog.default.t`
 * are `t`, as in Spark, where an unqualified name means the current database's). Other names
 * (`global_temp.v`, `parquet.`/path``) are kept whole, lower-cased.
 */
export function tableKey(text: string): string {
  if (!text.includes(".")) return text.replace(/^`(.*)`$/, "$1").replace(/``/g, "`").toLowerCase();
  const parts = tableNameParts(text);
  if (parts.length < 2 || parts.length > 3) return text.toLowerCase();
  const name = parts.length === 3 ? { catalog: parts[0]!, database: parts[1]!, name: parts[2]! } : { catalog: null, database: parts[0]!, name: parts[1]! };
  return inCurrentDatabase(name) ? name.name.toLowerCase() : text.toLowerCase();
}

/**
 * The table's own name for a table created under `text`: `default.t` and
 * `spark_catalog.default.t` create `t`; another catalog or database is refused as Spark
 * refuses a schema it does not know.
 */
export function createdTableName(text: string): string {
  const name = splitTableName(text);
  if (name.catalog !== null && name.catalog.toLowerCase() !== SESSION_CATALOG) {
    throw new AnalysisError(`[CATALOG_NOT_FOUND] The catalog \`${name.catalog}\` not found. A local rivulet session has one catalog, \`${SESSION_CATALOG}\`.`);
  }
  if (name.database !== null && name.database.toLowerCase() !== DEFAULT_DATABASE) {
    throw new AnalysisError(`[SCHEMA_NOT_FOUND] The schema \`${name.database}\` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS. (rivulet has one schema, \`${DEFAULT_DATABASE}\`.)`);
  }
  return name.name;
}

/**
 * A temporary view's name, as Spark's CREATE TEMPORARY VIEW and createOrReplaceTempView take it:
 * one part (backquotes around it allowed); more fail with TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS.
 */
export function temporaryViewName(text: string): string {
  const parts = tableNameParts(text);
  if (parts.length > 1) {
    throw new AnalysisError(`[TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS] CREATE TEMPORARY VIEW or the corresponding Dataset APIs only accept single-part view names, but got: ${parts.map((p) => `\`${p.replace(/`/g, "``")}\``).join(".")}.`);
  }
  return parts[0] ?? text;
}
