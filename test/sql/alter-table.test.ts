import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { warehouseSessions } from "./warehouse-session.ts";

const { session, rowsOf, sqlError, tempDir } = warehouseSessions("alter-table", "rivulet-alter-");

describe("ALTER TABLE … RENAME TO / ALTER VIEW … RENAME TO", () => {
  test("a managed table's directory moves with it; the old name is gone from SQL and spark.catalog; a cached table stays cached", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, b STRING) USING parquet; INSERT INTO t VALUES (1, 'x'), (2, 'y'); CACHE TABLE t");
    await spark.sqlScript("ALTER TABLE t RENAME TO default.t2");
    expect(existsSync(join(warehouse, "t"))).toBe(false);
    expect((await readdir(join(warehouse, "t2"))).some((f) => f.endsWith(".parquet"))).toBe(true);
    expect(await rowsOf(spark, "SELECT * FROM t2 ORDER BY a")).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
    expect(spark.catalog.tableExists("t")).toBe(false);
    expect(spark.catalog.tableExists("t2")).toBe(true);
    expect(spark.catalog.getTable("t2")).toMatchObject({ name: "t2", tableType: "MANAGED" });
    expect(spark.catalog.listColumns("t2").map((c) => c.name)).toEqual(["a", "b"]);
    expect(spark.catalog.isCached("t2")).toBe(true);
    expect(await sqlError(spark, "SELECT * FROM t")).toContain("[TABLE_OR_VIEW_NOT_FOUND]");
    // A new session over the same warehouse finds the rows under the new name.
    const { spark: later } = await session(warehouse);
    await later.sqlScript("CREATE TABLE t2 USING parquet");
    expect(await rowsOf(later, "SELECT count(*) AS n FROM t2")).toEqual([{ n: 2 }]);
  });

  test("an external table keeps its files where they are; the target name must be free; a missing table and ALTER VIEW on a table are refused", async () => {
    const { spark } = await session();
    const dir = await tempDir("rivulet-alter-ext-");
    await spark.sqlScript(`CREATE TABLE e (a INT) USING json LOCATION '${dir}'; INSERT INTO e VALUES (7); CREATE TABLE other (a INT) USING parquet`);
    await spark.sqlScript("ALTER TABLE e RENAME TO e2");
    expect(existsSync(dir)).toBe(true);
    expect(spark.catalog.getTable("e2").tableType).toBe("EXTERNAL");
    expect(await rowsOf(spark, "SELECT a FROM e2")).toEqual([{ a: 7 }]);
    expect(await sqlError(spark, "ALTER TABLE e2 RENAME TO other")).toBe(
      "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `default`.`other` because it already exists.\nChoose a different name, drop or rename the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects.",
    );
    expect(await sqlError(spark, "ALTER TABLE nope RENAME TO nope2")).toContain("[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.");
    expect(await sqlError(spark, "ALTER VIEW e2 RENAME TO e3")).toBe(
      "[EXPECT_VIEW_NOT_TABLE.USE_ALTER_TABLE] The table `spark_catalog`.`default`.`e2` does not support ALTER VIEW ... RENAME TO. Please use ALTER TABLE instead.",
    );
  });

  test("views: a temporary view and a CREATE VIEW view are renamed; ALTER TABLE on a CREATE VIEW view is refused; ALTER VIEW … AS changes the query", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TEMPORARY VIEW tv AS SELECT 1 AS x; CREATE VIEW pv AS SELECT 2 AS y");
    await spark.sqlScript("ALTER VIEW tv RENAME TO tv2; ALTER TABLE tv2 RENAME TO tv3; ALTER VIEW pv RENAME TO pv2");
    expect(await rowsOf(spark, "SELECT * FROM tv3")).toEqual([{ x: 1 }]);
    expect(spark.catalog.tableExists("tv")).toBe(false);
    expect(spark.catalog.getTable("tv3").isTemporary).toBe(true);
    expect(spark.catalog.getTable("pv2")).toMatchObject({ tableType: "VIEW", isTemporary: false });
    expect(await sqlError(spark, "ALTER TABLE pv2 RENAME TO pv3")).toBe(
      "[EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW] 'ALTER TABLE ... RENAME TO' expects a table. `pv2` is a view. Please use ALTER VIEW instead.",
    );
    await spark.sqlScript("ALTER VIEW tv3 AS SELECT 10 AS z; ALTER VIEW pv2 AS SELECT 20 AS w");
    expect(await rowsOf(spark, "SELECT * FROM tv3")).toEqual([{ z: 10 }]);
    expect(await rowsOf(spark, "SELECT * FROM default.pv2")).toEqual([{ w: 20 }]);
    expect(spark.catalog.getTable("pv2").tableType).toBe("VIEW");
  });
});

