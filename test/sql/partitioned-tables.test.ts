import { existsSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("partitioned-tables").getOrCreate();
const tempDir = tempDirs(base);

/** A session of its own, with its warehouse in a temp directory. */
async function session(warehouse?: string): Promise<{ spark: Session; warehouse: string }> {
  const spark = base.newSession();
  const dir = warehouse ?? await tempDir("rivulet-partitioned-");
  spark.conf.set("spark.sql.warehouse.dir", dir);
  return { spark, warehouse: dir };
}

const rowsOf = (spark: Session, sql: string): Promise<Record<string, unknown>[]> => spark.sql(sql).collect() as Promise<Record<string, unknown>[]>;

describe("SQL partitioned tables: CREATE TABLE … PARTITIONED BY, INSERT … PARTITION (…), SHOW PARTITIONS", () => {
  test("static and dynamic partitions land in p=value/ directories; the partition column comes last; SHOW PARTITIONS and DESCRIBE list it", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript(`
      CREATE TABLE t (a INT, p STRING, b INT) USING parquet PARTITIONED BY (p);
      INSERT INTO t PARTITION (p='x') SELECT 1, 10;
      INSERT INTO TABLE t PARTITION (p = 'y') VALUES (2, 20);
      INSERT INTO t SELECT 3, 30, 'z';
      INSERT INTO t PARTITION (p) SELECT 4, 40, 'x';
    `);
    expect((await readdir(join(warehouse, "t"))).filter((f) => f.startsWith("p=")).sort()).toEqual(["p=x", "p=y", "p=z"]);
    expect(spark.table("t").schema.toDDL()).toBe("a INT, b INT, p STRING");
    expect(await rowsOf(spark, "SELECT * FROM t ORDER BY a")).toEqual([
      { a: 1, b: 10, p: "x" }, { a: 2, b: 20, p: "y" }, { a: 3, b: 30, p: "z" }, { a: 4, b: 40, p: "x" },
    ]);
    expect(await rowsOf(spark, "SHOW PARTITIONS t")).toEqual([{ partition: "p=x" }, { partition: "p=y" }, { partition: "p=z" }]);
    expect(await rowsOf(spark, "SHOW PARTITIONS default.t PARTITION (p='y')")).toEqual([{ partition: "p=y" }]);
    expect(await rowsOf(spark, "DESCRIBE t")).toEqual([
      { col_name: "a", data_type: "int", comment: null },
      { col_name: "b", data_type: "int", comment: null },
      { col_name: "p", data_type: "string", comment: null },
      { col_name: "# Partition Information", data_type: "", comment: "" },
      { col_name: "# col_name", data_type: "data_type", comment: "comment" },
      { col_name: "p", data_type: "string", comment: null },
    ]);
    expect(spark.catalog.listColumns("t").map((c) => [c.name, c.isPartition])).toEqual([["a", false], ["b", false], ["p", true]]);
    // A new session that declares the table again finds the partitions in its directory.
    const other = (await session(warehouse)).spark;
    await other.sqlScript("CREATE TABLE IF NOT EXISTS t (a INT, b INT, p STRING) USING parquet PARTITIONED BY (p)");
    expect(await rowsOf(other, "SELECT count(*) AS n FROM t WHERE p = 'x'")).toEqual([{ n: 2 }]);
  });

  test("WHERE on a partition column prunes: files of other partitions are never opened", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript(`
      CREATE TABLE pr (v INT, p STRING) USING parquet PARTITIONED BY (p);
      INSERT INTO pr PARTITION (p='keep') VALUES (1), (2);
      INSERT INTO pr PARTITION (p='other') VALUES (3);
    `);
    // A file that is not Parquet: reading it fails, so a query that succeeds never opened it.
    await writeFile(join(warehouse, "pr", "p=other", "part-99999-broken.snappy.parquet"), "not parquet at all");
    await expect(rowsOf(spark, "SELECT * FROM pr")).rejects.toThrow();
    expect(await rowsOf(spark, "SELECT v FROM pr WHERE p = 'keep' ORDER BY v")).toEqual([{ v: 1 }, { v: 2 }]);
    expect(await spark.table("pr").where("p = 'keep'").count()).toBe(2);
    expect((await rowsOf(spark, "EXPLAIN EXTENDED SELECT v FROM pr WHERE p = 'keep'"))[0]!.plan).toContain("PushedFilters: [EqualTo(p,keep)]");
  });

  test("Hive's column-spec form PARTITIONED BY (d DATE, n INT) adds the columns; static values are cast to the column type", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript(`
      CREATE TABLE h (a INT) USING json PARTITIONED BY (d DATE, n INT);
      INSERT INTO h PARTITION (d = DATE '2024-01-02', n) SELECT 1, 5;
      INSERT INTO h PARTITION (d='2024-01-03', n=6) SELECT 2;
    `);
    expect(spark.table("h").schema.toDDL()).toBe("a INT, d DATE, n INT");
    expect(existsSync(join(warehouse, "h", "d=2024-01-02", "n=5"))).toBe(true);
    expect(await rowsOf(spark, "SELECT a, CAST(d AS STRING) AS d, n FROM h ORDER BY a")).toEqual([{ a: 1, d: "2024-01-02", n: 5 }, { a: 2, d: "2024-01-03", n: 6 }]);
    expect(await rowsOf(spark, "SHOW PARTITIONS h PARTITION (n=6)")).toEqual([{ partition: "d=2024-01-03/n=6" }]);
  });

  test("a column list or BY NAME with static partition values names the other columns", async () => {
    const { spark } = await session();
    await spark.sqlScript(`
      CREATE TABLE l (a INT, b STRING, p STRING) USING parquet PARTITIONED BY (p);
      INSERT INTO l PARTITION (p='x') (b, a) SELECT 'one', 1;
      INSERT INTO l PARTITION (p='y') (b) SELECT 'two';
      INSERT INTO l PARTITION (p='z') BY NAME SELECT 'three' AS b, 3 AS a;
    `);
    expect(await rowsOf(spark, "SELECT * FROM l ORDER BY p")).toEqual([
      { a: 1, b: "one", p: "x" }, { a: null, b: "two", p: "y" }, { a: 3, b: "three", p: "z" },
    ]);
  });

  test("CREATE TABLE … PARTITIONED BY (k) AS SELECT moves k last and partitions the rows", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript("CREATE TABLE c USING parquet PARTITIONED BY (k) AS SELECT * FROM VALUES ('a', 1), ('b', 2), ('a', 3) AS s(k, v)");
    expect(spark.table("c").schema.toDDL()).toBe("v INT, k STRING");
    expect((await readdir(join(warehouse, "c"))).filter((f) => f.startsWith("k=")).sort()).toEqual(["k=a", "k=b"]);
    expect(await rowsOf(spark, "SELECT v FROM c WHERE k = 'a' ORDER BY v")).toEqual([{ v: 1 }, { v: 3 }]);
    await expect(spark.sqlScript("CREATE TABLE c2 USING parquet PARTITIONED BY (k STRING) AS SELECT 'a' AS k, 1 AS v")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_0035] Operation not allowed: Partition column types may not be specified in Create Table As Select (CTAS).");
  });

  test("INSERT OVERWRITE … PARTITION: static mode replaces what the spec names, dynamic mode only the partitions written", async () => {
    const { spark } = await session();
    await spark.sqlScript(`
      CREATE TABLE o (v INT, p STRING) USING parquet PARTITIONED BY (p);
      INSERT INTO o VALUES (1, 'x'), (2, 'y'), (3, 'z');
      INSERT OVERWRITE o PARTITION (p='x') SELECT 10;
    `);
    expect(await rowsOf(spark, "SELECT * FROM o ORDER BY v")).toEqual([{ v: 2, p: "y" }, { v: 3, p: "z" }, { v: 10, p: "x" }]);
    await spark.sqlScript("SET spark.sql.sources.partitionOverwriteMode = dynamic; INSERT OVERWRITE TABLE o SELECT 20, 'y'");
    expect(await rowsOf(spark, "SELECT * FROM o ORDER BY v")).toEqual([{ v: 3, p: "z" }, { v: 10, p: "x" }, { v: 20, p: "y" }]);
    await spark.sqlScript("INSERT OVERWRITE o PARTITION (p) SELECT 30, 'z'");
    expect(await rowsOf(spark, "SELECT * FROM o ORDER BY v")).toEqual([{ v: 10, p: "x" }, { v: 20, p: "y" }, { v: 30, p: "z" }]);
    // Static mode (the default) without a spec replaces the whole table.
    await spark.sqlScript("SET spark.sql.sources.partitionOverwriteMode = STATIC; INSERT OVERWRITE o SELECT 40, 'w'");
    expect(await rowsOf(spark, "SELECT * FROM o")).toEqual([{ v: 40, p: "w" }]);
    expect(await rowsOf(spark, "SHOW PARTITIONS o")).toEqual([{ partition: "p=w" }]);
  });

  test("INSERT OVERWRITE … PARTITION (p='01') on an INT column replaces p=1, where its rows go: the static value is cast to the column's type", async () => {
    const { spark, warehouse } = await session();
    await spark.sqlScript(`
      CREATE TABLE n (v INT, p INT, d DATE) USING parquet PARTITIONED BY (p, d);
      INSERT INTO n VALUES (1, 1, DATE'2024-01-05'), (2, 2, DATE'2024-01-05'), (3, 1, DATE'2024-01-06');
      INSERT OVERWRITE n PARTITION (p='01', d='2024-1-5') SELECT 10;
    `);
    expect(await rowsOf(spark, "SELECT v, p, CAST(d AS STRING) AS d FROM n ORDER BY v")).toEqual([
      { v: 2, p: 2, d: "2024-01-05" }, { v: 3, p: 1, d: "2024-01-06" }, { v: 10, p: 1, d: "2024-01-05" },
    ]);
    expect((await readdir(join(warehouse, "n"))).filter((f) => f.startsWith("p=")).sort()).toEqual(["p=1", "p=2"]);
    expect((await readdir(join(warehouse, "n", "p=1"))).filter((f) => f.startsWith("d=")).sort()).toEqual(["d=2024-01-05", "d=2024-01-06"]);
    // A prefix of one static value replaces all of p=1.
    await spark.sqlScript("INSERT OVERWRITE n PARTITION (p=+1, d) SELECT 20, DATE'2024-02-01'");
    expect(await rowsOf(spark, "SELECT v, p FROM n ORDER BY v")).toEqual([{ v: 2, p: 2 }, { v: 20, p: 1 }]);
  });

  test("the table's partitionOverwriteMode option overrides the session's", async () => {
    const { spark } = await session();
    await spark.sqlScript(`
      CREATE TABLE d (v INT, p INT) USING csv PARTITIONED BY (p) OPTIONS (partitionOverwriteMode 'dynamic');
      INSERT INTO d VALUES (1, 1), (2, 2);
      INSERT OVERWRITE d SELECT 3, 2;
    `);
    expect(await rowsOf(spark, "SELECT * FROM d ORDER BY v")).toEqual([{ v: 1, p: 1 }, { v: 3, p: 2 }]);
  });

  test("Spark's errors: unknown partition columns, arity with static values, all columns partitioned, SHOW PARTITIONS of an unpartitioned table", async () => {
    const { spark } = await session();
    await spark.sqlScript("CREATE TABLE e (a INT, p STRING) USING parquet PARTITIONED BY (p); CREATE TABLE flat (a INT) USING parquet");
    await expect(spark.sqlScript("CREATE TABLE bad (a INT) USING parquet PARTITIONED BY (q)")).rejects.toThrow(
      "[COLUMN_NOT_DEFINED_IN_TABLE] partition column `q` is not defined in table `spark_catalog`.`default`.`bad`, defined table columns are: `a`.");
    await expect(spark.sqlScript("CREATE TABLE bad (a INT) USING parquet PARTITIONED BY (a)")).rejects.toThrow(
      "[ALL_PARTITION_COLUMNS_NOT_ALLOWED] Cannot use all columns for partition columns.");
    await expect(spark.sqlScript("INSERT INTO e PARTITION (q='x') SELECT 1")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_1231] q is not a valid partition column in table `spark_catalog`.`default`.`e`.");
    await expect(spark.sqlScript("INSERT INTO e PARTITION (p='x') SELECT 1, 2")).rejects.toThrow(
      "[INSERT_PARTITION_COLUMN_ARITY_MISMATCH] Cannot write to `e`, the reason is too many data columns:\nTable columns: `a`, `p`.\nPartition columns with static values: `p`.\nData columns: `1`, `2`.");
    await expect(spark.sqlScript("SHOW PARTITIONS flat")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_1269] SHOW PARTITIONS is not allowed on a table that is not partitioned: `spark_catalog`.`default`.`flat`");
    await expect(spark.sqlScript("SHOW PARTITIONS nope")).rejects.toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(await rowsOf(spark, "SHOW PARTITIONS e")).toEqual([]);
  });

  test("partition transforms parse as Spark's, and a table of files refuses them as Spark's v1 tables do", async () => {
    const { spark } = await session();
    // Spark's DDLParserSuite "create table - partitioned by transforms": each transform as its Transform.toString.
    for (const transform of ["years(ts)", "months(ts)", "days(ts)", "hours(ts)", "foo(a, 'bar', 34)", "YEARS(`my ts`.x)"]) {
      const error = await spark.sqlScript(`CREATE TABLE my_tab(a INT, b STRING) USING parquet\nPARTITIONED BY (${transform})`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnalysisError);
      expect((error as AnalysisError).message).toBe(`[_LEGACY_ERROR_TEMP_2067] Unsupported partition transform: ${transform}.`);
      expect((error as AnalysisError).errorClass).toBe("_LEGACY_ERROR_TEMP_2067");
      expect((error as AnalysisError).messageParameters).toEqual({ transform });
    }
    // Columns before the transform pass; CTAS is refused alike, before its query runs.
    await expect(spark.sqlScript("CREATE TABLE t2 (a INT, ts TIMESTAMP) USING json PARTITIONED BY (a, days(ts))")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_2067] Unsupported partition transform: days(ts).");
    await expect(spark.sqlScript("CREATE TABLE t3 USING parquet PARTITIONED BY (hours(ts)) AS SELECT current_timestamp() AS ts, 1 AS a")).rejects.toThrow(
      "[_LEGACY_ERROR_TEMP_2067] Unsupported partition transform: hours(ts).");
    await expect(spark.sqlScript("CREATE TABLE t4 (a INT, b STRING, c STRING) USING parquet PARTITIONED BY (bucket(32, b), sorted_bucket(b, 32, c))")).rejects.toThrow(
      "[UNSUPPORTED_FEATURE.MULTIPLE_BUCKET_TRANSFORMS] The feature is not supported: Multiple bucket TRANSFORMs.");
    // One bucket transform is Spark's bucketing, which rivulet's tables do not have.
    await expect(spark.sqlScript("CREATE TABLE t5 (a INT, b STRING) USING parquet PARTITIONED BY (bucket(4, b))")).rejects.toThrow(/not bucketed/);
    expect(await rowsOf(spark, "SHOW TABLES")).toEqual([]);
  });
});

