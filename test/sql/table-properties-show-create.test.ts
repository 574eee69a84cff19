import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { warehouseSessions } from "./warehouse-session.ts";

const { session, rowsOf, sqlError, tempDir } = warehouseSessions("table-properties", "rivulet-tblprops-");

describe("TBLPROPERTIES: CREATE TABLE … TBLPROPERTIES, ALTER TABLE SET/UNSET, SHOW TBLPROPERTIES", () => {
  test("set, replaced, unset; SHOW TBLPROPERTIES sorted by key, one key, a missing key; DESCRIBE EXTENDED's Table Properties", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT) USING parquet TBLPROPERTIES ('owner.team' = 'data', 'b' = 1)");
    await spark.sqlScript("ALTER TABLE t SET TBLPROPERTIES ('a.key' = 'x', 'b' = '2', 'password' = 'secret')");
    expect(await rowsOf(spark, "SHOW TBLPROPERTIES t")).toEqual([
      { key: "a.key", value: "x" }, { key: "b", value: "2" }, { key: "owner.team", value: "data" }, { key: "password", value: "*********(redacted)" },
    ]);
    expect(await rowsOf(spark, "SHOW TBLPROPERTIES default.t ('a.key')")).toEqual([{ key: "a.key", value: "x" }]);
    expect(await rowsOf(spark, "SHOW TBLPROPERTIES t (nope)")).toEqual([{ key: "nope", value: "Table spark_catalog.default.t does not have property: nope" }]);
    await spark.sqlScript("ALTER TABLE t UNSET TBLPROPERTIES ('password', b)");
    expect((await rowsOf(spark, "DESCRIBE EXTENDED t")).find((r) => r.col_name === "Table Properties")).toEqual({ col_name: "Table Properties", data_type: "[a.key=x, owner.team=data]", comment: "" });
    expect(await sqlError(spark, "ALTER TABLE t UNSET TBLPROPERTIES ('b', 'c')")).toBe(
      "[UNSET_NONEXISTENT_PROPERTIES] Attempted to unset non-existent properties [`b`, `c`] in table `spark_catalog`.`default`.`t`.",
    );
    await spark.sqlScript("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('b', 'a.key')");
    expect(await rowsOf(spark, "SHOW TBLPROPERTIES t")).toEqual([{ key: "owner.team", value: "data" }]);
    expect(await sqlError(spark, "ALTER TABLE t SET TBLPROPERTIES ('Location' = '/x')")).toBe("[UNSUPPORTED_FEATURE.SET_TABLE_PROPERTY] The feature is not supported: location is a reserved table property, please use the LOCATION clause to specify it.");
    expect(await sqlError(spark, "CREATE TABLE u (a INT) USING parquet TBLPROPERTIES (provider = 'json')")).toBe("[UNSUPPORTED_FEATURE.SET_TABLE_PROPERTY] The feature is not supported: provider is a reserved table property, please use the USING clause to specify it.");
    expect(spark.catalog.tableExists("u")).toBe(false);
    // DESCRIBE EXTENDED's rows in Spark's order: Provider, Comment, Table Properties, Statistics, Location.
    await spark.sqlScript("ALTER TABLE t SET TBLPROPERTIES ('comment' = 'the t'); ANALYZE TABLE t COMPUTE STATISTICS");
    const names = (await rowsOf(spark, "DESCRIBE EXTENDED t")).map((r) => r.col_name);
    expect(names.slice(names.indexOf("Provider"), names.indexOf("Location") + 1)).toEqual(["Provider", "Comment", "Table Properties", "Statistics", "Location"]);
    expect(spark.catalog.getTable("t").description).toBe("the t");
    await spark.sqlScript("ALTER TABLE t UNSET TBLPROPERTIES ('comment')");
    expect(spark.catalog.getTable("t").description).toBeNull();
    // A temporary view has no properties; ALTER TABLE … SET TBLPROPERTIES on it is refused.
    await spark.sqlScript("CREATE TEMPORARY VIEW v AS SELECT 1 AS a");
    expect(await rowsOf(spark, "SHOW TBLPROPERTIES v")).toEqual([]);
    expect(await sqlError(spark, "ALTER TABLE v SET TBLPROPERTIES ('k' = 'v')")).toBe("[EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW] 'ALTER TABLE ... SET TBLPROPERTIES' expects a table. `v` is a view. Please use ALTER VIEW instead.");
  });

  test("properties, the comment and a rename survive a new session over the same warehouse; DROP TABLE forgets them", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT COMMENT 'the a') USING parquet COMMENT 'kept'; ALTER TABLE t SET TBLPROPERTIES ('k' = 'v'); ALTER TABLE t RENAME TO t2");
    expect(existsSync(join(warehouse, "_rivulet_metadata", "t2.json"))).toBe(true);
    expect(existsSync(join(warehouse, "_rivulet_metadata", "t.json"))).toBe(false);
    const { spark: later } = await session(warehouse);
    await later.sqlScript("CREATE TABLE t2 (a INT) USING parquet");
    expect(await rowsOf(later, "SHOW TBLPROPERTIES t2")).toEqual([{ key: "k", value: "v" }]);
    expect(later.catalog.getTable("t2").description).toBe("kept");
    expect(await rowsOf(later, "DESCRIBE t2")).toEqual([{ col_name: "a", data_type: "int", comment: "the a" }]);
    // Another table over other files under the same name does not take them.
    const { spark: other } = await session(warehouse);
    const elsewhere = await tempDir("rivulet-tblprops-other-");
    await other.sqlScript(`CREATE TABLE t2 (a INT) USING parquet LOCATION '${elsewhere}'`);
    expect(await rowsOf(other, "SHOW TBLPROPERTIES t2")).toEqual([]);
    await later.sqlScript("DROP TABLE t2");
    expect(existsSync(join(warehouse, "_rivulet_metadata", "t2.json"))).toBe(false);
  });

  test("a later session's own TBLPROPERTIES replace the kept ones, for the sessions after it too; a damaged metadata file is ignored", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT) USING parquet TBLPROPERTIES ('k' = '1')");
    const { spark: second } = await session(warehouse);
    await second.sqlScript("CREATE TABLE t (a INT) USING parquet TBLPROPERTIES ('k' = '2')");
    expect(await rowsOf(second, "SHOW TBLPROPERTIES t")).toEqual([{ key: "k", value: "2" }]);
    const { spark: third } = await session(warehouse);
    await third.sqlScript("CREATE TABLE t (a INT) USING parquet");
    expect(await rowsOf(third, "SHOW TBLPROPERTIES t")).toEqual([{ key: "k", value: "2" }]);
    writeFileSync(join(warehouse, "_rivulet_metadata", "t.json"), "{\"version\": 1, \"locat");
    const { spark: fourth } = await session(warehouse);
    await fourth.sqlScript("CREATE TABLE t (a INT) USING parquet");
    expect(await rowsOf(fourth, "SHOW TBLPROPERTIES t")).toEqual([]);
  });
});

