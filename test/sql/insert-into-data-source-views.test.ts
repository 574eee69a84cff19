import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { bothDatabases, MYSQL_URL, PG_URL } from "../connectors/jdbc/helpers.ts";

/**
 * A temporary view over a data source is written through by INSERT INTO, as Spark's are: a view
 * over a JDBC table (Spark's JDBC guide writes `CREATE TEMPORARY VIEW jdbcTable USING
 * org.apache.spark.sql.jdbc OPTIONS (…)` then `INSERT INTO TABLE jdbcTable SELECT …`) and a
 * view over a directory of files. Any other view stays refused.
 */
const spark = Session.builder().appName("insert-into-data-source-views").getOrCreate();
const db = bothDatabases(spark);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), "rivulet-insert-views-"));
  dirs.push(d);
  return d;
};
const RDD_BASED = "[UNSUPPORTED_INSERT.RDD_BASED] Can't insert into the target. An RDD-based table is not allowed.";
const sorted = async (sql: string): Promise<unknown[]> => (await spark.sql(sql).collect()).map((r) => ({ ...r, id: Number(r.id) }));

describe("INSERT INTO a temporary view over a JDBC table", () => {
  test.each([["MariaDB", MYSQL_URL], ["PostgreSQL", PG_URL]])("%s: Spark's JDBC guide, word for word: USING org.apache.spark.sql.jdbc, INSERT INTO TABLE, then INSERT OVERWRITE", async (_name, url) => {
    const table = db.table("view_insert");
    await spark.createDataFrame([{ id: 1, name: "a" }], "id INT, name STRING").write.jdbc(url, table);
    await spark.sqlScript("DROP VIEW IF EXISTS jdbcTable");
    await spark.sqlScript(`
      CREATE TEMPORARY VIEW jdbcTable
      USING org.apache.spark.sql.jdbc
      OPTIONS (
        url "${url}",
        dbtable "${table}"
      );
      CREATE OR REPLACE TEMPORARY VIEW resultTable AS SELECT * FROM VALUES (2, 'b'), (3, 'c') AS t(id, name);
      INSERT INTO TABLE jdbcTable SELECT * FROM resultTable;`);
    const expected = [{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }];
    expect(await sorted("SELECT * FROM jdbcTable ORDER BY id")).toEqual(expected);
    // In the database itself, read by another reader.
    expect((await spark.read.jdbc(url, table).orderBy("id").collect()).map((r) => ({ id: Number(r.id), name: r.name }))).toEqual(expected);

    await spark.sqlScript("INSERT OVERWRITE TABLE jdbcTable VALUES (9, 'z')");
    expect(await sorted("SELECT * FROM jdbcTable")).toEqual([{ id: 9, name: "z" }]);
  });

  test("the DataFrame form: spark.read.jdbc(…).createOrReplaceTempView, rows placed by position, and insertInto", async () => {
    const table = db.table("view_df");
    await spark.createDataFrame([{ id: 1, name: "a" }], "id INT, name STRING").write.jdbc(PG_URL, table);
    spark.read.jdbc(PG_URL, table).createOrReplaceTempView("people_view");
    await spark.sqlScript("INSERT INTO people_view VALUES (2, 'b')");
    await spark.createDataFrame([{ n: 3, s: "c" }], "n INT, s STRING").write.insertInto("people_view");
    expect(await sorted("SELECT * FROM people_view ORDER BY id")).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }]);
    const { rows } = await db.pgc.query(`SELECT count(*)::int AS n FROM "${table}"`);
    expect(rows[0].n).toBe(3);
  });
});

describe("INSERT INTO a temporary view over files", () => {
  test("CREATE TEMPORARY VIEW … USING json OPTIONS (path …): new part files in the directory, then OVERWRITE replaces them", async () => {
    const dir = await tempDir();
    await spark.createDataFrame([{ id: 1, tag: "x" }], "id INT, tag STRING").write.mode("overwrite").json(dir);
    await spark.sqlScript(`CREATE TEMPORARY VIEW tagged USING json OPTIONS (path '${dir}')`);
    await spark.sqlScript("INSERT INTO tagged SELECT 2 AS id, 'y' AS tag");
    expect(await sorted("SELECT * FROM tagged ORDER BY id")).toEqual([{ id: 1, tag: "x" }, { id: 2, tag: "y" }]);
    expect((await readdir(dir)).filter((f) => f.startsWith("part-")).length).toBe(2);
    await spark.sqlScript("INSERT OVERWRITE tagged SELECT 3 AS id, 'z' AS tag");
    expect(await sorted("SELECT * FROM tagged")).toEqual([{ id: 3, tag: "z" }]);
  });

  test("spark.read.parquet(dir).createOrReplaceTempView and Spark's long provider names in format() and USING", async () => {
    const dir = await tempDir();
    await spark.createDataFrame([{ id: 1 }], "id BIGINT").write.mode("overwrite").format("org.apache.spark.sql.parquet").save(dir);
    spark.read.format("org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat").load(dir).createOrReplaceTempView("numbers");
    await spark.sqlScript("INSERT INTO numbers VALUES (2)");
    expect(await sorted("SELECT * FROM numbers ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
    await spark.sqlScript(`CREATE TABLE numbers_table USING org.apache.spark.sql.parquet LOCATION '${dir}'`);
    expect(await sorted("SELECT * FROM numbers_table ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test("a view of a query over the files, or of several directories, is still refused with Spark's error", async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    for (const d of [a, b]) await spark.createDataFrame([{ id: 1 }], "id INT").write.mode("overwrite").json(d);
    spark.read.json(a).select("id").createOrReplaceTempView("projected");
    await expect(spark.sqlScript("INSERT INTO projected VALUES (2)")).rejects.toThrow(RDD_BASED);
    spark.read.json(a, b).createOrReplaceTempView("two_dirs");
    await expect(spark.sqlScript("INSERT INTO two_dirs VALUES (2)")).rejects.toThrow(RDD_BASED);
    expect((await spark.read.json(a).collect()).length).toBe(1);
  });

  test("an unknown long provider name is still not found", async () => {
    await expect(spark.sqlScript("CREATE TEMPORARY VIEW nope USING org.example.NoSuchSource OPTIONS (path '/nowhere')"))
      .rejects.toThrow("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: org.example.nosuchsource.");
  });
});