describe("partitioned tables from the DataFrame API and from streams", () => {
  test("saveAsTable with partitionBy makes a partitioned table; insertInto writes into its partitions and refuses partitionBy", async () => {
    const { spark, warehouse } = await session();
    const df = spark.createDataFrame([{ country: "US", n: 1 }, { country: "FR", n: 2 }], "country STRING, n INT");
    await df.write.partitionBy("country").saveAsTable("by_country");
    expect(spark.table("by_country").schema.toDDL()).toBe("n INT, country STRING");
    expect(await rowsOf(spark, "SHOW PARTITIONS by_country")).toEqual([{ partition: "country=FR" }, { partition: "country=US" }]);
    // insertInto is by position, in the table's order (partition column last).
    await spark.createDataFrame([{ x: 3, y: "DE" }], "x INT, y STRING").write.insertInto("by_country");
    expect(existsSync(join(warehouse, "by_country", "country=DE"))).toBe(true);
    await expect(df.write.partitionBy("country").insertInto("by_country")).rejects.toThrow(/^\[_LEGACY_ERROR_TEMP_1309\] insertInto\(\) can't be used together with partitionBy\(\)/);
    // The class is read off the message's bracket, a legacy one's leading underscore included.
    await expect(df.write.partitionBy("country").insertInto("by_country")).rejects.toMatchObject({ errorClass: "_LEGACY_ERROR_TEMP_1309" });
    await df.write.mode("append").partitionBy("country").saveAsTable("by_country");
    expect(await rowsOf(spark, "SELECT country, count(*) AS c FROM by_country GROUP BY country ORDER BY country")).toEqual([
      { country: "DE", c: 1 }, { country: "FR", c: 2 }, { country: "US", c: 2 },
    ]);
    await expect(df.write.mode("append").partitionBy("n").saveAsTable("by_country")).rejects.toThrow(/Specified partitioning does not match that of the existing table/);
    // DataFrameWriterV2's partitionedBy.
    await df.writeTo("v2").using("json").partitionedBy("country").create();
    expect(await rowsOf(spark, "SHOW PARTITIONS default.v2")).toEqual([{ partition: "country=FR" }, { partition: "country=US" }]);
    expect(await rowsOf(spark, "SELECT n FROM v2 WHERE country = 'US'")).toEqual([{ n: 1 }]);
  });

  test("INSERT INTO a partitioned table … FROM STREAM(…) writes the stream into its partition directories", async () => {
    const { spark } = await session();
    const root = await tempDir("rivulet-partitioned-stream-");
    const input = join(root, "in");
    await spark.sql("SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'a') AS t(id, k)").write.json(input);
    const { queries } = await spark.sqlScript(`
      CREATE TABLE src (id INT, k STRING) USING json LOCATION '${input}';
      CREATE TABLE dst (id INT, k STRING) USING parquet PARTITIONED BY (k) LOCATION '${join(root, "dst")}' OPTIONS (checkpointLocation '${join(root, "ckpt")}', trigger 'availableNow');
      INSERT INTO dst SELECT * FROM STREAM(src);
    `);
    await queries[0]!.awaitTermination();
    expect((await readdir(join(root, "dst"))).filter((f) => f.startsWith("k=")).sort()).toEqual(["k=a", "k=b"]);
    expect(await rowsOf(spark, "SELECT id FROM dst WHERE k = 'a' ORDER BY id")).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await rowsOf(spark, "SHOW PARTITIONS dst")).toEqual([{ partition: "k=a" }, { partition: "k=b" }]);
    // A static partition value for a stream's rows.
    const statics = await spark.sqlScript(`
      CREATE TABLE one (id INT, k STRING) USING parquet PARTITIONED BY (k) LOCATION '${join(root, "one")}' OPTIONS (checkpointLocation '${join(root, "ckpt-one")}', trigger 'availableNow');
      INSERT INTO one PARTITION (k='all') SELECT id FROM STREAM(src);
    `);
    await statics.queries[0]!.awaitTermination();
    expect(await rowsOf(spark, "SELECT count(*) AS n FROM one WHERE k = 'all'")).toEqual([{ n: 3 }]);
    expect(await rowsOf(spark, "SHOW PARTITIONS one")).toEqual([{ partition: "k=all" }]);
  });

  test("writeStream.partitionBy(…).toTable(name) makes a partitioned table", async () => {
    const { spark } = await session();
    const root = await tempDir("rivulet-partitioned-totable-");
    const input = join(root, "in");
    await spark.sql("SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, k)").write.json(input);
    const query = spark.readStream.schema("id INT, k STRING").json(input).writeStream
      .partitionBy("k").option("checkpointLocation", join(root, "ckpt")).trigger({ availableNow: true }).toTable("streamed");
    await query.awaitTermination();
    expect(spark.catalog.listColumns("streamed").filter((c) => c.isPartition).map((c) => c.name)).toEqual(["k"]);
    expect(await rowsOf(spark, "SHOW PARTITIONS streamed")).toEqual([{ partition: "k=a" }, { partition: "k=b" }]);
    expect(await rowsOf(spark, "SELECT * FROM streamed ORDER BY id")).toEqual([{ id: 1, k: "a" }, { id: 2, k: "b" }]);
  });
});
