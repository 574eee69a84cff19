import type { JdbcDialect } from "./jdbc-dialect.ts";
import type { DialectName } from "./jdbc-url.ts";
import { mysqlDialect } from "./mysql-dialect.ts";
import { postgresDialect } from "./postgres-dialect.ts";
import { sqliteDialect } from "./sqlite-dialect.ts";

const DIALECTS: Record<DialectName, JdbcDialect> = { mysql: mysqlDialect, postgresql: postgresDialect, sqlite: sqliteDialect };

/** The dialect behind a parsed URL's scheme. */
export function dialectFor(name: DialectName): JdbcDialect {
  return DIALECTS[name];
}
