import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { MemoryStream, Session, col, window, type DataFrame, type StreamingQuery } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const spark = Session.builder().appName("state-store-providers").getOrCreate();
const tempDir = tempDirs(spark);
let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${counter++}`;
const sec = (s: number): Date => new Date(s * 1000);
const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const PROVIDER_CLASS = "spark.sql.streaming.stateStore.providerClass";
const SPARK_ROCKSDB = "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider";
const SPARK_HDFS = "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider";

afterEach(() => {
  spark.conf.unset(PROVIDER);
  spark.conf.unset(PROVIDER_CLASS);
  spark.conf.unset("rivulet.sql.streaming.stateStore.localDir");
});

function events(): { input: MemoryStream<{ id: string; time: Date }>; df: DataFrame } {
  const input = new MemoryStream<{ id: string; time: Date }>(spark, "id STRING, time TIMESTAMP");
  return { input, df: input.toDF() };
}

async function stateFiles(checkpoint: string): Promise<string[]> {
  return (await readdir(join(checkpoint, "state", "0", "0"))).filter((f) => !f.startsWith("."));
}

async function recordedProvider(checkpoint: string, batchId: number): Promise<string> {
  const lines = (await readFile(join(checkpoint, "offsets", String(batchId)), "utf8")).split("\n");
  return (JSON.parse(lines[1]!) as { conf: Record<string, string> }).conf[PROVIDER]!;
}

/** Settings that select each provider, as users write them. */
const selections: Array<[string, Record<string, string>, "file" | "disk" | "lmdb", RegExp]> = [
  ["file (rivulet name)", { [PROVIDER]: "file" }, "file", /\.delta$/],
  ["lmdb (rivulet name)", { [PROVIDER]: "lmdb" }, "lmdb", /\.changelog$/],
  ["rocksdb (rivulet name)", { [PROVIDER]: "RocksDB" }, "disk", /\.changelog$/],
  ["disk (rivulet name)", { [PROVIDER]: "disk" }, "disk", /\.changelog$/],
  ["Spark's RocksDBStateStoreProvider class", { [PROVIDER_CLASS]: SPARK_ROCKSDB }, "disk", /\.changelog$/],
  ["Spark's HDFSBackedStateStoreProvider class", { [PROVIDER_CLASS]: SPARK_HDFS }, "file", /\.delta$/],
];

describe.each(selections)("state store provider chosen by %s", (_what, settings, recorded, stateFile) => {
  test("dropDuplicates with a watermark: exact across a restart, the state in the provider's files", async () => {
    for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
    spark.conf.set("rivulet.sql.streaming.stateStore.localDir", await tempDir("rivulet-providers-local-"));
    const { input, df } = events();
    const name = uniqueName("dedup");
    const checkpoint = await tempDir("rivulet-providers-ckpt-");
    const deduped = df.withWatermark("time", "10 seconds").dropDuplicates("id", "time");
    const start = (): StreamingQuery => deduped.writeStream.format("memory").queryName(name).outputMode("append")
      .option("checkpointLocation", checkpoint).start();
    let q = start();
    input.addData({ id: "a", time: sec(10) }, { id: "a", time: sec(10) }, { id: "b", time: sec(11) });
    await q.processAllAvailable();
    input.addData({ id: "a", time: sec(10) }, { id: "c", time: sec(30) });
    await q.processAllAvailable();
    await q.stop();
    expect((await stateFiles(checkpoint)).some((f) => stateFile.test(f))).toBe(true);
    expect(await recordedProvider(checkpoint, 0)).toBe(recorded);

    q = start();
    // a@10 is behind the watermark (30 − 10 s): dropped as late; b@40 is new; c@30 was seen.
    input.addData({ id: "a", time: sec(10) }, { id: "b", time: sec(40) }, { id: "c", time: sec(30) });
    await q.processAllAvailable();
    input.addData({ id: "d", time: sec(41) });
    await q.processAllAvailable();
    const progress = q.lastProgress!;
    const gets = q.recentProgress.map((p) => p.stateOperators[0]!.customMetrics.rocksdbGetCount ?? 0);
    await q.stop();
    expect(canon(await spark.table(name).collect())).toEqual(canon([
      { id: "a", time: sec(10) }, { id: "b", time: sec(11) }, { id: "c", time: sec(30) }, { id: "b", time: sec(40) }, { id: "d", time: sec(41) },
    ]));
    const state = progress.stateOperators[0]!;
    // The watermark (41 − 10 s, advanced by a no-data batch) evicted all but b@40 and d@41.
    expect(state.numRowsTotal).toBe(2);
    if (recorded !== "file") {
      expect(state.customMetrics.rocksdbSstFileSize).toBeGreaterThan(0);
      expect(Math.max(...gets)).toBe(2); // the batch with rows b@40 and c@30 (a@10 was late)
      expect(state.customMetrics).toHaveProperty("stateCacheHitRatePercent");
      expect(state.customMetrics).toHaveProperty("rocksdbCommitWriteBatchLatency");
    }
  });

  test("windowed count in update mode: exact across a restart", async () => {
    for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
    const { input, df } = events();
    const name = uniqueName("agg");
    const checkpoint = await tempDir("rivulet-providers-ckpt-");
    const counts = df.withWatermark("time", "1 minute").groupBy(window(col("time"), "10 seconds"), col("id")).count();
    const start = (): StreamingQuery => counts.writeStream.format("memory").queryName(name).outputMode("update")
      .option("checkpointLocation", checkpoint).start();
    let q = start();
    input.addData({ id: "a", time: sec(1) }, { id: "a", time: sec(2) }, { id: "b", time: sec(12) });
    await q.processAllAvailable();
    await q.stop();
    q = start();
    input.addData({ id: "a", time: sec(3) }, { id: "b", time: sec(15) });
    await q.processAllAvailable();
    await q.stop();
    const rows = (await spark.table(name).collect()) as Array<{ id: string; count: number | bigint }>;
    const last = new Map(rows.map((r) => [r.id, Number(r.count)]));
    expect(Object.fromEntries(last)).toEqual({ a: 3, b: 2 });
    expect((await stateFiles(checkpoint)).some((f) => stateFile.test(f))).toBe(true);
  });
});

describe("a checkpoint keeps the state store provider it was written with", () => {
  for (const [first, second] of [["lmdb", "file"], ["file", "lmdb"], ["disk", "file"], ["file", "disk"]] as const) {
    test(`written with ${first}, restarted with ${second}`, async () => {
      spark.conf.set(PROVIDER, first);
      const { input, df } = events();
      const name = uniqueName("switch");
      const checkpoint = await tempDir("rivulet-providers-ckpt-");
      const start = (): StreamingQuery => df.dropDuplicates("id").writeStream.format("memory").queryName(name)
        .option("checkpointLocation", checkpoint).start();
      let q = start();
      input.addData({ id: "a", time: sec(1) }, { id: "b", time: sec(2) });
      await q.processAllAvailable();
      await q.stop();
      spark.conf.set(PROVIDER, second);
      q = start();
      input.addData({ id: "a", time: sec(3) }, { id: "c", time: sec(4) });
      await q.processAllAvailable();
      await q.stop();
      expect(canon((await spark.table(name).collect()).map((r) => (r as { id: string }).id))).toEqual(canon(["a", "b", "c"]));
      expect(await recordedProvider(checkpoint, 1)).toBe(first);
      const files = await stateFiles(checkpoint);
      expect(files).toContain(first === "file" ? "2.delta" : "2.changelog");
      expect(files.some((f) => f.endsWith(second === "file" ? ".delta" : ".changelog"))).toBe(false);
    });
  }
});

describe("invalid provider settings", () => {
  test("an unknown provider name or class fails the query with INVALID_CONF_VALUE", () => {
    const { df } = events();
    spark.conf.set(PROVIDER, "leveldb");
    expect(() => df.dropDuplicates("id").writeStream.format("memory").queryName(uniqueName("bad")).start())
      .toThrow(/\[INVALID_CONF_VALUE\].*'leveldb'.*memory, file, rocksdb, disk, lmdb/);
    spark.conf.unset(PROVIDER);
    spark.conf.set(PROVIDER_CLASS, "com.example.MyProvider");
    expect(() => df.dropDuplicates("id").writeStream.format("memory").queryName(uniqueName("bad")).start())
      .toThrow(/\[INVALID_CONF_VALUE\].*com\.example\.MyProvider/);
  });

  test("the memory provider with a checkpoint location is refused: a restart would lose the state", async () => {
    spark.conf.set(PROVIDER, "memory");
    const { input, df } = events();
    const q = df.dropDuplicates("id").writeStream.format("memory").queryName(uniqueName("mem"))
      .option("checkpointLocation", await tempDir("rivulet-providers-ckpt-")).start();
    input.addData({ id: "a", time: sec(1) });
    await expect(q.awaitTermination()).rejects.toThrow(/state store provider 'memory' keeps no state in the checkpoint/);
  });

  test("the memory provider without a checkpoint runs", async () => {
    spark.conf.set(PROVIDER, "memory");
    const { input, df } = events();
    const name = uniqueName("memok");
    const q = df.dropDuplicates("id").writeStream.format("memory").queryName(name).start();
    input.addData({ id: "a", time: sec(1) }, { id: "a", time: sec(2) });
    await q.processAllAvailable();
    await q.stop();
    expect(await spark.table(name).count()).toBe(1);
  });
});