describe("SHOW CREATE TABLE", () => {
  test("Spark's layout: columns, USING, OPTIONS, PARTITIONED BY, COMMENT, LOCATION of an external table, TBLPROPERTIES", async () => {
    const { spark } = await session();
    const dir = await tempDir("rivulet-showcreate-");
    await spark.sqlScript(`
      CREATE TABLE m (a INT NOT NULL COMMENT 'it''s a', b STRING, \`c d\` DECIMAL(10,2)) USING parquet;
      CREATE TABLE e (x BIGINT, p STRING) USING csv OPTIONS (header 'true', sep ';') PARTITIONED BY (p) LOCATION '${dir}'
        COMMENT 'external one' TBLPROPERTIES ('z' = '1', 'a' = 'b')`);
    expect(await rowsOf(spark, "SHOW CREATE TABLE m")).toEqual([{
      createtab_stmt: "CREATE TABLE spark_catalog.default.m (\n  a INT NOT NULL COMMENT 'it\\'s a',\n  b STRING,\n  `c d` DECIMAL(10,2))\nUSING parquet\n",
    }]);
    expect(await rowsOf(spark, "SHOW CREATE TABLE default.e")).toEqual([{
      createtab_stmt: `CREATE TABLE spark_catalog.default.e (\n  x BIGINT,\n  p STRING)\nUSING csv\nOPTIONS (\n  'header' = 'true',\n  'sep' = ';')\nPARTITIONED BY (p)\nCOMMENT 'external one'\nLOCATION 'file:${dir}'\nTBLPROPERTIES (\n  'a' = 'b',\n  'z' = '1')\n`,
    }]);
    await spark.sqlScript("CREATE TEMPORARY VIEW tv AS SELECT 1 AS a");
    expect(await sqlError(spark, "SHOW CREATE TABLE tv")).toBe("[EXPECT_PERMANENT_VIEW_NOT_TEMP] 'SHOW CREATE TABLE' expects a permanent view but `tv` is a temp view.");
    expect(await sqlError(spark, "SHOW CREATE TABLE nope")).toContain("[TABLE_OR_VIEW_NOT_FOUND]");
  });

  test("its statement creates the same table again (a round trip in a new session)", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, b STRING COMMENT 'bee') USING json TBLPROPERTIES ('k' = 'v')");
    const [{ createtab_stmt: text }] = await rowsOf(spark, "SHOW CREATE TABLE t") as [{ createtab_stmt: string }];
    const { spark: fresh } = await session();
    await fresh.sqlScript(text);
    expect(await rowsOf(fresh, "SHOW CREATE TABLE t")).toEqual([{ createtab_stmt: text }]);
  });
});

