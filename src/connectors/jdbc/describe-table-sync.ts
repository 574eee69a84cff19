import type { DescribeResult } from "./describe-table.ts";
import type { JdbcTarget } from "./jdbc-url.ts";
import { runSync } from "./run-sync.ts";

/**
 * Describes a table synchronously, for `spark.read.format("jdbc").load()`, which must
 * return a DataFrame with its schema (load() is synchronous, as in Spark) while database
 * drivers are asynchronous: one round trip in a worker thread at load() time, nothing on
 * the data path.
 */
export function describeTableSync(target: JdbcTarget, table: string, subquery = false, timeoutMs = 30_000): DescribeResult {
  const fromSource = import.meta.url.endsWith(".ts");
  const module = new URL(fromSource ? "./describe-table.ts" : "./describe-table.js", import.meta.url);
  return runSync<DescribeResult>(module, "describeTable", [target, table, subquery], timeoutMs);
}
