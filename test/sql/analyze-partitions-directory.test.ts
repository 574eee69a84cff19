import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { warehouseSessions } from "./warehouse-session.ts";

const { session, rowsOf, sqlError, tempDir } = warehouseSessions("analyze-partitions", "rivulet-analyze-");

/** The bytes of the data files under `dir` (not hidden or `_` ones), as Spark counts a table's size. */
async function dataBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name.startsWith("_")) continue;
    total += e.isDirectory() ? await dataBytes(join(dir, e.name)) : (await stat(join(dir, e.name))).size;
  }
  return total;
}

const statisticsRow = async (spark: Session, table: string): Promise<unknown> => (await rowsOf(spark, `DESCRIBE EXTENDED ${table}`)).find((r) => r.col_name === "Statistics")?.data_type;

describe("ANALYZE TABLE … COMPUTE STATISTICS", () => {
  test("size and row count in DESCRIBE EXTENDED's Statistics row; NOSCAN keeps the count while the size holds; an INSERT drops them; a new session sees them", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, b STRING) USING parquet; INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    expect(await statisticsRow(spark, "t")).toBeUndefined();
    await spark.sqlScript("ANALYZE TABLE t COMPUTE STATISTICS");
    const size = await dataBytes(join(warehouse, "t"));
    expect(size).toBeGreaterThan(0);
    expect(await statisticsRow(spark, "t")).toBe(`${size} bytes, 3 rows`);
    await spark.sqlScript("ANALYZE TABLE default.t COMPUTE STATISTICS NOSCAN");
    expect(await statisticsRow(spark, "t")).toBe(`${size} bytes, 3 rows`);
    const { spark: later } = await session(warehouse);
    await later.sqlScript("CREATE TABLE t (a INT, b STRING) USING parquet");
    expect(await statisticsRow(later, "t")).toBe(`${size} bytes, 3 rows`);
    await later.sqlScript("INSERT INTO t VALUES (4, 'w')");
    expect(await statisticsRow(later, "t")).toBeUndefined();
    await later.sqlScript("ANALYZE TABLE t COMPUTE STATISTICS NOSCAN");
    expect(await statisticsRow(later, "t")).toBe(`${await dataBytes(join(warehouse, "t"))} bytes`);
    await later.sqlScript("ANALYZE TABLE t COMPUTE STATISTICS FOR COLUMNS a, b");
    expect(await statisticsRow(later, "t")).toBe(`${await dataBytes(join(warehouse, "t"))} bytes, 4 rows`);
    // With spark.sql.statistics.size.autoUpdate.enabled a write records the new size (and no row count).
    later.conf.set("spark.sql.statistics.size.autoUpdate.enabled", "true");
    await later.sqlScript("INSERT INTO t VALUES (5, 'v')");
    const grown = await dataBytes(join(warehouse, "t"));
    expect(await statisticsRow(later, "t")).toBe(`${grown} bytes`);
    await later.sqlScript("TRUNCATE TABLE t");
    expect(await statisticsRow(later, "t")).toBe("0 bytes");
  });

  test("a view, an unknown column and a missing table are refused", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT) USING parquet; CREATE TEMPORARY VIEW v AS SELECT 1 AS a");
    expect(await sqlError(spark, "ANALYZE TABLE v COMPUTE STATISTICS")).toBe("ANALYZE TABLE is not supported on views.");
    expect(await sqlError(spark, "ANALYZE TABLE t COMPUTE STATISTICS FOR COLUMNS nope")).toBe(
      "[COLUMN_NOT_FOUND] The column `nope` cannot be found. Verify the spelling and correctness of the column name according to the SQL config spark.sql.caseSensitive.",
    );
    expect(await sqlError(spark, "ANALYZE TABLE nope COMPUTE STATISTICS")).toContain("[TABLE_OR_VIEW_NOT_FOUND]");
    await spark.sqlScript("ANALYZE TABLE t COMPUTE STATISTICS FOR ALL COLUMNS");
    expect(await statisticsRow(spark, "t")).toBe("0 bytes, 0 rows");
  });
});

