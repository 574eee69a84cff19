import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveSinkFactory } from "../../../src/connectors/sinks/index.ts";
import { Session } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";
import { sinkContext, table } from "./helpers.ts";

// Spark's maxRecordsPerFile (writer option, else spark.sql.files.maxRecordsPerFile; 0 or
// negative: no limit) and its part file names: part-<task>-<uuid>-c<counter>.<ext>, `.c000`
// under partitionBy, a new counter each time a file is full.
const spark = Session.builder().appName("max-records-per-file").getOrCreate();
scopedTmpdir("rivulet-max-records-", spark);
spark.conf.set("rivulet.streaming.restartStrategy", "none");

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const partFiles = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => !f.startsWith("_") && /(^|\/)part-[^/]*$/.test(f)).sort();
const lines = (dir: string, file: string): string[] => readFileSync(join(dir, file), "utf8").split("\n").filter((l) => l !== "");
const five = () => spark.sql("SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e') AS t(id, s)");
const newDir = () => mkdtemp(join(tmpdir(), "m-"));

describe("maxRecordsPerFile in df.write", () => {
  test("json: 5 rows with a limit of 2 make c000, c001, c002 of one write's uuid, in row order; read back whole", async () => {
    const out = join(await newDir(), "out");
    await five().write.option("maxRecordsPerFile", 2).json(out);
    const files = partFiles(out);
    expect(files).toHaveLength(3);
    const m = files.map((f) => new RegExp(`^part-00000-(${UUID})-c(\\d{3})\\.json$`).exec(f));
    expect(m.every((x) => x !== null)).toBe(true);
    expect(new Set(m.map((x) => x![1])).size).toBe(1); // Spark's job id: one per write
    expect(m.map((x) => x![2])).toEqual(["000", "001", "002"]);
    expect(files.map((f) => lines(out, f).length)).toEqual([2, 2, 1]);
    expect(lines(out, files[2]!)).toEqual(['{"id":5,"s":"e"}']);
    expect((await spark.read.json(out).orderBy("id").collect()).map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5]);
  });

  test("the session's spark.sql.files.maxRecordsPerFile applies; the option beats it; 0 and negative mean no limit", async () => {
    const base = await newDir();
    expect(spark.conf.get("spark.sql.files.maxRecordsPerFile")).toBe("0");
    spark.conf.set("spark.sql.files.maxRecordsPerFile", "3");
    try {
      await five().write.csv(join(base, "conf"));
      await five().write.option("maxRecordsPerFile", "0").csv(join(base, "option-zero"));
      await five().write.option("MAXRECORDSPERFILE", 4).csv(join(base, "option-4"));
      spark.conf.set("spark.sql.files.maxRecordsPerFile", "-1");
      await five().write.csv(join(base, "negative"));
    } finally {
      spark.conf.set("spark.sql.files.maxRecordsPerFile", "0");
    }
    const sizes = (name: string) => partFiles(join(base, name)).map((f) => lines(join(base, name), f).length);
    expect(sizes("conf")).toEqual([3, 2]);
    expect(sizes("option-zero")).toEqual([5]);
    expect(sizes("option-4")).toEqual([4, 1]);
    expect(sizes("negative")).toEqual([5]);
    expect(partFiles(join(base, "conf")).every((f) => new RegExp(`^part-00000-${UUID}-c00[01]\\.csv$`).test(f))).toBe(true);
  });

  test("csv with header writes the header in every file; text and parquet split too; gzip keeps its suffix after the counter", async () => {
    const base = await newDir();
    await five().write.option("header", "true").option("maxRecordsPerFile", 2).csv(join(base, "csv"));
    const csv = partFiles(join(base, "csv"));
    expect(csv.map((f) => lines(join(base, "csv"), f)[0])).toEqual(["id,s", "id,s", "id,s"]);
    expect((await spark.read.option("header", "true").csv(join(base, "csv")).count())).toBe(5);

    await five().selectExpr("s").write.option("maxRecordsPerFile", 4).text(join(base, "text"));
    expect(partFiles(join(base, "text")).map((f) => lines(join(base, "text"), f))).toEqual([["a", "b", "c", "d"], ["e"]]);

    await five().write.option("maxRecordsPerFile", 2).parquet(join(base, "parquet"));
    const parquet = partFiles(join(base, "parquet"));
    expect(parquet.every((f) => new RegExp(`^part-00000-${UUID}-c00[0-2]\\.snappy\\.parquet$`).test(f))).toBe(true);
    expect(await Promise.all(parquet.map((f) => spark.read.parquet(join(base, "parquet", f)).count()))).toEqual([2, 2, 1]);

    await five().write.option("compression", "gzip").option("maxRecordsPerFile", 3).json(join(base, "gz"));
    expect(partFiles(join(base, "gz")).map((f) => f.replace(new RegExp(UUID), "U"))).toEqual(["part-00000-U-c000.json.gz", "part-00000-U-c001.json.gz"]);
    expect(await spark.read.json(join(base, "gz")).count()).toBe(5);
  });

  test("partitionBy: each partition directory counts its own files, named ….c000, ….c001", async () => {
    const out = join(await newDir(), "out");
    const df = spark.sql("SELECT * FROM VALUES (1, 'US'), (2, 'FR'), (3, 'US'), (4, 'US'), (5, 'FR') AS t(id, country)");
    await df.write.partitionBy("country").option("maxRecordsPerFile", 2).json(out);
    expect(partFiles(out).map((f) => f.replace(new RegExp(UUID), "U"))).toEqual([
      "country=FR/part-00000-U.c000.json",
      "country=US/part-00000-U.c000.json", "country=US/part-00000-U.c001.json",
    ]);
    const us = partFiles(out).filter((f) => f.startsWith("country=US"));
    expect(us.map((f) => lines(out, f))).toEqual([['{"id":1}', '{"id":3}'], ['{"id":4}']]);
    expect((await spark.read.json(out).orderBy("id").collect()).map((r) => `${String(r.id)}${String(r.country)}`)).toEqual(["1US", "2FR", "3US", "4US", "5FR"]);
  });

  test("a value that is not a number fails before an overwrite removes anything, naming the option or the config", async () => {
    const out = join(await newDir(), "out");
    await five().write.json(out);
    await expect(five().write.mode("overwrite").option("maxRecordsPerFile", "ten").json(out))
      .rejects.toThrow(/\[INVALID_CONF_VALUE\] The value 'ten' of the writer option maxRecordsPerFile is invalid/);
    expect(await spark.read.json(out).count()).toBe(5);
    spark.conf.set("spark.sql.files.maxRecordsPerFile", "1.5");
    try {
      await expect(five().write.mode("overwrite").json(out)).rejects.toThrow(/The value '1\.5' of the config "spark\.sql\.files\.maxRecordsPerFile" is invalid/);
    } finally {
      spark.conf.set("spark.sql.files.maxRecordsPerFile", "0");
    }
    expect(await spark.read.json(out).count()).toBe(5);
  });
});