describe("views: ALTER VIEW … SET/UNSET TBLPROPERTIES, SHOW TBLPROPERTIES, SHOW CREATE TABLE", () => {
  test("a CREATE VIEW view keeps its text and properties (through ALTER VIEW … AS and a rename); a temporary view and a table are refused as Spark", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, b STRING) USING parquet; CREATE VIEW v (x, y) AS SELECT a, b FROM t; CREATE TEMPORARY VIEW tv AS SELECT 1 AS a");
    await spark.sqlScript("ALTER VIEW v SET TBLPROPERTIES ('b' = '2', 'a' = '1'); ALTER VIEW v UNSET TBLPROPERTIES ('b')");
    expect(await rowsOf(spark, "SHOW TBLPROPERTIES v")).toEqual([{ key: "a", value: "1" }]);
    expect(await rowsOf(spark, "SHOW CREATE TABLE v")).toEqual([{ createtab_stmt: "CREATE VIEW spark_catalog.default.v (\n  x,\n  y)\nTBLPROPERTIES (\n  'a' = '1')\nAS SELECT a, b FROM t\n" }]);
    await spark.sqlScript("ALTER VIEW v AS SELECT b AS only FROM t; ALTER VIEW v RENAME TO w");
    expect(await rowsOf(spark, "SHOW CREATE TABLE w")).toEqual([{ createtab_stmt: "CREATE VIEW spark_catalog.default.w (\n  only)\nTBLPROPERTIES (\n  'a' = '1')\nAS SELECT b AS only FROM t\n" }]);
    expect(await sqlError(spark, "ALTER VIEW tv SET TBLPROPERTIES ('k' = 'v')")).toBe("[EXPECT_PERMANENT_VIEW_NOT_TEMP] 'ALTER VIEW ... SET TBLPROPERTIES' expects a permanent view but `tv` is a temp view.");
    expect(await sqlError(spark, "ALTER VIEW t SET TBLPROPERTIES ('k' = 'v')")).toBe("[EXPECT_VIEW_NOT_TABLE.USE_ALTER_TABLE] The table `spark_catalog`.`default`.`t` does not support ALTER VIEW ... SET TBLPROPERTIES. Please use ALTER TABLE instead.");
    expect(await sqlError(spark, "ALTER TABLE w UNSET TBLPROPERTIES ('a')")).toBe("[EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW] 'ALTER TABLE ... UNSET TBLPROPERTIES' expects a table. `w` is a view. Please use ALTER VIEW instead.");
    expect(await sqlError(spark, "ALTER VIEW w UNSET TBLPROPERTIES ('zz')")).toBe("[UNSET_NONEXISTENT_PROPERTIES] Attempted to unset non-existent properties [`zz`] in table `spark_catalog`.`default`.`w`.");
  });
});

describe("SHOW COLUMNS", () => {
  test("IN t [IN db], and FROM", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, b STRING) USING parquet");
    expect(await rowsOf(spark, "SHOW COLUMNS IN t IN default")).toEqual([{ col_name: "a" }, { col_name: "b" }]);
    expect(await rowsOf(spark, "SHOW COLUMNS FROM default.t")).toEqual([{ col_name: "a" }, { col_name: "b" }]);
  });
});