describe("ALTER TABLE … ADD/DROP PARTITION, RECOVER PARTITIONS, MSCK REPAIR TABLE", () => {
  test("ADD makes the partition's directory (SHOW PARTITIONS lists it), DROP deletes a managed table's; Spark's errors without IF [NOT] EXISTS", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, p STRING, q INT) USING parquet PARTITIONED BY (p, q); INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)");
    await spark.sqlScript("ALTER TABLE t ADD PARTITION (p = 'z', q = 3) PARTITION (p='w', q=4)");
    expect(existsSync(join(warehouse, "t", "p=z", "q=3"))).toBe(true);
    expect(await rowsOf(spark, "SHOW PARTITIONS t")).toEqual([{ partition: "p=w/q=4" }, { partition: "p=x/q=1" }, { partition: "p=y/q=2" }, { partition: "p=z/q=3" }]);
    expect(await sqlError(spark, "ALTER TABLE t ADD PARTITION (p = 'z', q = 3)")).toBe(
      "[PARTITIONS_ALREADY_EXIST] Cannot ADD or RENAME TO partition(s) PARTITION (`p` = z, `q` = 3) in table `spark_catalog`.`default`.`t` because they already exist.\nChoose a different name, drop the existing partition, or add the IF NOT EXISTS clause to tolerate a pre-existing partition.",
    );
    await spark.sqlScript("ALTER TABLE t ADD IF NOT EXISTS PARTITION (p = 'z', q = 3)");
    expect(await sqlError(spark, "ALTER TABLE t ADD PARTITION (p = 'v')")).toContain("Partition spec is invalid. The spec (p) must match the partition spec (p, q)");
    await spark.sqlScript("ALTER TABLE t DROP PARTITION (p = 'x', q = 1), PARTITION (p = 'w')");
    expect(await rowsOf(spark, "SHOW PARTITIONS t")).toEqual([{ partition: "p=y/q=2" }, { partition: "p=z/q=3" }]);
    expect(await rowsOf(spark, "SELECT a FROM t")).toEqual([{ a: 2 }]);
    expect(await sqlError(spark, "ALTER TABLE t DROP PARTITION (p = 'nope')")).toBe(
      "[PARTITIONS_NOT_FOUND] The partition(s) PARTITION (`p` = nope) cannot be found in table `spark_catalog`.`default`.`t`.\nVerify the partition specification and table name.\nTo tolerate the error on drop use ALTER TABLE … DROP IF EXISTS PARTITION.",
    );
    await spark.sqlScript("ALTER TABLE t DROP IF EXISTS PARTITION (p = 'nope')");
    expect(await sqlError(spark, "ALTER TABLE t DROP PARTITION (r = 1)")).toContain("[_LEGACY_ERROR_TEMP_1231] r is not a valid partition column in table `spark_catalog`.`default`.`t`.");
  });

  test("DROP PARTITION, ADD PARTITION and SET LOCATION drop statistics that no longer describe the rows, as Spark's updateTableStats", async () => {
    const { spark } = await session();
    const other = await tempDir("rivulet-analyze-elsewhere-");
    await spark.sqlScript("CREATE TABLE t (a INT, p STRING) USING parquet PARTITIONED BY (p); INSERT INTO t VALUES (1, 'x'), (2, 'y'); ANALYZE TABLE t COMPUTE STATISTICS");
    expect(await statisticsRow(spark, "t")).toMatch(/ bytes, 2 rows$/);
    await spark.sqlScript("ALTER TABLE t DROP PARTITION (p = 'x')");
    expect(await statisticsRow(spark, "t")).toBeUndefined();
    await spark.sqlScript("ANALYZE TABLE t COMPUTE STATISTICS; ALTER TABLE t ADD PARTITION (p = 'z')");
    expect(await statisticsRow(spark, "t")).toBeUndefined();
    await spark.sqlScript(`CREATE TABLE e (a INT) USING parquet LOCATION '${other}'; INSERT INTO e VALUES (1); ANALYZE TABLE e COMPUTE STATISTICS; ALTER TABLE e SET LOCATION '${other}/moved'`);
    expect(await statisticsRow(spark, "e")).toBeUndefined();
  });

  test("RECOVER PARTITIONS and MSCK REPAIR TABLE run on a partitioned table and refuse others as Spark", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE t (a INT, p STRING) USING parquet PARTITIONED BY (p); CREATE TABLE flat (a INT) USING parquet; CREATE TEMPORARY VIEW v AS SELECT 1 AS a");
    await spark.sqlScript("ALTER TABLE t RECOVER PARTITIONS; MSCK REPAIR TABLE t; REPAIR TABLE t SYNC PARTITIONS");
    expect(await sqlError(spark, "MSCK REPAIR TABLE flat")).toBe("[NOT_A_PARTITIONED_TABLE] Operation `MSCK REPAIR TABLE` is not allowed for `spark_catalog`.`default`.`flat` because it is not a partitioned table.");
    // As Spark, the spec is resolved against the (no) partition columns first.
    expect(await sqlError(spark, "ALTER TABLE flat ADD PARTITION (p = 1)")).toBe("[_LEGACY_ERROR_TEMP_1231] p is not a valid partition column in table `spark_catalog`.`default`.`flat`.");
    expect(await sqlError(spark, "ALTER TABLE v RECOVER PARTITIONS")).toBe("[EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW] 'ALTER TABLE RECOVER PARTITIONS' expects a table. `v` is a view. Please use ALTER VIEW instead.");
    spark.catalog.recoverPartitions("t");
  });
});

