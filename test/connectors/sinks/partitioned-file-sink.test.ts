import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's partitioned file layout: writeStream/df.write .partitionBy("country") writes
// country=US/part-… files without the column, listed in _spark_metadata for a stream,
// and a reader discovers the column back from the directories.
const spark = Session.builder().appName("partitioned-file-sink").getOrCreate();
scopedTmpdir("rivulet-partitioned-sink-", spark);
spark.conf.set("rivulet.streaming.restartStrategy", "none");

const partFiles = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => !f.startsWith("_") && /(^|\/)part-/.test(f)).sort();

describe("partitionBy on file sinks", () => {
  test("a streaming json sink writes country=…/part-… without the column; it reads back with the column; a restart adds no duplicates", async () => {
    const b = await mkdtemp(join(tmpdir(), "p-"));
    mkdirSync(join(b, "in"));
    writeFileSync(join(b, "in", "1.json"), '{"id":1,"country":"US"}\n{"id":2,"country":"FR"}\n{"id":3,"country":"US"}\n');
    const start = () => spark.readStream.schema("id INT, country STRING").json(join(b, "in")).writeStream.format("json").partitionBy("country")
      .option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
    await start().awaitTermination();
    const files = partFiles(join(b, "out"));
    expect(files.map((f) => f.split("/")[0])).toEqual(["country=FR", "country=US"]);
    expect(files.every((f) => /^country=(FR|US)\/part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.c000\.json$/.test(f))).toBe(true);
    const us = files.find((f) => f.startsWith("country=US"))!;
    expect(readFileSync(join(b, "out", us), "utf8")).toBe('{"id":1}\n{"id":3}\n');
    // Listed in the sink log as Spark lists them.
    const entry = readFileSync(join(b, "out", "_spark_metadata", "0"), "utf8");
    expect(entry).toContain("/country=US/part-00000-");
    expect(entry).toContain("/country=FR/part-00000-");

    const back = spark.read.json(join(b, "out"));
    expect(back.schema.simpleString()).toBe("struct<id:bigint,country:string>");
    expect(await back.orderBy("id").collect()).toEqual([{ id: 1, country: "US" }, { id: 2, country: "FR" }, { id: 3, country: "US" }]);

    // A writer that crashed in batch 1 left a part file in a partition directory: never read, and replaced.
    writeFileSync(join(b, "out", "country=US", "part-1-crashed.json"), '{"id":99}\n');
    expect((await spark.read.json(join(b, "out")).collect()).map((r) => r.id)).not.toContain(99);
    // A new file, a restart: only the new rows are added.
    writeFileSync(join(b, "in", "2.json"), '{"id":4,"country":null}\n{"id":5,"country":"a/b"}\n');
    await start().awaitTermination();
    expect(partFiles(join(b, "out")).map((f) => f.split("/")[0])).toEqual(["country=FR", "country=US", "country=__HIVE_DEFAULT_PARTITION__", "country=a%2Fb"]);
    const all = await spark.read.json(join(b, "out")).orderBy("id").collect();
    expect(all).toEqual([
      { id: 1, country: "US" }, { id: 2, country: "FR" }, { id: 3, country: "US" }, { id: 4, country: null }, { id: 5, country: "a/b" },
    ]);
    // A streaming reader of the sink's output also sees the partition column.
    const name = `partitioned_back_${process.pid}`;
    const q = spark.readStream.schema("id INT, country STRING").json(join(b, "out")).writeStream.format("memory").queryName(name).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(await spark.sql(`SELECT count(*) AS n, count(country) AS c FROM ${name}`).collect()).toEqual([{ n: 5, c: 4 }]);
  });

  test("df.write.partitionBy with two columns (csv, header) and SQL reading them back", async () => {
    const b = await mkdtemp(join(tmpdir(), "p-"));
    const df = spark.sql("SELECT * FROM VALUES (1, 'x', 2024, 'US'), (2, 'y', 2025, 'US'), (3, 'z', 2024, 'FR') AS t(id, s, year, country)");
    await df.write.partitionBy("year", "Country").option("header", "true").csv(join(b, "out"));
    const files = partFiles(join(b, "out"));
    expect(files.map((f) => f.split("/").slice(0, 2).join("/"))).toEqual(["year=2024/country=FR", "year=2024/country=US", "year=2025/country=US"]);
    expect(readFileSync(join(b, "out", files[0]!), "utf8")).toBe("id,s\n3,z\n");
    const back = spark.read.option("header", "true").option("inferSchema", "true").csv(join(b, "out"));
    expect(back.schema.simpleString()).toBe("struct<id:int,s:string,year:int,country:string>");
    back.createOrReplaceTempView("partitioned_back");
    expect(await spark.sql("SELECT id FROM partitioned_back WHERE year = 2024 ORDER BY id").collect()).toEqual([{ id: 1 }, { id: 3 }]);
  });

  test("overwrite with partitionOverwriteMode dynamic replaces only the partitions written (conf and option forms); static replaces all", async () => {
    const b = await mkdtemp(join(tmpdir(), "p-"));
    const days = (dir: string) => readdirSync(dir).filter((d) => d.startsWith("day=")).sort();
    // The partition values read back as dates (Spark's partition type inference); shown as text.
    const read = async (dir: string) => (await spark.read.parquet(dir).selectExpr("CAST(day AS STRING) AS day", "v").orderBy("day").collect()).map((r) => `${String(r.day)}:${String(r.v)}`);
    const first = spark.sql("SELECT * FROM VALUES ('2024-01-01', 1), ('2024-01-02', 2) AS t(day, v)");
    const second = spark.sql("SELECT * FROM VALUES ('2024-01-02', 20), ('2024-01-03', 30) AS t(day, v)");
    await first.write.partitionBy("day").parquet(join(b, "conf"));
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    try {
      await second.write.mode("overwrite").partitionBy("day").parquet(join(b, "conf"));
    } finally {
      spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static");
    }
    expect(days(join(b, "conf"))).toEqual(["day=2024-01-01", "day=2024-01-02", "day=2024-01-03"]);
    expect(await read(join(b, "conf"))).toEqual(["2024-01-01:1", "2024-01-02:20", "2024-01-03:30"]);

    await first.write.partitionBy("day").parquet(join(b, "option"));
    await second.write.mode("overwrite").option("partitionOverwriteMode", "DYNAMIC").partitionBy("day").parquet(join(b, "option"));
    expect(await read(join(b, "option"))).toEqual(["2024-01-01:1", "2024-01-02:20", "2024-01-03:30"]);

    await second.write.mode("overwrite").partitionBy("day").parquet(join(b, "option"));
    expect(await read(join(b, "option"))).toEqual(["2024-01-02:20", "2024-01-03:30"]);
    await expect(second.write.mode("overwrite").option("partitionOverwriteMode", "sometimes").partitionBy("day").parquet(join(b, "option")))
      .rejects.toThrow("must be one of STATIC, DYNAMIC");
  });

  test("Spark's checks: the column exists, is atomic, and not every column is a partition column", async () => {
    const b = await mkdtemp(join(tmpdir(), "p-"));
    const df = spark.sql("SELECT 1 AS id, named_struct('a', 1) AS s");
    await expect(df.write.partitionBy("nope").json(join(b, "a"))).rejects.toThrow(/Partition column `nope` not found/);
    await expect(df.write.partitionBy("s").json(join(b, "b"))).rejects.toThrow(/Cannot use struct.* for partition column s/);
    await expect(spark.sql("SELECT 1 AS id").write.partitionBy("id").json(join(b, "c"))).rejects.toThrow(/Cannot use all columns for partition columns/);
    mkdirSync(join(b, "in"));
    writeFileSync(join(b, "in", "1.json"), '{"id":1}\n');
    const q = async () => {
      const query = spark.readStream.schema("id INT").json(join(b, "in")).writeStream.format("json").partitionBy("id")
        .option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
      await query.awaitTermination();
    };
    await expect(q()).rejects.toThrow(/Cannot use all columns for partition columns/);
  });
});
