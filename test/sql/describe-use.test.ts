import { describe, expect, test } from "vitest";
import { join } from "node:path";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("describe-use").getOrCreate();
const tempDir = tempDirs(base);

describe("DESCRIBE TABLE EXTENDED, DESCRIBE QUERY, USE, SHOW DATABASES", () => {
  test("DESCRIBE [TABLE] EXTENDED | FORMATTED t: the columns, an empty row, then Spark's # Detailed Table Information block", async () => {
    const spark = base.newSession();
    const warehouse = await tempDir("rivulet-describe-");
    spark.conf.set("spark.sql.warehouse.dir", warehouse);
    const external = await tempDir("rivulet-describe-logs-");
    await spark.sqlScript(`
      CREATE TABLE people (id BIGINT, name STRING) USING parquet;
      CREATE TABLE logs (line STRING) USING csv LOCATION '${external}' OPTIONS (header 'true');
    `);
    const rows = await spark.sql("DESCRIBE TABLE EXTENDED people").collect();
    expect(spark.sql("DESC EXTENDED people").columns).toEqual(["col_name", "data_type", "comment"]);
    expect(rows.slice(0, 4)).toEqual([
      { col_name: "id", data_type: "bigint", comment: null },
      { col_name: "name", data_type: "string", comment: null },
      { col_name: "", data_type: "", comment: "" },
      { col_name: "# Detailed Table Information", data_type: "", comment: "" },
    ]);
    const info = Object.fromEntries(rows.slice(4).map((r) => [r.col_name, r.data_type]));
    expect(Object.keys(info)).toEqual(["Catalog", "Database", "Table", "Owner", "Created Time", "Last Access", "Created By", "Type", "Provider", "Location"]);
    expect(info).toMatchObject({ Catalog: "spark_catalog", Database: "default", Table: "people", Type: "MANAGED", Provider: "parquet", Location: `file:${join(warehouse, "people")}` });
    expect(info["Created Time"]).toMatch(/^\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}$/);
    const logs = Object.fromEntries((await spark.sql("DESCRIBE FORMATTED logs").collect()).map((r) => [r.col_name, r.data_type]));
    expect(logs).toMatchObject({ Type: "EXTERNAL", Provider: "csv", Location: `file:${external}`, "Storage Properties": "[header=true]" });
    // A temporary view, and DESCRIBE without EXTENDED: the columns only.
    spark.sql("CREATE TEMPORARY VIEW v AS SELECT 1 AS a");
    expect(await spark.sql("DESCRIBE EXTENDED v").collect()).toEqual([{ col_name: "a", data_type: "int", comment: null }]);
    expect(await spark.sql("DESCRIBE people").count()).toBe(2);
  });

  test("DESCRIBE [QUERY] SELECT …: the query's columns", async () => {
    const spark = base.newSession();
    expect(await spark.sql("DESCRIBE QUERY SELECT 1 AS a, 'x' || 'y' AS b, 1.5 AS c").collect()).toEqual([
      { col_name: "a", data_type: "int", comment: null },
      { col_name: "b", data_type: "string", comment: null },
      { col_name: "c", data_type: "decimal(2,1)", comment: null },
    ]);
    expect(await spark.sql("DESC SELECT 1L AS n").collect()).toEqual([{ col_name: "n", data_type: "bigint", comment: null }]);
  });

  test("USE default (and spark_catalog.default, USE SCHEMA default); any other schema is [SCHEMA_NOT_FOUND]", () => {
    const spark = base.newSession();
    expect(spark.sql("USE default").columns).toEqual([]);
    spark.sql("USE spark_catalog.default");
    spark.sql("USE SCHEMA default");
    spark.sql("USE NAMESPACE default");
    expect(() => spark.sql("USE sales")).toThrow("[SCHEMA_NOT_FOUND] The schema `sales` cannot be found.");
  });

  test("SHOW DATABASES | SCHEMAS | NAMESPACES [LIKE 'pattern']: one `namespace` column", async () => {
    const spark = base.newSession();
    expect(await spark.sql("SHOW DATABASES").collect()).toEqual([{ namespace: "default" }]);
    expect(await spark.sql("SHOW SCHEMAS LIKE 'def*'").collect()).toEqual([{ namespace: "default" }]);
    expect(await spark.sql("SHOW NAMESPACES LIKE 'x|y'").collect()).toEqual([]);
    expect(await spark.sql("SHOW DATABASES IN spark_catalog").collect()).toEqual([{ namespace: "default" }]);
  });
});
