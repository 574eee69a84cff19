import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, StructType, IntegerType, StringType } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

// spark.catalog as Spark 3.5's Catalog: Table / Column / Database / Function records, qualified
// names, Spark's error classes, and createTable over files.
const dirs = tempDirs();

async function sessionWithWarehouse(): Promise<Session> {
  const spark = Session.builder().getOrCreate().newSession();
  spark.conf.set("spark.sql.warehouse.dir", await dirs("rivulet-catalog-wh-"));
  return spark;
}

async function jsonDir(rows: readonly Record<string, unknown>[]): Promise<string> {
  const dir = await dirs("rivulet-catalog-json-");
  await writeFile(join(dir, "part-0.json"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return dir;
}

describe("spark.catalog: tables and views", () => {
  test("listTables gives Spark's Table records: temporary views with no catalog, CREATE TABLE tables in spark_catalog.default", async () => {
    const spark = await sessionWithWarehouse();
    spark.createDataFrame([{ a: 1 }], "a INT").createOrReplaceTempView("Clicks");
    const dir = await jsonDir([{ id: 1, name: "x" }]);
    spark.sql(`CREATE TABLE events (id INT, name STRING) USING json OPTIONS (path '${dir}')`);
    spark.sql("CREATE TABLE managed_one (id INT) USING json");
    expect(spark.catalog.listTables()).toEqual([
      { name: "events", catalog: "spark_catalog", namespace: ["default"], description: null, tableType: "EXTERNAL", isTemporary: false, database: "default" },
      { name: "managed_one", catalog: "spark_catalog", namespace: ["default"], description: null, tableType: "MANAGED", isTemporary: false, database: "default" },
      { name: "clicks", catalog: null, namespace: [], description: null, tableType: "TEMPORARY", isTemporary: true, database: null },
    ]);
    expect(spark.catalog.listTables("default", "ev*|cl*").map((t) => t.name)).toEqual(["events", "clicks"]);
    expect(spark.catalog.listTables(undefined, "nothing*")).toEqual([]);
    expect(() => spark.catalog.listTables("sales")).toThrow(/\[SCHEMA_NOT_FOUND\] The schema `sales` cannot be found/);
  });

  test("a memory sink's table is temporary, as Spark's memory sink registers a temp view; a CREATE TABLE … USING memory table stays one table", async () => {
    const spark = await sessionWithWarehouse();
    const input = new MemoryStream<{ v: number }>(spark, "v INT");
    const query = input.toDF().writeStream.format("memory").queryName("sink_rows").start();
    input.addData([{ v: 1 }]);
    await query.processAllAvailable();
    spark.sql("CREATE TABLE mem_table (v INT) USING memory");
    try {
      expect(spark.catalog.listTables().map((t) => [t.name, t.tableType])).toEqual([["mem_table", "MANAGED"], ["sink_rows", "TEMPORARY"]]);
      expect(spark.catalog.getTable("sink_rows").isTemporary).toBe(true);
      expect(spark.catalog.listColumns("sink_rows").map((c) => c.name)).toEqual(["v"]);
    } finally {
      await query.stop();
    }
  });

  test("getTable, tableExists with plain, qualified and backquoted names; a temporary view is in no database", async () => {
    const spark = await sessionWithWarehouse();
    spark.createDataFrame([{ a: 1 }], "a INT").createOrReplaceTempView("v");
    spark.sql(`CREATE TABLE t (id INT) USING json OPTIONS (path '${await jsonDir([{ id: 1 }])}')`);
    expect(spark.catalog.getTable("t").tableType).toBe("EXTERNAL");
    expect(spark.catalog.getTable("default.t").name).toBe("t");
    expect(spark.catalog.getTable("spark_catalog.default.t").namespace).toEqual(["default"]);
    expect(spark.catalog.getTable("default", "t").catalog).toBe("spark_catalog");
    expect(spark.catalog.getTable("`v`").isTemporary).toBe(true);
    expect(spark.catalog.tableExists("t")).toBe(true);
    expect(spark.catalog.tableExists("t", "default")).toBe(true);
    expect(spark.catalog.tableExists("v")).toBe(true);
    expect(spark.catalog.tableExists("v", "default")).toBe(false);
    expect(spark.catalog.tableExists("t", "no_such_db")).toBe(false);
    expect(() => spark.catalog.getTable("nope")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `nope` cannot be found/);
    expect(() => spark.catalog.getTable("default.v")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `default.v` cannot be found/);
    expect(() => spark.catalog.getTable("other_catalog.default.t")).toThrow(/\[CATALOG_NOT_FOUND\] The catalog `other_catalog` not found/);
  });

  test("listColumns: Column records of a view and of a table of files", async () => {
    const spark = await sessionWithWarehouse();
    spark.createDataFrame([{ a: 1, tags: ["x"] }], "a INT NOT NULL, tags ARRAY<STRING>").createOrReplaceTempView("cols_view");
    expect(spark.catalog.listColumns("cols_view")).toEqual([
      { name: "a", description: null, dataType: "int", nullable: false, isPartition: false, isBucket: false },
      { name: "tags", description: null, dataType: "array<string>", nullable: true, isPartition: false, isBucket: false },
    ]);
    spark.sql(`CREATE TABLE people (id BIGINT, name STRING) USING json OPTIONS (path '${await jsonDir([{ id: 1, name: "a" }])}')`);
    expect(spark.catalog.listColumns("people", "default").map((c) => `${c.name}:${c.dataType}`)).toEqual(["id:bigint", "name:string"]);
    expect(() => spark.catalog.listColumns("missing")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });

  test("dropTempView, dropGlobalTempView, and the cache calls by name", async () => {
    const spark = await sessionWithWarehouse();
    spark.createDataFrame([{ a: 1 }, { a: 2 }], "a INT").createOrReplaceTempView("nums");
    spark.catalog.cacheTable("nums", "MEMORY_ONLY");
    expect(spark.catalog.isCached("nums")).toBe(true);
    expect(await spark.table("nums").count()).toBe(2);
    expect(spark.catalog.cacheManager.materializedCount).toBe(1);
    spark.catalog.refreshTable("nums");
    expect(spark.catalog.cacheManager.materializedCount).toBe(0);
    expect(spark.catalog.isCached("nums")).toBe(true);
    expect(await spark.table("nums").count()).toBe(2);
    spark.catalog.refreshByPath("/anything");
    expect(spark.catalog.cacheManager.materializedCount).toBe(0);
    spark.catalog.uncacheTable("nums");
    expect(spark.catalog.isCached("nums")).toBe(false);
    spark.catalog.cacheTable("nums");
    spark.catalog.clearCache();
    expect(spark.catalog.isCached("nums")).toBe(false);
    expect(() => spark.catalog.refreshTable("gone")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(spark.catalog.dropTempView("nums")).toBe(true);
    expect(spark.catalog.dropTempView("nums")).toBe(false);
    expect(spark.catalog.dropGlobalTempView("nums")).toBe(false);
  });
});

describe("spark.catalog: catalogs, databases, functions", () => {
  test("one catalog and one database, with Spark's errors for others", async () => {
    const spark = await sessionWithWarehouse();
    expect(spark.catalog.currentCatalog()).toBe("spark_catalog");
    expect(spark.catalog.listCatalogs()).toEqual([{ name: "spark_catalog", description: null }]);
    spark.catalog.setCurrentCatalog("spark_catalog");
    expect(() => spark.catalog.setCurrentCatalog("hive")).toThrow(/\[CATALOG_NOT_FOUND\] The catalog `hive` not found/);
    expect(spark.catalog.currentDatabase()).toBe("default");
    spark.catalog.setCurrentDatabase("default");
    expect(() => spark.catalog.setCurrentDatabase("sales")).toThrow(/\[SCHEMA_NOT_FOUND\] The schema `sales` cannot be found/);
    const [db] = spark.catalog.listDatabases();
    expect([db!.name, db!.catalog, db!.description]).toEqual(["default", "spark_catalog", "default database"]);
    expect(db!.locationUri).toMatch(/^file:\/.*rivulet-catalog-wh-/);
    expect(spark.catalog.listDatabases("def*")).toHaveLength(1);
    expect(spark.catalog.listDatabases("x*")).toEqual([]);
    expect(spark.catalog.databaseExists("default")).toBe(true);
    expect(spark.catalog.databaseExists("spark_catalog.default")).toBe(true);
    expect(spark.catalog.databaseExists("sales")).toBe(false);
    expect(() => spark.catalog.getDatabase("sales")).toThrow(/\[SCHEMA_NOT_FOUND\]/);
  });

  test("listFunctions, functionExists, getFunction: built-in functions and registered UDFs", async () => {
    const spark = await sessionWithWarehouse();
    spark.udf.register("catalog_slug", (s: string) => s.toLowerCase(), "string");
    const names = spark.catalog.listFunctions().map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["abs", "count", "explode", "row_number", "catalog_slug"]));
    expect(names.some((n) => n.includes("$"))).toBe(false);
    expect(spark.catalog.listFunctions(undefined, "array_*").every((f) => f.name.startsWith("array_"))).toBe(true);
    const lower = spark.catalog.getFunction("LOWER");
    expect(lower).toMatchObject({ name: "lower", catalog: null, namespace: null, isTemporary: true, className: "rivulet.scalar.lower" });
    expect(lower.description).toBe("lower(str) - Returns `str` with all characters changed to lowercase.");
    expect(spark.catalog.getFunction("catalog_slug").className).toBe("rivulet.udf");
    expect(spark.catalog.functionExists("abs")).toBe(true);
    expect(spark.catalog.functionExists("catalog_slug")).toBe(true);
    expect(spark.catalog.functionExists("no_such_fn")).toBe(false);
    expect(spark.catalog.functionExists("abs", "default")).toBe(false);
    expect(() => spark.catalog.getFunction("no_such_fn")).toThrow(/\[UNRESOLVED_ROUTINE\] Cannot resolve routine `no_such_fn`/);
    expect(() => spark.catalog.getFunction("default", "abs")).toThrow(/\[ROUTINE_NOT_FOUND\] The function `default`.`abs` cannot be found/);
  });
});

describe("spark.catalog.createTable", () => {
  test("over a path (EXTERNAL), with a source, schema and description; returns the table, which SQL reads too", async () => {
    const spark = await sessionWithWarehouse();
    const dir = await jsonDir([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
    const df = spark.catalog.createTable("people", "json", new StructType([{ name: "id", dataType: IntegerType, nullable: true }, { name: "name", dataType: StringType, nullable: true }]), "people we know", { path: dir });
    expect(df.columns).toEqual(["id", "name"]);
    expect(await df.filter(col("id").gt(1)).collect()).toEqual([{ id: 2, name: "b" }]);
    expect(spark.catalog.getTable("people")).toMatchObject({ tableType: "EXTERNAL", description: "people we know" });
    expect(await spark.sql("SELECT count(*) AS n FROM people").collect()).toEqual([{ n: 2 }]);
    expect(() => spark.catalog.createTable("people", dir, "json")).toThrow(/\[TABLE_OR_VIEW_ALREADY_EXISTS\]/);
  });

  test("Scala's (name, path, source) and PySpark's keywords; createExternalTable; a managed table lives in the warehouse", async () => {
    const spark = await sessionWithWarehouse();
    const dir = await jsonDir([{ k: "x" }]);
    expect(await spark.catalog.createTable("by_path", dir, "json").collect()).toEqual([{ k: "x" }]);
    expect(await spark.catalog.createExternalTable("legacy", dir, "json").count()).toBe(1);
    expect(spark.catalog.getTable("legacy").tableType).toBe("EXTERNAL");
    const kw = spark.catalog.createTable("kw", { source: "csv", schema: "k STRING, n INT", header: "true" });
    expect(kw.schema.simpleString()).toBe("struct<k:string,n:int>");
    expect(spark.catalog.getTable("kw").tableType).toBe("MANAGED");
    expect(spark.catalog.tableDefinition("kw")!.options).toMatchObject({ header: "true" });
    expect(spark.catalog.tableDefinition("kw")!.options.path).toMatch(/rivulet-catalog-wh-.*\/kw$/);
    expect(() => spark.catalog.createTable("bad", 42 as never)).toThrow(/expected \(path\), \(path, source\)/);
    expect(() => spark.catalog.createTable("sales.t", dir, "json")).toThrow(/\[SCHEMA_NOT_FOUND\]/);
  });

  test("a table whose files cannot be read is not created; recoverPartitions on tables, views and missing names", async () => {
    const spark = await sessionWithWarehouse();
    const empty = await dirs("rivulet-catalog-empty-");
    expect(() => spark.catalog.createTable("no_files", empty, "json")).toThrow();
    expect(spark.catalog.tableExists("no_files")).toBe(false);
    const root = await dirs("rivulet-catalog-parts-");
    await mkdir(join(root, "day=1"));
    await writeFile(join(root, "day=1", "a.json"), '{"v": 1}\n');
    spark.catalog.createTable("parted", root, "json");
    spark.catalog.recoverPartitions("parted");
    await mkdir(join(root, "day=2"));
    await writeFile(join(root, "day=2", "b.json"), '{"v": 2}\n');
    spark.catalog.recoverPartitions("parted");
    expect((await spark.table("parted").orderBy(col("v")).collect()).map((r) => [r.v, r.day])).toEqual([[1, 1], [2, 2]]);
    spark.createDataFrame([{ a: 1 }], "a INT").createOrReplaceTempView("pv");
    expect(() => spark.catalog.recoverPartitions("pv")).toThrow(/\[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE\]/);
    expect(() => spark.catalog.recoverPartitions("nope")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
    spark.sql("CREATE TABLE sink_only (a INT) USING memory");
    expect(() => spark.catalog.recoverPartitions("sink_only")).toThrow(/only works on table with location provided/);
  });
});
