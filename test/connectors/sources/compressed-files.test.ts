import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync, deflateSync, inflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark reads a file through the Hadoop codec its extension names (.gz, .deflate…) and
// writes part-….json.gz / .csv.deflate with option("compression", …).
const spark = Session.builder().appName("compressed-files").getOrCreate();
scopedTmpdir("rivulet-compressed-", spark);

const newDir = async (): Promise<string> => mkdtemp(join(tmpdir(), "c-"));

describe("compressed input files", () => {
  test("json, csv and text files ending in .gz or .deflate are decompressed, in a batch read", async () => {
    const dir = await newDir();
    mkdirSync(join(dir, "json")); mkdirSync(join(dir, "csv")); mkdirSync(join(dir, "text"));
    writeFileSync(join(dir, "json", "a.json.gz"), gzipSync('{"a":1}\n{"a":2}\n'));
    writeFileSync(join(dir, "json", "b.json.deflate"), deflateSync('{"a":3}\n'));
    writeFileSync(join(dir, "json", "c.json"), '{"a":4}\n');
    writeFileSync(join(dir, "csv", "b.csv.gz"), gzipSync("x,y\n1,2\n"));
    writeFileSync(join(dir, "text", "c.txt.gz"), gzipSync("hello\nworld\n"));
    const json = spark.read.json(join(dir, "json"));
    expect(json.schema.simpleString()).toBe("struct<a:bigint>");
    expect((await json.collect()).map((r) => r.a).sort()).toEqual([1, 2, 3, 4]);
    expect(await spark.read.option("header", "true").csv(join(dir, "csv")).collect()).toEqual([{ x: "1", y: "2" }]);
    expect(await spark.read.text(join(dir, "text")).collect()).toEqual([{ value: "hello" }, { value: "world" }]);
    expect(await spark.read.option("wholetext", "true").text(join(dir, "text")).collect()).toEqual([{ value: "hello\nworld\n" }]);
  });

  test("a streaming query reads new .gz files, also in worker threads", async () => {
    const dir = await newDir();
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "1.json.gz"), gzipSync('{"a":1}\n'));
    writeFileSync(join(dir, "in", "2.json.gz"), gzipSync('{"a":2}\n{"a":3}\n'));
    for (const parallelism of ["1", "2"]) {
      spark.conf.set("rivulet.sql.parallelism", parallelism);
      try {
        const name = `gz_${parallelism}_${process.pid}`;
        const q = spark.readStream.schema("a INT").json(join(dir, "in")).writeStream.format("memory").queryName(name)
          .trigger({ availableNow: true }).start();
        await q.awaitTermination();
        expect((await spark.sql(`SELECT a FROM ${name} ORDER BY a`).collect()).map((r) => r.a)).toEqual([1, 2, 3]);
      } finally {
        spark.conf.unset("rivulet.sql.parallelism");
      }
    }
  });

  test("a codec rivulet cannot read is named in the error, not read as garbage", async () => {
    const dir = await newDir();
    writeFileSync(join(dir, "a.json.bz2"), Buffer.from("BZh91AY&SY"));
    await expect(spark.read.schema("a INT").json(dir).collect()).rejects.toThrow(/bzip2 codec .*'\.bz2'.* not supported/);
    const bad = await newDir();
    writeFileSync(join(bad, "a.csv.gz"), "not gzip");
    await expect(spark.read.schema("a INT").csv(bad).collect()).rejects.toThrow(/a\.csv\.gz: not valid gzip data/);
  });
});

describe("compression option of the json and csv writers", () => {
  test("df.write with gzip and deflate: Spark's part-….json.gz names, read back by the source", async () => {
    const dir = await newDir();
    const df = spark.sql("SELECT 1 AS a, CAST(NULL AS INT) AS b UNION ALL SELECT 2, 3");
    await df.write.option("compression", "gzip").option("ignoreNullFields", "false").json(join(dir, "j"));
    const part = readdirSync(join(dir, "j")).find((f) => f.startsWith("part-"))!;
    expect(part).toMatch(/^part-00000-.*-c000\.json\.gz$/);
    expect(gunzipSync(readFileSync(join(dir, "j", part))).toString()).toBe('{"a":1,"b":null}\n{"a":2,"b":3}\n');
    expect(await spark.read.schema("a INT, b INT").json(join(dir, "j")).orderBy("a").collect()).toEqual([{ a: 1, b: null }, { a: 2, b: 3 }]);

    await df.write.option("codec", "DEFLATE").option("header", "true").csv(join(dir, "c"));
    const csvPart = readdirSync(join(dir, "c")).find((f) => f.startsWith("part-"))!;
    expect(csvPart).toMatch(/\.csv\.deflate$/);
    expect(inflateSync(readFileSync(join(dir, "c", csvPart))).toString()).toBe("a,b\n1,\n2,3\n");

    await df.write.option("compression", "none").json(join(dir, "n"));
    expect(readdirSync(join(dir, "n")).find((f) => f.startsWith("part-"))).toMatch(/\.json$/);
    await expect(df.write.option("compression", "zip").json(join(dir, "z"))).rejects.toThrow(/CODEC_NOT_AVAILABLE.*The codec zip is not available/);
    await expect(df.write.option("compression", "zstd").json(join(dir, "z2"))).rejects.toThrow(/zstd codec is not supported/);
  });

  test("the streaming file sink writes .json.gz part files, listed in _spark_metadata and read back", async () => {
    const dir = await newDir();
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "1.json"), '{"a":1}\n{"a":2}\n');
    const q = spark.readStream.schema("a INT").json(join(dir, "in")).writeStream.format("json").option("compression", "gzip")
      .option("path", join(dir, "out")).option("checkpointLocation", join(dir, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    const parts = readdirSync(join(dir, "out")).filter((f) => f.startsWith("part-"));
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/^part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\.json\.gz$/);
    expect(readFileSync(join(dir, "out", "_spark_metadata", "0"), "utf8")).toContain(parts[0]);
    expect((await spark.read.json(join(dir, "out")).orderBy("a").collect()).map((r) => r.a)).toEqual([1, 2]);
  });
});
