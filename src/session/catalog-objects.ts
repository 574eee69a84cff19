/**
 * What Spark's Catalog API answers with (org.apache.spark.sql.catalog: Table, Column,
 * Database, Function, CatalogMetadata): plain frozen records with Spark's field names.
 */

/** The catalog every table of a local session lives in (Spark's session catalog). */
export const SESSION_CATALOG = "spark_catalog";
/** The only database of a local session. */
export const DEFAULT_DATABASE = "default";

export interface CatalogMetadata {
  readonly name: string;
  readonly description: string | null;
}

export interface Database {
  readonly name: string;
  readonly catalog: string;
  readonly description: string | null;
  readonly locationUri: string;
}

/** A table or view: temporary ones have no catalog and an empty namespace, as in Spark. */
export interface Table {
  readonly name: string;
  readonly catalog: string | null;
  readonly namespace: readonly string[];
  readonly description: string | null;
  /** "MANAGED", "EXTERNAL" or "TEMPORARY". */
  readonly tableType: string;
  readonly isTemporary: boolean;
  /** The namespace as one name (Spark's deprecated `database`), null for a temporary view. */
  readonly database: string | null;
}

export interface Column {
  readonly name: string;
  readonly description: string | null;
  /** Spark's simpleString of the type: "int", "string", "array<bigint>". */
  readonly dataType: string;
  readonly nullable: boolean;
  readonly isPartition: boolean;
  readonly isBucket: boolean;
}

/** Spark's catalog.Function (named so here because `Function` is JavaScript's). */
export interface CatalogFunction {
  readonly name: string;
  readonly catalog: string | null;
  readonly namespace: readonly string[] | null;
  readonly description: string | null;
  readonly className: string;
  readonly isTemporary: boolean;
}

export function table(fields: Omit<Table, "database">): Table {
  return Object.freeze({ ...fields, namespace: Object.freeze([...fields.namespace]), database: fields.namespace.length === 1 ? fields.namespace[0]! : null });
}
