import type { LogicalPlan } from "../plan/logical-plan.ts";
import { FILE_TABLE_FORMATS } from "../sql/table-location.ts";
import type { TableDefinition } from "./session-catalog.ts";

/**
 * Temporary views that `INSERT INTO` writes through, as Spark's do: a view over a JDBC table
 * (`CREATE TEMPORARY VIEW v USING org.apache.spark.sql.jdbc OPTIONS (…)`, Spark's
 * InsertableRelation) or over a directory of files (HadoopFsRelation). Other temporary views
 * are plans (Spark's UNSUPPORTED_INSERT.RDD_BASED). Keyed by the view's plan, which the view
 * holds as long as it exists.
 */
const insertable = new WeakMap<LogicalPlan, TableDefinition>();

/** Marks `plan` (a view's whole plan: a data source read as a batch) as the relation `table` names; the plan. */
export function insertableRelation(plan: LogicalPlan, table: TableDefinition): LogicalPlan {
  const format = table.format.toLowerCase();
  const hasPath = Object.keys(table.options).some((k) => k.toLowerCase() === "path");
  if (format === "jdbc" || (FILE_TABLE_FORMATS.includes(format) && hasPath)) insertable.set(plan, table);
  return plan;
}

/** The data source a view's plan writes to, or null when it is not one that INSERT INTO can write through. */
export function insertableTableOf(plan: LogicalPlan): TableDefinition | null {
  return insertable.get(plan) ?? null;
}
