import type { SessionCatalog } from "../session/session-catalog.ts";
import { likePattern, requireDefaultSchema } from "./namespace-statements.ts";

/**
 * SHOW TABLES and SHOW VIEWS, as Spark answers them for its one schema `default`: tables and
 * CREATE VIEW views belong to `default`; temporary views (a memory sink's table is one) to
 * no namespace, and both statements list them whatever database they name.
 */

type Listing = Pick<SessionCatalog, "relationNames" | "isPersistentView">;

export interface ListingFilter {
  /** The database named by FROM / IN: only `default` exists. */
  readonly database?: string;
  /** LIKE's pattern: `*` any characters, `|` alternatives, case-insensitive. */
  readonly pattern?: string;
}

/** SHOW TABLES [(FROM | IN) db] [[LIKE] 'pattern']: Spark's namespace, tableName, isTemporary. */
export function showTables(catalog: Listing, filter: ListingFilter): { namespace: string; tableName: string; isTemporary: boolean }[] {
  return relations(catalog, filter, true).map(([namespace, tableName, isTemporary]) => ({ namespace, tableName, isTemporary }));
}

/** SHOW VIEWS [(FROM | IN) db] [[LIKE] 'pattern']: Spark's namespace, viewName, isTemporary. */
export function showViews(catalog: Listing, filter: ListingFilter): { namespace: string; viewName: string; isTemporary: boolean }[] {
  return relations(catalog, filter, false).map(([namespace, viewName, isTemporary]) => ({ namespace, viewName, isTemporary }));
}

function relations(catalog: Listing, filter: ListingFilter, withTables: boolean): [string, string, boolean][] {
  if (filter.database !== undefined) requireDefaultSchema(filter.database);
  const matches = filter.pattern === undefined ? () => true : (name: string) => likePattern(filter.pattern!).test(name);
  const { temporary, tables } = catalog.relationNames();
  const persistentViews = temporary.filter((name) => catalog.isPersistentView(name));
  const inDefault = [...(withTables ? tables : []), ...persistentViews].sort();
  return [
    ...inDefault.filter(matches).map((name): [string, string, boolean] => ["default", name, false]),
    ...temporary.filter((name) => !catalog.isPersistentView(name) && matches(name)).map((name): [string, string, boolean] => ["", name, true]),
  ];
}
