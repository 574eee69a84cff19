import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("parquet-tables").getOrCreate();
const tempDir = tempDirs(base);
afterAll(() => { base.conf.unset("spark.sql.warehouse.dir"); });

/** A session of its own, with its warehouse in a temp directory. */
async function session(warehouse?: string): Promise<Session> {
  const spark = base.newSession();
  spark.conf.set("spark.sql.warehouse.dir", warehouse ?? await tempDir("rivulet-warehouse-"));
  return spark;
}

describe("SQL tables USING parquet|json|csv|memory: CREATE TABLE, INSERT INTO, SELECT", () => {
  test("a managed Parquet table: INSERT VALUES and SELECT append files under spark.sql.warehouse.dir; a new Session reads them", async () => {
    const warehouse = await tempDir("rivulet-warehouse-");
    const spark = await session(warehouse);
    await spark.sqlScript(`
      CREATE TABLE people (id BIGINT, name STRING, joined DATE, balance DECIMAL(38,10)) USING parquet;
      INSERT INTO people VALUES (1, 'ann', DATE '2026-01-02', 1.5), (9223372036854775807, 'bob', NULL, 12345678901234567890123456.1234567891);
      INSERT INTO TABLE people SELECT 3, 'cy', DATE '2026-03-04', NULL;
    `);
    const dir = join(warehouse, "people");
    expect((await readdir(dir)).filter((f) => f.endsWith(".snappy.parquet"))).toHaveLength(2);
    const expected = [
      { id: "1", name: "ann", joined: "2026-01-02", balance: "1.5000000000" },
      { id: "3", name: "cy", joined: "2026-03-04", balance: null },
      { id: "9223372036854775807", name: "bob", joined: null, balance: "12345678901234567890123456.1234567891" },
    ];
    const read = (s: Session) => s.sql("SELECT CAST(id AS STRING) id, name, CAST(joined AS STRING) joined, CAST(balance AS STRING) balance FROM people ORDER BY name").collect();
    expect(await read(spark)).toEqual(expected.slice().sort((a, b) => a.name.localeCompare(b.name)));

    // A new Session knows no tables: it declares the table again, and the files are the table.
    const other = await session(warehouse);
    await other.sqlScript("CREATE TABLE IF NOT EXISTS people (id BIGINT, name STRING, joined DATE, balance DECIMAL(38,10)) USING parquet");
    expect(await read(other)).toEqual(await read(spark));
    // The DataFrame reader sees the same directory.
    expect(await other.read.parquet(dir).count()).toBe(3);
  });

  test("INSERT casts by position as Spark does, and refuses what Spark's store assignment refuses", async () => {
    const spark = await session();
    await spark.sqlScript("CREATE TABLE t (a BIGINT, b STRING, c DOUBLE) USING parquet");
    await spark.sqlScript("INSERT INTO t SELECT 1Y AS x, 2 AS y, 3 AS z");
    expect(await spark.sql("SELECT * FROM t").collect()).toEqual([{ a: 1, b: "2", c: 3 }]);
    expect(spark.table("t").schema.toDDL()).toBe("a BIGINT, b STRING, c DOUBLE");
    await expect(spark.sqlScript("INSERT INTO t VALUES (1, 'x')")).rejects.toThrow(
      "[INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS] Cannot write to `t`, the reason is not enough data columns:\nTable columns: `a`, `b`, `c`.\nData columns: `col1`, `col2`.");
    await expect(spark.sqlScript("INSERT INTO t SELECT 1, 'x', 2.0, 4")).rejects.toThrow(/\[INSERT_COLUMN_ARITY_MISMATCH\.TOO_MANY_DATA_COLUMNS\] Cannot write to `t`, the reason is too many data columns/);
    await expect(spark.sqlScript("INSERT INTO t VALUES ('1', 'x', 2.0)")).rejects.toThrow(
      '[INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST] Cannot write incompatible data for the table `t`: Cannot safely cast `a` "STRING" to "BIGINT".');
    expect(await spark.sql("SELECT count(*) AS n FROM t").collect()).toEqual([{ n: 1 }]);
  });

  test("INSERT OVERWRITE replaces the table's files", async () => {
    const spark = await session();
    await spark.sqlScript(`
      CREATE TABLE o (k INT, v STRING) USING parquet;
      INSERT INTO o VALUES (1, 'a'), (2, 'b');
      INSERT OVERWRITE TABLE o SELECT k * 10, upper(v) FROM VALUES (5, 'z') AS s(k, v);
    `);
    expect(await spark.sql("SELECT * FROM o").collect()).toEqual([{ k: 50, v: "Z" }]);
  });

  test("LOCATION and OPTIONS (path …) put the table where they say; json and csv tables take batch inserts too", async () => {
    const root = await tempDir("rivulet-table-locations-");
    const spark = await session();
    await spark.sqlScript(`
      CREATE TABLE pq (id INT, s STRING) USING parquet LOCATION '${join(root, "pq")}';
      CREATE TABLE js (id INT, s STRING) USING json OPTIONS (path '${join(root, "js")}');
      CREATE TABLE cs (id INT, s STRING) USING csv LOCATION '${join(root, "cs")}' OPTIONS (header 'true');
      INSERT INTO pq VALUES (1, 'a'), (2, NULL);
      INSERT INTO js SELECT * FROM pq;
      INSERT INTO cs SELECT id + 10, s FROM pq;
    `);
    // A Parquet table is read as a batch table by INSERT … SELECT (json and csv tables stream unless
    // the query marks its streams with STREAM(t): rivulet's SQL-job rule).
    expect((await readdir(join(root, "pq"))).some((f) => f.endsWith(".parquet"))).toBe(true);
    expect(await spark.sql("SELECT * FROM js ORDER BY id").collect()).toEqual([{ id: 1, s: "a" }, { id: 2, s: null }]);
    expect(await spark.sql("SELECT * FROM cs ORDER BY id").collect()).toEqual([{ id: 11, s: "a" }, { id: 12, s: null }]);
    await expect(spark.sqlScript(`CREATE TABLE bad (id INT) USING parquet LOCATION '${root}/x' OPTIONS (path '${root}/y')`)).rejects.toThrow(/Duplicated table paths found/);
  });

  test("a memory table takes INSERT VALUES and INSERT OVERWRITE", async () => {
    const spark = await session();
    await spark.sqlScript("CREATE TABLE m (id INT, s STRING) USING memory; INSERT INTO m VALUES (1, 'a'); INSERT INTO m VALUES (2, 'b')");
    expect(await spark.sql("SELECT * FROM m ORDER BY id").collect()).toEqual([{ id: 1, s: "a" }, { id: 2, s: "b" }]);
    await spark.sqlScript("INSERT OVERWRITE m VALUES (3, 'c')");
    expect(await spark.sql("SELECT * FROM m").collect()).toEqual([{ id: 3, s: "c" }]);
  });

  test("a CREATE TABLE without a location makes the directory now; DESCRIBE shows the declared columns", async () => {
    const warehouse = await tempDir("rivulet-warehouse-");
    const spark = await session(warehouse);
    await spark.sqlScript("CREATE TABLE Empty_T (a INT) USING parquet");
    expect(existsSync(join(warehouse, "empty_t"))).toBe(true);
    expect(await spark.sql("SELECT * FROM empty_t").collect()).toEqual([]);
    expect(await spark.sql("DESCRIBE empty_t").collect()).toEqual([{ col_name: "a", data_type: "int", comment: null }]);
  });

  test("INSERT INTO … FROM STREAM(…) into a Parquet table still starts a streaming query, exactly once through _spark_metadata", async () => {
    const root = await tempDir("rivulet-table-stream-");
    const spark = await session();
    const input = join(root, "in");
    await spark.sql("SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, s)").write.json(input);
    const { queries } = await spark.sqlScript(`
      CREATE TABLE src (id INT, s STRING) USING json LOCATION '${input}';
      CREATE TABLE dst (id INT, s STRING) USING parquet LOCATION '${join(root, "dst")}' OPTIONS (checkpointLocation '${join(root, "ckpt")}', trigger 'availableNow');
      INSERT INTO dst SELECT * FROM STREAM(src);
    `);
    expect(queries).toHaveLength(1);
    await queries[0]!.awaitTermination();
    expect(existsSync(join(root, "dst", "_spark_metadata", "0"))).toBe(true);
    expect(await spark.sql("SELECT * FROM dst ORDER BY id").collect()).toEqual([{ id: 1, s: "a" }, { id: 2, s: "b" }]);
    // A batch INSERT into a streaming sink's directory would write files its readers never see: refused.
    await expect(spark.sqlScript("INSERT INTO dst VALUES (3, 'c')")).rejects.toThrow(/output of a streaming file sink/);
  });

  test("DataFrame forms: df.write.saveAsTable and insertInto, read back by SQL and by a new Session", async () => {
    const warehouse = await tempDir("rivulet-warehouse-");
    const spark = await session(warehouse);
    const df = spark.createDataFrame([{ id: 1, s: "a" }, { id: 2, s: "b" }], "id BIGINT, s STRING");
    await df.write.saveAsTable("saved");
    await expect(df.write.saveAsTable("saved")).rejects.toThrow(/\[TABLE_OR_VIEW_ALREADY_EXISTS\]/);
    await df.write.mode("append").saveAsTable("saved");
    await spark.createDataFrame([{ x: 7, y: "z" }], "x INT, y STRING").write.insertInto("saved");
    expect((await spark.sql("SELECT id FROM saved ORDER BY id").collect()).map((r) => r.id)).toEqual([1, 1, 2, 2, 7]);
    await spark.createDataFrame([{ x: 9, y: "q" }], "x INT, y STRING").write.mode("overwrite").insertInto("saved");
    const other = await session(warehouse);
    expect(await other.read.parquet(join(warehouse, "saved")).collect()).toEqual([{ id: 9, s: "q" }]);
    await expect(df.write.insertInto("nope")).rejects.toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });

  test("saveAsTable appends by column NAME (insertInto by position); overwrite makes the table again with new columns; PySpark's insertInto(t, overwrite)", async () => {
    const warehouse = await tempDir("rivulet-warehouse-");
    const spark = await session(warehouse);
    await spark.sql("SELECT 1 AS a, 2 AS b").write.saveAsTable("by_name");
    await spark.sql("SELECT 200 AS B, 100 AS a").write.mode("append").saveAsTable("by_name");
    expect(await spark.sql("SELECT a, b FROM by_name ORDER BY a").collect()).toEqual([{ a: 1, b: 2 }, { a: 100, b: 200 }]);
    await expect(spark.sql("SELECT 1 AS a, 2 AS c").write.mode("append").saveAsTable("by_name")).rejects.toThrow("cannot resolve `b` given input columns: [a, c]");
    await expect(spark.sql("SELECT 1 AS a").write.mode("append").saveAsTable("by_name"))
      .rejects.toThrow("The column number of the existing table by_name(struct<a:int,b:int>) doesn't match the data schema(struct<a:int>)");
    await spark.sql("SELECT 7 AS a, 8 AS b").write.insertInto("by_name", true);
    expect(await spark.sql("SELECT a, b FROM by_name").collect()).toEqual([{ a: 7, b: 8 }]);
    await spark.sql("SELECT 9 AS x, 10 AS y").write.insertInto("by_name", false);
    expect(await spark.sql("SELECT a, b FROM by_name ORDER BY a").collect()).toEqual([{ a: 7, b: 8 }, { a: 9, b: 10 }]);
    await spark.sql("SELECT 'x' AS c").write.mode("overwrite").saveAsTable("by_name");
    expect(await spark.table("by_name").collect()).toEqual([{ c: "x" }]);
    expect(await (await session(warehouse)).read.parquet(join(warehouse, "by_name")).collect()).toEqual([{ c: "x" }]);
  });
});
