import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("cache").getOrCreate();
const tempDir = tempDirs(base);

/** A directory of JSON lines files that this test changes behind rivulet's back. */
async function logDir(rows: readonly object[]): Promise<string> {
  const dir = await tempDir("rivulet-cache-");
  await writeFile(join(dir, "part-0.json"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return dir;
}

describe("df.cache() / persist() / unpersist()", () => {
  test("the rows computed at the first action are reused, by the Dataset and by Datasets derived from it, until unpersist", async () => {
    const spark = base.newSession();
    const dir = await logDir([{ id: 1 }, { id: 2 }]);
    const df = spark.read.schema("id BIGINT").json(dir);
    expect(df.cache()).toBe(df);
    expect(await df.count()).toBe(2);
    expect(spark.catalog.cacheManager.materializedCount).toBe(1);
    // A new file: the cached Dataset, and one derived from it, still read the cached rows.
    await writeFile(join(dir, "part-1.json"), `{"id": 3}\n`);
    expect(await df.count()).toBe(2);
    expect(await df.filter(col("id").gt(1)).collect()).toEqual([{ id: 2 }]);
    // An uncached Dataset over the same files reads them anew.
    expect(await spark.read.schema("id BIGINT").json(dir).count()).toBe(3);
    df.unpersist();
    expect(await df.count()).toBe(3);
    expect(df.persist("MEMORY_AND_DISK")).toBe(df);
  });

  test("a streaming Dataset cannot be cached", () => {
    const spark = base.newSession();
    const input = new MemoryStream<{ v: number }>(spark, "v INT");
    expect(() => input.toDF().cache()).toThrow("Queries with streaming sources must be executed with writeStream.start()");
  });
});

describe("CACHE TABLE, UNCACHE TABLE, CLEAR CACHE", () => {
  test("CACHE TABLE t keeps t's rows for every query that reads it; INSERT INTO t makes them be computed again", async () => {
    const spark = base.newSession();
    spark.conf.set("spark.sql.warehouse.dir", await tempDir("rivulet-cache-wh-"));
    await spark.sqlScript(`
      CREATE TABLE t (id BIGINT) USING parquet;
      INSERT INTO t VALUES (1), (2);
      CACHE TABLE t;
    `);
    expect(spark.catalog.isCached("t")).toBe(true);
    expect(await spark.sql("SELECT count(*) AS n FROM t").collect()).toEqual([{ n: 2 }]);
    expect(spark.catalog.cacheManager.materializedCount).toBe(1);
    await spark.sqlScript("INSERT INTO t VALUES (3)");
    expect(spark.catalog.cacheManager.materializedCount).toBe(0);
    expect(await spark.sql("SELECT sum(id) AS s FROM t").collect()).toEqual([{ s: 6 }]);
    expect(spark.catalog.isCached("t")).toBe(true);
    spark.sql("UNCACHE TABLE t");
    expect(spark.catalog.isCached("t")).toBe(false);
    spark.sql("UNCACHE TABLE IF EXISTS nope");
    expect(() => spark.sql("UNCACHE TABLE nope")).toThrow("[TABLE_OR_VIEW_NOT_FOUND]");
    expect(() => spark.sql("CACHE TABLE nope")).toThrow("[TABLE_OR_VIEW_NOT_FOUND]");
  });

  test("CACHE TABLE name AS SELECT makes a cached temporary view; CACHE LAZY TABLE and CLEAR CACHE", async () => {
    const spark = base.newSession();
    const dir = await logDir([{ k: "a", v: 1 }, { k: "b", v: 2 }]);
    spark.read.schema("k STRING, v BIGINT").json(dir).createOrReplaceTempView("logs");
    spark.sql("CACHE TABLE big AS SELECT k, v * 10 AS v10 FROM logs WHERE v > 0");
    expect(spark.catalog.isTemporaryView("big")).toBe(true);
    expect(await spark.sql("SELECT * FROM big ORDER BY k").collect()).toEqual([{ k: "a", v10: 10 }, { k: "b", v10: 20 }]);
    await writeFile(join(dir, "part-1.json"), `{"k": "c", "v": 3}\n`);
    expect(await spark.sql("SELECT count(*) AS n FROM big").collect()).toEqual([{ n: 2 }]);
    spark.sql("CACHE LAZY TABLE logs");
    expect(spark.catalog.isCached("logs")).toBe(true);
    spark.sql("CLEAR CACHE");
    expect(spark.catalog.isCached("big")).toBe(false);
    expect(spark.catalog.isCached("logs")).toBe(false);
    expect(await spark.sql("SELECT count(*) AS n FROM big").collect()).toEqual([{ n: 3 }]);
  });
});