describe("INSERT OVERWRITE [LOCAL] DIRECTORY … USING format", () => {
  test("the query's rows replace the directory's files, in the format asked (parquet, json with OPTIONS, csv with the path in OPTIONS)", async () => {
    const { spark } = await session();
    const dir = await tempDir("rivulet-insdir-");
    const out = join(dir, "out");
    await spark.sqlScript(`INSERT OVERWRITE DIRECTORY '${out}' USING parquet SELECT id, id * 2 AS twice FROM range(3)`);
    expect(await spark.read.parquet(out).orderBy("id").collect()).toEqual([{ id: 0, twice: 0 }, { id: 1, twice: 2 }, { id: 2, twice: 4 }]);
    await spark.sqlScript(`INSERT OVERWRITE LOCAL DIRECTORY '${out}' USING json OPTIONS (compression 'none') SELECT 'a' AS s`);
    expect((await readdir(out)).filter((f) => !f.startsWith(".") && !f.startsWith("_")).every((f) => f.endsWith(".json"))).toBe(true);
    expect(await spark.read.json(out).collect()).toEqual([{ s: "a" }]);
    await spark.sqlScript(`INSERT OVERWRITE DIRECTORY USING csv OPTIONS (path '${out}', header 'true') SELECT 1 AS n`);
    expect(await spark.read.option("header", "true").csv(out).collect()).toEqual([{ n: "1" }]);
    expect(await sqlError(spark, `INSERT OVERWRITE DIRECTORY '${out}' USING csv OPTIONS (path '${out}') SELECT 1`)).toBe("Directory path and 'path' in OPTIONS should be specified one, but not both");
    expect(await sqlError(spark, `INSERT OVERWRITE DIRECTORY '${out}' USING jdbc SELECT 1`)).toContain("only file formats are written to a directory");
  });
});

describe("SET -v, SET, SET key", () => {
  test("SET -v lists Spark's SQL settings with their value, meaning and version; SET and SET key still answer", async () => {
    const { spark } = await session();
    spark.conf.set("spark.sql.shuffle.partitions", "7");
    const verbose = await rowsOf(spark, "SET -v");
    expect(spark.sql("SET -v").columns).toEqual(["key", "value", "meaning", "Since version"]);
    expect(verbose.find((r) => r.key === "spark.sql.shuffle.partitions")).toEqual({
      key: "spark.sql.shuffle.partitions", value: "7", meaning: "The default number of partitions to use when shuffling data for joins or aggregations.", "Since version": "1.1.0",
    });
    expect(verbose.find((r) => r.key === "spark.sql.streaming.checkpointLocation")).toMatchObject({ value: "<undefined>", "Since version": "2.0.0" });
    expect(verbose.find((r) => r.key === "spark.sql.statistics.size.autoUpdate.enabled")).toMatchObject({ value: "false", "Since version": "2.3.0" });
    expect(verbose.every((r) => String(r.key).startsWith("spark.sql."))).toBe(true);
    expect(verbose.map((r) => r.key)).toEqual([...verbose.map((r) => r.key)].sort());
    expect(await rowsOf(spark, "SET spark.sql.shuffle.partitions")).toEqual([{ key: "spark.sql.shuffle.partitions", value: "7" }]);
    expect((await rowsOf(spark, "SET")).find((r) => r.key === "spark.sql.shuffle.partitions")).toEqual({ key: "spark.sql.shuffle.partitions", value: "7" });
    expect(await sqlError(spark, "SET -x")).toContain("[PARSE_SYNTAX_ERROR]");
  });
});
