import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

type Rows = Record<string, unknown>[];

/**
 * For the catalog statements' tests: sessions of their own over a warehouse (a new temp
 * directory unless given, so that a second session can open the first one's), the rows of a
 * query, the message of a statement that must fail, and temp directories removed after the file.
 */
export function warehouseSessions(appName: string, tempPrefix: string): {
  session(warehouse?: string): Promise<{ spark: Session; warehouse: string }>;
  rowsOf(spark: Session, sql: string): Promise<Rows>;
  sqlError(spark: Session, sql: string): Promise<string>;
  tempDir(prefix: string): Promise<string>;
} {
  const base = Session.builder().appName(appName).getOrCreate();
  const tempDir = tempDirs(base);
  return {
    tempDir,
    async session(warehouse) {
      const spark = base.newSession();
      const dir = warehouse ?? await tempDir(tempPrefix);
      spark.conf.set("spark.sql.warehouse.dir", dir);
      return { spark, warehouse: dir };
    },
    rowsOf: (spark, sql) => spark.sql(sql).collect() as Promise<Rows>,
    async sqlError(spark, sql) {
      try {
        await spark.sqlScript(sql);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error(`no error from ${sql}`);
    },
  };
}