describe("ALTER TABLE … ADD COLUMNS", () => {
  test("new columns come after the data columns and before the partition columns; old files read NULL; comments show in DESCRIBE", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, p STRING) USING parquet PARTITIONED BY (p); INSERT INTO t VALUES (1, 'x')");
    await spark.sqlScript("ALTER TABLE t ADD COLUMNS (c BIGINT COMMENT 'the c', d STRING)");
    expect(spark.table("t").schema.toDDL()).toBe("a INT, c BIGINT, d STRING, p STRING");
    await spark.sqlScript("INSERT INTO t VALUES (2, 20, 'dd', 'y')");
    expect(await rowsOf(spark, "SELECT * FROM t ORDER BY a")).toEqual([{ a: 1, c: null, d: null, p: "x" }, { a: 2, c: 20, d: "dd", p: "y" }]);
    expect((await rowsOf(spark, "DESCRIBE t")).slice(0, 4)).toEqual([
      { col_name: "a", data_type: "int", comment: null },
      { col_name: "c", data_type: "bigint", comment: "the c" },
      { col_name: "d", data_type: "string", comment: null },
      { col_name: "p", data_type: "string", comment: null },
    ]);
    expect(spark.catalog.listColumns("t").map((c) => [c.name, c.isPartition])).toEqual([["a", false], ["c", false], ["d", false], ["p", true]]);
    await spark.sqlScript("ALTER TABLE t ADD COLUMN e DOUBLE");
    expect(spark.table("t").columns).toEqual(["a", "c", "d", "e", "p"]);
  });

  test("a column that exists, a text table and a view are refused with Spark's errors", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT) USING parquet; CREATE TABLE tx (value STRING) USING text; CREATE TEMPORARY VIEW v AS SELECT 1 AS a");
    expect(await sqlError(spark, "ALTER TABLE t ADD COLUMNS (A STRING)")).toBe("[COLUMN_ALREADY_EXISTS] The column `a` already exists. Choose another name or rename the existing column.");
    expect(await sqlError(spark, "ALTER TABLE tx ADD COLUMNS (b INT)")).toContain("ALTER ADD COLUMNS does not support datasource table with type text. You must drop and re-create the table for adding the new columns. Tables: `spark_catalog`.`default`.`tx`");
    expect(await sqlError(spark, "ALTER TABLE v ADD COLUMNS (b INT)")).toContain("[EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW] 'ALTER TABLE ... ADD COLUMNS' expects a table.");
  });
});

describe("ALTER TABLE … SET LOCATION, unsupported forms", () => {
  test("the table reads its new location; DESCRIBE EXTENDED shows it", async () => {
    const { spark } = await session();
    const first = await tempDir("rivulet-alter-loc1-");
    const second = await tempDir("rivulet-alter-loc2-");
    await spark.sqlScript(`CREATE TABLE e (a INT) USING json LOCATION '${first}'; INSERT INTO e VALUES (1)`);
    await spark.sqlScript(`CREATE TABLE f (a INT) USING json LOCATION '${second}'; INSERT INTO f VALUES (2), (3)`);
    await spark.sqlScript(`ALTER TABLE e SET LOCATION '${second}'`);
    expect(await rowsOf(spark, "SELECT a FROM e ORDER BY a")).toEqual([{ a: 2 }, { a: 3 }]);
    expect((await rowsOf(spark, "DESCRIBE EXTENDED e")).find((r) => r.col_name === "Location")).toEqual({ col_name: "Location", data_type: `file:${second}`, comment: "" });
  });

  test("forms rivulet does not run are named: RENAME COLUMN as Spark refuses it on a session-catalog table, others as statements", async () => {
    const { spark } = await session();
    expect(await sqlError(spark, "ALTER TABLE t RENAME COLUMN a TO b")).toBe(
      "[UNSUPPORTED_FEATURE.TABLE_OPERATION] The feature is not supported: Table `spark_catalog`.`default`.`t` does not support RENAME COLUMN. Please check the current catalog and namespace to make sure the qualified table name is expected, and also check the catalog implementation which is configured by \"spark.sql.catalog\". (line 1, column 1)",
    );
    expect(await sqlError(spark, "ALTER TABLE default.t ALTER COLUMN a COMMENT 'x'")).toMatch(/^\[UNSUPPORTED_FEATURE\.STATEMENT\] The feature is not supported: the statement ALTER TABLE … ALTER COLUMN /);
    expect(await sqlError(spark, "ALTER VIEW v SET SCHEMA BINDING")).toMatch(/^\[UNSUPPORTED_FEATURE\.STATEMENT\] The feature is not supported: the statement ALTER VIEW … SET SCHEMA /);
    expect(await sqlError(spark, "ALTER DATABASE d SET LOCATION '/x'")).toMatch(/^\[UNSUPPORTED_FEATURE\.STATEMENT\] The feature is not supported: the statement ALTER DATABASE /);
  });
});
