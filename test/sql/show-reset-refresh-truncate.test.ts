import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

/** Spark's SHOW TABLES/VIEWS with a database and a pattern, RESET, REFRESH TABLE and TRUNCATE TABLE. */
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "rivulet-show-truncate-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function freshSession(): Promise<Session> {
  Session.clearActiveSession();
  const spark = Session.builder().appName("show-reset-truncate").config("spark.sql.shuffle.partitions", "3").getOrCreate();
  spark.conf.set("spark.sql.warehouse.dir", await tempDir());
  return spark;
}

describe("SHOW TABLES and SHOW VIEWS", () => {
  test("IN default, LIKE with * and |, a pattern without LIKE; CREATE VIEW views in default, temporary ones in no namespace", async () => {
    const spark = await freshSession();
    await spark.sqlScript(`
      CREATE TABLE sales_2024 (id INT) USING parquet;
      CREATE TABLE sales_2025 (id INT) USING parquet;
      CREATE TABLE costs (id INT) USING parquet;
      CREATE VIEW sales_view AS SELECT 1 AS id;
      CREATE TEMPORARY VIEW sales_temp AS SELECT 2 AS id;`);
    expect(await spark.sql("SHOW TABLES IN default LIKE 'sales*'").collect()).toEqual([
      { namespace: "default", tableName: "sales_2024", isTemporary: false },
      { namespace: "default", tableName: "sales_2025", isTemporary: false },
      { namespace: "default", tableName: "sales_view", isTemporary: false },
      { namespace: "", tableName: "sales_temp", isTemporary: true },
    ]);
    expect((await spark.sql("SHOW TABLES FROM default 'COSTS|*2025'").collect()).map((r) => r.tableName)).toEqual(["costs", "sales_2025"]);
    expect(await spark.sql("SHOW VIEWS LIKE 'sales*'").collect()).toEqual([
      { namespace: "default", viewName: "sales_view", isTemporary: false },
      { namespace: "", viewName: "sales_temp", isTemporary: true },
    ]);
    // The DataFrame form (spark.catalog) agrees: a CREATE VIEW view is a VIEW of `default`, not a temporary one.
    expect(spark.catalog.listTables(undefined, "sales*").map((t) => [t.name, t.namespace.join("."), t.tableType, t.isTemporary])).toEqual([
      ["sales_2024", "default", "MANAGED", false], ["sales_2025", "default", "MANAGED", false], ["sales_view", "default", "VIEW", false], ["sales_temp", "", "TEMPORARY", true],
    ]);
    expect(spark.catalog.getTable("default.sales_view").tableType).toBe("VIEW");
    expect(() => spark.sql("SHOW TABLES IN sales_db")).toThrow("[SCHEMA_NOT_FOUND] The schema `sales_db` cannot be found.");
    expect(() => spark.sql("SHOW VIEWS IN sales_db")).toThrow("[SCHEMA_NOT_FOUND] The schema `sales_db` cannot be found.");
  });
});

describe("RESET", () => {
  test("RESET key and RESET: back to the builder's settings, then to the defaults", async () => {
    const spark = await freshSession();
    const warehouse = spark.conf.get("spark.sql.warehouse.dir");
    await spark.sqlScript("SET spark.sql.shuffle.partitions = 7; SET spark.sql.session.timeZone = Asia/Tokyo");
    await spark.sqlScript("RESET spark.sql.session.timeZone");
    expect(spark.conf.get("spark.sql.session.timeZone")).not.toBe("Asia/Tokyo");
    expect(spark.conf.get("spark.sql.shuffle.partitions")).toBe("7");
    await spark.sqlScript("RESET");
    // The builder's config(…) is the session's own: RESET keeps it (as Spark keeps its SparkConf).
    expect(spark.conf.get("spark.sql.shuffle.partitions")).toBe("3");
    // What was set after the session was built (here, the warehouse) goes back to its default.
    expect(spark.conf.get("spark.sql.warehouse.dir")).not.toBe(warehouse);
  });
});

describe("REFRESH TABLE", () => {
  test("a cached table's rows are computed again after files arrive; an unknown table is not found", async () => {
    const spark = await freshSession();
    const dir = await tempDir();
    await writeFile(join(dir, "a.json"), '{"id":1}\n');
    await spark.sqlScript(`CREATE TABLE events (id INT) USING json LOCATION '${dir}'; CACHE TABLE events`);
    expect(await spark.sql("SELECT count(*) AS n FROM events").collect()).toEqual([{ n: 1 }]);
    await writeFile(join(dir, "b.json"), '{"id":2}\n');
    expect(await spark.sql("SELECT count(*) AS n FROM events").collect()).toEqual([{ n: 1 }]);
    await spark.sqlScript("REFRESH TABLE events");
    expect(await spark.sql("SELECT count(*) AS n FROM events").collect()).toEqual([{ n: 2 }]);
    expect(() => spark.sql("REFRESH TABLE no_such_events")).toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
  });
});

describe("TRUNCATE TABLE", () => {
  test("a managed table loses its rows and keeps its definition; a partition spec truncates those partitions only", async () => {
    const spark = await freshSession();
    await spark.sqlScript(`
      CREATE TABLE visits (id INT, page STRING) USING parquet;
      INSERT INTO visits VALUES (1, 'a'), (2, 'b');
      CREATE TABLE by_day (id INT, day STRING) USING json PARTITIONED BY (day);
      INSERT INTO by_day VALUES (1, 'mon'), (2, 'tue'), (3, 'tue');`);
    await spark.sqlScript("TRUNCATE TABLE visits");
    expect(await spark.sql("SELECT * FROM visits").collect()).toEqual([]);
    await spark.sqlScript("INSERT INTO visits VALUES (3, 'c')");
    expect(await spark.sql("SELECT * FROM visits").collect()).toEqual([{ id: 3, page: "c" }]);

    await spark.sqlScript("TRUNCATE TABLE by_day PARTITION (day = 'tue')");
    expect(await spark.sql("SELECT id, day FROM by_day").collect()).toEqual([{ id: 1, day: "mon" }]);
    expect(await spark.sql("SHOW PARTITIONS by_day").collect()).toEqual([{ partition: "day=mon" }]);
  });

  test("views, external tables and a partition spec on an unpartitioned table are refused with Spark's errors, and nothing is deleted", async () => {
    const spark = await freshSession();
    const dir = await tempDir();
    await spark.sqlScript(`
      CREATE TABLE outside (id INT) USING json LOCATION '${dir}';
      INSERT INTO outside VALUES (1);
      CREATE TABLE plain (id INT) USING parquet;
      CREATE TEMPORARY VIEW tv AS SELECT 1 AS id;`);
    await expect(spark.sqlScript("TRUNCATE TABLE outside")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_1266] Operation not allowed: TRUNCATE TABLE on external tables: `spark_catalog`.`default`.`outside`.");
    expect((await readdir(dir)).length).toBeGreaterThan(0);
    await expect(spark.sqlScript("TRUNCATE TABLE tv")).rejects.toThrow("[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'TRUNCATE TABLE' expects a table. `tv` is a view.");
    await expect(spark.sqlScript("TRUNCATE TABLE plain PARTITION (id = 1)")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_1267] Operation not allowed: TRUNCATE TABLE ... PARTITION is not supported for tables that are not partitioned: `spark_catalog`.`default`.`plain`.");
    await expect(spark.sqlScript("TRUNCATE TABLE missing")).rejects.toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
  });
});
