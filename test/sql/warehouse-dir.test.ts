import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { managedTableDir, warehouseDir } from "../../src/sql/table-location.ts";
import { warehouseSessions } from "./warehouse-session.ts";

const { session, rowsOf, sqlError, tempDir } = warehouseSessions("warehouse-dir", "rivulet-warehouse-dir-");

const conf = (value: string | undefined): { get(key: string): string | undefined } => ({ get: (key) => (key === "spark.sql.warehouse.dir" ? value : undefined) });

describe("spark.sql.warehouse.dir: one rule for every statement that puts or finds a managed table", () => {
  test("the default, a relative path, an absolute path, file: URIs in Spark's forms", () => {
    expect(warehouseDir(undefined)).toBe(join(process.cwd(), "spark-warehouse"));
    expect(warehouseDir(conf(undefined))).toBe(join(process.cwd(), "spark-warehouse"));
    expect(warehouseDir(conf("wh/x"))).toBe(join(process.cwd(), "wh", "x"));
    expect(warehouseDir(conf("/tmp/wh"))).toBe("/tmp/wh");
    for (const uri of ["file:/tmp/wh", "file:///tmp/wh", "FILE:/tmp/wh/", "file://localhost/tmp/wh"]) expect(warehouseDir(conf(uri))).toBe("/tmp/wh");
    expect(warehouseDir(conf("file:/tmp/my%20wh"))).toBe("/tmp/my wh");
    expect(managedTableDir("/tmp/wh", "spark_catalog.default.MyTable")).toBe("/tmp/wh/mytable");
  });

  test("a warehouse set as a file: URI: tables are made, found managed, renamed and refused in its directory, none under the working directory", async () => {
    for (const form of [(d: string) => pathToFileURL(d).href, (d: string) => `file:${d}`]) {
      const dir = await tempDir("rivulet-warehouse-uri-");
      const setting = form(dir);
      const { spark } = await session(setting);
      await spark.sqlScript("CREATE TABLE t (a INT) USING json; INSERT INTO t VALUES (1)");
      expect(readdirSync(join(dir, "t")).some((f) => f.endsWith(".json"))).toBe(true);
      const details = Object.fromEntries((await rowsOf(spark, "DESCRIBE EXTENDED t")).map((r) => [r.col_name, r.data_type]));
      expect(details.Type).toBe("MANAGED");
      expect(details.Location).toBe(`file:${join(dir, "t")}`);
      expect(((await rowsOf(spark, "SHOW CREATE TABLE t")) as [{ createtab_stmt: string }])[0].createtab_stmt).not.toContain("LOCATION");
      const { spark: later } = await session(setting);
      expect(await sqlError(later, "CREATE TABLE T USING json AS SELECT 2 AS a")).toMatch(/^\[LOCATION_ALREADY_EXISTS\] .*'file:.*\/t' already exists/);
      await spark.sqlScript("ALTER TABLE t RENAME TO u");
      expect(existsSync(join(dir, "t"))).toBe(false);
      expect(await rowsOf(spark, "SELECT a FROM u")).toEqual([{ a: 1 }]);
      // The Catalog API and the kept table properties read the same directory.
      expect(spark.catalog.getTable("u").tableType).toBe("MANAGED");
      expect(spark.catalog.getDatabase("default").locationUri).toBe(`file:${dir}`);
      await spark.sqlScript("ALTER TABLE u SET TBLPROPERTIES ('team' = 'etl')");
      expect(readdirSync(join(dir, "_rivulet_metadata"))).toContain("u.json");
      expect(existsSync(join(process.cwd(), "file:"))).toBe(false);
    }
  });

  test("CTAS under a qualified name finds the files of the directory it would write: LOCATION_ALREADY_EXISTS", async () => {
    const { spark, warehouse } = await session();
    mkdirSync(join(warehouse, "t2"), { recursive: true });
    writeFileSync(join(warehouse, "t2", "part-0.json"), '{"a":1}\n');
    for (const name of ["default.T2", "spark_catalog.default.t2", "T2"]) {
      expect(await sqlError(spark, `CREATE TABLE ${name} USING json AS SELECT 1 AS a`)).toMatch(/^\[LOCATION_ALREADY_EXISTS\] .*'file:.*t2' already exists/);
    }
  });
});
