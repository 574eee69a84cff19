import { describe, expect, test } from "vitest";
import { warehouseSessions } from "./warehouse-session.ts";

const { session, rowsOf } = warehouseSessions("show-create-name-case", "rivulet-show-create-case-");

const statementOf = async (spark: Parameters<typeof rowsOf>[0], sql: string): Promise<string> =>
  ((await rowsOf(spark, sql)) as [{ createtab_stmt: string }])[0].createtab_stmt;

// Spark keeps a table's or view's identifier lower-cased (SessionCatalog.formatTableName, with
// spark.sql.caseSensitive false) and SHOW CREATE TABLE prints that identifier, whatever case
// CREATE or SHOW CREATE TABLE used.
describe("SHOW CREATE TABLE prints the name as Spark keeps it: lower case", () => {
  test("a view created as MyView, shown as myview, MYVIEW or default.MyView", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE VIEW MyView AS SELECT 1 AS a");
    for (const shown of ["myview", "MYVIEW", "MyView", "default.MyView", "spark_catalog.default.MYVIEW"]) {
      expect(await statementOf(spark, `SHOW CREATE TABLE ${shown}`)).toBe("CREATE VIEW spark_catalog.default.myview (\n  a)\nAS SELECT 1 AS a\n");
    }
  });

  test("a view created as myview, shown as MyView; after ALTER VIEW … RENAME TO NewName", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE VIEW myview AS SELECT 1 AS a");
    expect(await statementOf(spark, "SHOW CREATE TABLE MyView")).toBe("CREATE VIEW spark_catalog.default.myview (\n  a)\nAS SELECT 1 AS a\n");
    await spark.sqlScript("ALTER VIEW MyView RENAME TO NewName");
    expect(await statementOf(spark, "SHOW CREATE TABLE NEWNAME")).toBe("CREATE VIEW spark_catalog.default.newname (\n  a)\nAS SELECT 1 AS a\n");
  });

  test("a table created as MyTable, shown as mytable; its statement creates the same table again", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE MyTable (a INT) USING parquet");
    const text = await statementOf(spark, "SHOW CREATE TABLE mytable");
    expect(text).toBe("CREATE TABLE spark_catalog.default.mytable (\n  a INT)\nUSING parquet\n");
    expect(await statementOf(spark, "SHOW CREATE TABLE MYTABLE")).toBe(text);
    const { spark: fresh } = await session();
    await fresh.sqlScript(text);
    expect(await statementOf(fresh, "SHOW CREATE TABLE MyTable")).toBe(text);
  });

  test("a backquoted name that needs its quotes keeps them, lower-cased", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE VIEW `My View` AS SELECT 1 AS a");
    expect(await statementOf(spark, "SHOW CREATE TABLE `MY VIEW`")).toBe("CREATE VIEW spark_catalog.default.`my view` (\n  a)\nAS SELECT 1 AS a\n");
  });
});
