import { AnalysisError } from "../common/errors.ts";

/**
 * USE, SHOW DATABASES and the `IN db` of SHOW COLUMNS: rivulet has one catalog,
 * `spark_catalog`, with one schema, `default`, and answers these as Spark answers them
 * for a session that has only that schema.
 */

/** USE [NAMESPACE | DATABASE | SCHEMA] db, its name in parts: `default`, also as spark_catalog.default. */
export function useNamespace(parts: readonly string[]): void {
  const db = parts.length === 2 && parts[0]!.toLowerCase() === "spark_catalog" ? parts[1]! : parts.join(".");
  requireDefaultSchema(db);
}

/** SHOW DATABASES | SCHEMAS | NAMESPACES [IN catalog] [LIKE 'pattern']: the names of Spark's `namespace` column. */
export function databaseNames(catalog: string | undefined, pattern: string | undefined): string[] {
  if (catalog !== undefined && catalog.toLowerCase() !== "spark_catalog") {
    throw new AnalysisError(`[CATALOG_NOT_FOUND] The catalog \`${catalog}\` not found. Consider to set the SQL config \`spark.sql.catalog.${catalog}\` to a catalog plugin.`);
  }
  return ["default"].filter((n) => pattern === undefined || likePattern(pattern).test(n));
}

/** A schema named where only `default` exists (SHOW COLUMNS IN t IN db, USE db): Spark's SCHEMA_NOT_FOUND otherwise. */
export function requireDefaultSchema(db: string): void {
  if (db.toLowerCase() === "default") return;
  throw new AnalysisError(`[SCHEMA_NOT_FOUND] The schema \`${db}\` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS. (rivulet has one schema, \`default\`.)`);
}

/** SHOW … LIKE 'pattern': Spark's `*` any characters and `|` alternatives, case-insensitive. */
export function likePattern(pattern: string): RegExp {
  const alternatives = pattern.split("|").map((p) => p.trim().replace(/[.+?^${}()[\]\\]/g, "\\$&").replace(/\*/g, ".*"));
  return new RegExp(`^(?:${alternatives.join("|")})$`, "i");
}
