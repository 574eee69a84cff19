import { dialectFor } from "./dialects.ts";
import type { DbColumn } from "./jdbc-dialect.ts";
import type { JdbcTarget } from "./jdbc-url.ts";

/** The table's columns, or the driver's error as data (errors cross threads without their fields). */
export type DescribeResult =
  | { readonly columns: DbColumn[] }
  | { readonly error: string; readonly kind: string };

/**
 * Connects, describes one table (or, when `subquery`, the derived table `(SELECT …) alias`),
 * disconnects. Runs in a worker thread (see run-sync.ts).
 */
export async function describeTable(target: JdbcTarget, table: string, subquery = false): Promise<DescribeResult> {
  const dialect = dialectFor(target.dialect);
  const db = await dialect.connect(target);
  try {
    return { columns: await (subquery ? dialect.describeQuery(db, table) : dialect.describeTable(db, table)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), kind: dialect.classify(error) };
  } finally {
    await db.destroy().catch(() => {});
  }
}
