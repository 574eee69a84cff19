import type { CstNode } from "chevrotain";
import { LocalDataset } from "../api/local/local-dataset.ts";
import { AnalysisError } from "../common/errors.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Session } from "../session/session.ts";
import { has, node, type Children } from "./cst.ts";

/**
 * `CACHE [LAZY] TABLE t [OPTIONS (…)] [[AS] SELECT …]`, `UNCACHE TABLE [IF EXISTS] t`,
 * `CLEAR CACHE` (Spark's CacheTableCommand, UncacheTableCommand, ClearCacheCommand). With a
 * query, t is first made a temporary view of it. rivulet fills a cache at the first query that
 * reads it (as LAZY) — `spark.sql` answers at once, without running the query.
 */
export function cacheTable(session: Session, ctx: Children, name: string, build: (query: CstNode) => LogicalPlan): void {
  const query = node(ctx, "query");
  const catalog = session.catalog;
  if (query !== undefined) {
    if (name.includes(".")) throw new AnalysisError(`[_LEGACY_ERROR_TEMP_0037] It is not allowed to add database prefix \`${name.split(".").slice(0, -1).join(".")}\` to the table name in CACHE TABLE AS SELECT.`);
    catalog.registerView(name, new LocalDataset(session, build(query)).plan, false);
  }
  catalog.cacheTable(name);
}

export function uncacheTable(session: Session, ctx: Children, name: string): void {
  try {
    session.catalog.uncacheTable(name);
  } catch (e) {
    if (!(has(ctx, "IF") && e instanceof AnalysisError && e.message.startsWith("[TABLE_OR_VIEW_NOT_FOUND]"))) throw e;
  }
}
