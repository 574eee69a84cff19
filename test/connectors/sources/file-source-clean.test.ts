import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's cleanSource (FileStreamSource.commit → FileStreamSourceCleaner): a batch's
// input files are deleted or archived once the batch is committed, never before.
const spark = Session.builder().appName("file-source-clean").getOrCreate();
scopedTmpdir("rivulet-clean-source-", spark);
spark.conf.set("rivulet.streaming.restartStrategy", "none");

async function inputs(count: number): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), "clean-"));
  mkdirSync(join(base, "in"));
  for (let i = 1; i <= count; i++) writeFileSync(join(base, "in", `${i}.json`), `{"a":${i}}\n`);
  return base;
}

describe("cleanSource", () => {
  test("delete: every committed file is removed; the rows all arrive", async () => {
    const b = await inputs(3);
    const q = spark.readStream.schema("a INT").option("cleanSource", "delete").option("maxFilesPerTrigger", 1).json(join(b, "in"))
      .writeStream.format("json").option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(readdirSync(join(b, "in"))).toEqual([]);
    expect((await spark.read.json(join(b, "out")).orderBy("a").collect()).map((r) => r.a)).toEqual([1, 2, 3]);
  });

  test("archive: files move under sourceArchiveDir with their path kept", async () => {
    const b = await inputs(2);
    const archive = join(b, "archive");
    const name = `archived_${process.pid}`;
    const q = spark.readStream.schema("a INT").option("cleanSource", "ARCHIVE").option("sourceArchiveDir", archive).json(join(b, "in"))
      .writeStream.format("memory").queryName(name).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(readdirSync(join(b, "in"))).toEqual([]);
    expect(readdirSync(join(archive, b, "in")).sort()).toEqual(["1.json", "2.json"]);
    expect((await spark.sql(`SELECT a FROM ${name} ORDER BY a`).collect()).map((r) => r.a)).toEqual([1, 2]);
  });

  test("a batch that fails keeps its files; after a restart it is re-run and then cleaned", async () => {
    const b = await inputs(2);
    const start = (failOn: number | null) => spark.readStream.schema("a INT").option("cleanSource", "delete").option("maxFilesPerTrigger", 1).json(join(b, "in"))
      .writeStream.option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true })
      .foreachBatch(async (df, batchId) => {
        if (batchId === failOn) throw new Error("sink down");
        await df.write.mode("append").json(join(b, "out"));
      }).start();
    const q1 = start(1);
    await expect(q1.awaitTermination()).rejects.toThrow(/sink down/);
    // Batch 0 was committed: its file is gone. Batch 1 failed: its file is still there.
    expect(readdirSync(join(b, "in"))).toEqual(["2.json"]);
    const q2 = start(null);
    await q2.awaitTermination();
    expect(readdirSync(join(b, "in"))).toEqual([]);
    expect((await spark.read.json(join(b, "out")).orderBy("a").collect()).map((r) => r.a)).toEqual([1, 2]);
  });

  test("Spark's checks: a valid mode, an archive dir given and outside the source pattern; batch reads ignore the option", async () => {
    const b = await inputs(1);
    const starting = (options: Record<string, string>, path = join(b, "in")) => async () => {
      const q = spark.readStream.schema("a INT").options(options).json(path).writeStream.format("console").trigger({ availableNow: true }).start();
      await q.awaitTermination();
    };
    await expect(starting({ cleanSource: "move" })).rejects.toThrow(/Invalid mode for clean source option move. Must be one of ARCHIVE,DELETE,OFF/);
    await expect(starting({ cleanSource: "archive" })).rejects.toThrow(/Archive mode must be used with 'sourceArchiveDir' option/);
    await expect(starting({ cleanSource: "archive", sourceArchiveDir: join(b, "in", "done") }))
      .rejects.toThrow(/Base archive path cannot be set to the path where archived path can possibly match with source pattern/);
    // A glob in the source pattern: an archive dir it matches is refused, another is fine.
    await expect(starting({ cleanSource: "archive", sourceArchiveDir: join(b, "in", "old.json") }, join(b, "in", "*.json"))).rejects.toThrow(/Base archive path cannot be set/);
    await expect(starting({ cleanSource: "archive", sourceArchiveDir: join(b, "in", "old") }, join(b, "in", "*.json"))()).resolves.toBeUndefined();
    expect(readdirSync(join(b, "in", "old", b, "in"))).toEqual(["1.json"]);
    writeFileSync(join(b, "in", "1.json"), '{"a":1}\n');
    expect(await spark.read.schema("a INT").option("cleanSource", "delete").json(join(b, "in")).collect()).toEqual([{ a: 1 }]);
    expect(existsSync(join(b, "in", "1.json"))).toBe(true);
  });
});