describe("maxRecordsPerFile in the streaming file sink", () => {
  test("each batch's rows split into files of at most n rows, all listed in its _spark_metadata entry; a restart adds no duplicates", async () => {
    const b = await newDir();
    mkdirSync(join(b, "in"));
    writeFileSync(join(b, "in", "1.json"), [1, 2, 3, 4, 5].map((id) => JSON.stringify({ id })).join("\n") + "\n");
    const start = () => spark.readStream.schema("id INT").json(join(b, "in")).writeStream.format("json").option("maxRecordsPerFile", 2)
      .option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
    await start().awaitTermination();
    const out = join(b, "out");
    const files = partFiles(out);
    expect(files.map((f) => lines(out, f).length).sort()).toEqual([1, 2, 2]);
    // A uuid per file, as Spark's ManifestFileCommitProtocol names streaming part files.
    expect(files.every((f) => new RegExp(`^part-00000-${UUID}-c00[0-2]\\.json$`).test(f))).toBe(true);
    expect(files.map((f) => /c00(\d)/.exec(f)![1]).sort()).toEqual(["0", "1", "2"]);
    const entry = readFileSync(join(out, "_spark_metadata", "0"), "utf8");
    for (const f of files) expect(entry).toContain(`/out/${f}"`);
    expect(readdirSync(join(out, "_spark_metadata"))).toEqual(["0"]); // no pending record left once committed

    writeFileSync(join(b, "in", "2.json"), '{"id":6}\n{"id":7}\n{"id":8}\n');
    await start().awaitTermination();
    expect(partFiles(out)).toHaveLength(5);
    expect((await spark.read.json(out).orderBy("id").collect()).map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("the session's spark.sql.files.maxRecordsPerFile applies to a stream started under it; partitionBy directories count their own", async () => {
    const b = await newDir();
    mkdirSync(join(b, "in"));
    writeFileSync(join(b, "in", "1.json"), '{"id":1,"c":"x"}\n{"id":2,"c":"x"}\n{"id":3,"c":"y"}\n{"id":4,"c":"x"}\n');
    spark.conf.set("spark.sql.files.maxRecordsPerFile", "1");
    try {
      const q = spark.readStream.schema("id INT, c STRING").json(join(b, "in")).writeStream.format("csv").partitionBy("c")
        .option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
      await q.awaitTermination();
    } finally {
      spark.conf.set("spark.sql.files.maxRecordsPerFile", "0");
    }
    const files = partFiles(join(b, "out")).map((f) => f.replace(new RegExp(UUID), "U"));
    expect(files.filter((f) => f.startsWith("c=x"))).toHaveLength(3);
    expect(files.filter((f) => f.startsWith("c=y"))).toEqual(["c=y/part-00000-U.c000.csv"]);
    expect(files.filter((f) => f.startsWith("c=x")).map((f) => f.slice(f.indexOf(".c"))).sort()).toEqual([".c000.csv", ".c001.csv", ".c002.csv"]);
  });

  test("an attempt that failed after writing some of its files leaves them unread, and the batch's next attempt deletes them", async () => {
    const dir = await newDir();
    const schema = parseSchema("id INT, country STRING");
    const sinkFor = () => resolveSinkFactory("json")(sinkContext(schema, "append", { path: dir, maxRecordsPerFile: "1", __partition_columns: '["country"]' }));
    const sink = await sinkFor();
    await sink.addBatch(0, table(schema, [{ id: 1, country: "US" }]), "append");
    // A plain file where batch 1's second partition directory must go: its first files are written, then it fails.
    await writeFile(join(dir, "country=ZZ"), "in the way");
    await expect(sink.addBatch(1, table(schema, [{ id: 2, country: "US" }, { id: 3, country: "US" }, { id: 4, country: "ZZ" }]), "append")).rejects.toThrow();
    const orphans = partFiles(dir).filter((f) => f.startsWith("country=US")).length - 1;
    expect(orphans).toBe(2);
    expect((await spark.read.json(dir).collect()).map((r) => Number(r.id))).toEqual([1]); // through the log: batch 0 only
    expect((await readdir(join(dir, "_spark_metadata"))).sort()).toEqual([".1.pending", "0"]);

    // Restarted (a new sink, as after a crash): the directory is free now.
    await rm(join(dir, "country=ZZ"));
    const restarted = await sinkFor();
    await restarted.addBatch(1, table(schema, [{ id: 2, country: "US" }, { id: 3, country: "US" }, { id: 4, country: "ZZ" }]), "append");
    expect(partFiles(dir).filter((f) => f.startsWith("country=US"))).toHaveLength(3);
    expect(partFiles(dir).every((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l !== "").length === 1)).toBe(true);
    expect((await spark.read.json(dir).orderBy("id").collect()).map((r) => Number(r.id))).toEqual([1, 2, 3, 4]);
    expect((await readdir(join(dir, "_spark_metadata"))).sort()).toEqual(["0", "1"]);
  });
});

describe("maxRecordsPerFile in SQL's INSERT INTO", () => {
  test("the session's spark.sql.files.maxRecordsPerFile splits an INSERT into a file table", async () => {
    const dir = join(await newDir(), "t");
    await spark.sql(`CREATE TABLE insert_limited (id INT, s STRING) USING json LOCATION '${dir}'`).collect();
    spark.conf.set("spark.sql.files.maxRecordsPerFile", "2");
    try {
      await spark.sqlScript("INSERT INTO insert_limited SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e') AS t(id, s)");
    } finally {
      spark.conf.unset("spark.sql.files.maxRecordsPerFile");
    }
    expect(partFiles(dir).map((f) => lines(dir, f).length)).toEqual([2, 2, 1]);
    expect((await spark.sql("SELECT id FROM insert_limited ORDER BY id").collect()).map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5]);
    expect(spark.conf.get("spark.sql.streaming.fileSource.log.cleanupDelay")).toBe("10m");
  });
});
