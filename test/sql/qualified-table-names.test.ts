import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("qualified-table-names").getOrCreate();
const tempDir = tempDirs(base);

async function session(): Promise<{ spark: Session; warehouse: string }> {
  const spark = base.newSession();
  const warehouse = await tempDir("rivulet-qualified-");
  spark.conf.set("spark.sql.warehouse.dir", warehouse);
  return { spark, warehouse };
}

describe("names qualified by the current database are the same table (Spark's default / spark_catalog.default)", () => {
  test("CREATE TABLE default.t2 is t2: read, inserted, described and dropped by every name", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript(`
      CREATE TABLE default.t2 (a INT, b STRING) USING parquet;
      INSERT INTO t2 VALUES (1, 'x');
      INSERT INTO default.t2 VALUES (2, 'y');
      INSERT INTO spark_catalog.default.t2 SELECT 3, 'z';
    `);
    // The managed table's directory is named after the table, not the qualified name.
    expect(existsSync(join(warehouse, "t2"))).toBe(true);
    expect(existsSync(join(warehouse, "default.t2"))).toBe(false);
    for (const name of ["t2", "default.t2", "spark_catalog.default.t2", "`default`.`t2`", "DEFAULT.T2"]) {
      expect(await spark.sql(`SELECT a, b FROM ${name} ORDER BY a`).collect()).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }, { a: 3, b: "z" }]);
      expect(await spark.table(name).count()).toBe(3);
    }
    expect(await spark.sql("DESCRIBE TABLE default.t2").collect()).toEqual([
      { col_name: "a", data_type: "int", comment: null },
      { col_name: "b", data_type: "string", comment: null },
    ]);
    expect(await spark.sql("SHOW TABLES").collect()).toEqual([{ namespace: "default", tableName: "t2", isTemporary: false }]);
    expect(spark.catalog.tableExists("default.t2")).toBe(true);
    expect(spark.catalog.tableExists("t2", "default")).toBe(true);
    expect(spark.catalog.getTable("spark_catalog.default.t2").name).toBe("t2");
    expect(spark.catalog.listColumns("default.t2").map((c) => c.name)).toEqual(["a", "b"]);
    // t2 qualifies its columns whichever name read it.
    expect(await spark.sql("SELECT t2.a FROM default.t2 WHERE t2.b = 'y'").collect()).toEqual([{ a: 2 }]);
    await expect(spark.sqlScript("CREATE TABLE t2 (a INT) USING parquet")).rejects.toThrow(/\[TABLE_OR_VIEW_ALREADY_EXISTS\]/);
    await spark.sqlScript("DROP TABLE spark_catalog.default.t2");
    expect(spark.catalog.tableExists("t2")).toBe(false);
    await expect(spark.sqlScript("SELECT * FROM t2")).rejects.toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });

  test("a table created as t is found as default.t; CTAS, saveAsTable and DROP IF EXISTS take the qualified names too", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE t USING json AS SELECT 1 AS k");
    expect(await spark.sql("SELECT k FROM default.t").collect()).toEqual([{ k: 1 }]);
    await spark.sqlScript("CREATE TABLE spark_catalog.default.c AS SELECT 'v' AS s");
    expect(await spark.sql("SELECT s FROM c").collect()).toEqual([{ s: "v" }]);
    await spark.createDataFrame([{ n: 5 }], "n INT").write.saveAsTable("default.saved");
    expect(existsSync(join(warehouse, "saved"))).toBe(true);
    expect(await spark.sql("SELECT n FROM saved").collect()).toEqual([{ n: 5 }]);
    await spark.createDataFrame([{ n: 6 }], "n INT").write.insertInto("spark_catalog.default.saved");
    expect(await spark.table("default.saved").orderBy("n").collect()).toEqual([{ n: 5 }, { n: 6 }]);
    await spark.sqlScript("DROP TABLE IF EXISTS default.saved; DROP TABLE IF EXISTS default.saved");
    expect(spark.catalog.tableExists("saved")).toBe(false);
  });

  test("views: CREATE VIEW default.v is v; a temporary view takes one name part, as Spark's", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE VIEW default.v AS SELECT 7 AS x");
    expect(await spark.sql("SELECT x FROM v").collect()).toEqual([{ x: 7 }]);
    expect(await spark.sql("SELECT x FROM spark_catalog.default.v").collect()).toEqual([{ x: 7 }]);
    await expect(spark.sqlScript("CREATE TEMPORARY VIEW default.w AS SELECT 1")).rejects.toThrow(
      "[TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS] CREATE TEMPORARY VIEW or the corresponding Dataset APIs only accept single-part view names, but got: `default`.`w`.");
    expect(() => spark.sql("SELECT 1 AS x").createOrReplaceTempView("db.w")).toThrow(
      "[TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS] CREATE TEMPORARY VIEW or the corresponding Dataset APIs only accept single-part view names, but got: `db`.`w`.");
    spark.sql("SELECT 1 AS x").createOrReplaceTempView("`w`");
    expect(await spark.sql("SELECT x FROM w").collect()).toEqual([{ x: 1 }]);
    await spark.sqlScript("DROP VIEW default.v");
    await expect(spark.sqlScript("SELECT * FROM v")).rejects.toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });

  test("another database or catalog is not the current one", async () => {
    const { spark } = await session();
    await expect(spark.sqlScript("CREATE TABLE other.t (a INT) USING parquet")).rejects.toThrow(/^\[SCHEMA_NOT_FOUND\] The schema `other` cannot be found/);
    await expect(spark.sqlScript("CREATE TABLE cat.default.t (a INT) USING parquet")).rejects.toThrow(/^\[CATALOG_NOT_FOUND\] The catalog `cat` not found/);
    await spark.sqlScript("CREATE TABLE t (a INT) USING parquet");
    await expect(spark.sqlScript("SELECT * FROM other.t")).rejects.toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `other.t` cannot be found/);
  });
});
