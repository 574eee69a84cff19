import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compactIntervalOf, firstEntryToKeep } from "../../../src/connectors/sources/log-compaction.ts";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's FileStreamSourceLog is a CompactibleFileStreamLog: every
// spark.sql.streaming.fileSource.log.compactInterval-th entry is `<n>.compact` with all
// entries, older entry files are deleted (deletion, cleanupDelay, minBatchesToRetain), and
// the files seen are purged past maxFileAge (FileStreamSource.SeenFilesMap).
const spark = Session.builder().appName("file-source-log-compaction").getOrCreate();
scopedTmpdir("rivulet-source-log-", spark);
spark.conf.set("rivulet.streaming.restartStrategy", "none");

const LOG_KEYS = ["spark.sql.streaming.fileSource.log.compactInterval", "spark.sql.streaming.fileSource.log.deletion", "spark.sql.streaming.fileSource.log.cleanupDelay", "spark.sql.streaming.minBatchesToRetain"];
async function withConf<T>(values: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.keys(values).map((k) => [k, spark.conf.getOption(k)] as const);
  for (const [k, v] of Object.entries(values)) spark.conf.set(k, v);
  try {
    return await body();
  } finally {
    for (const [k, v] of saved) if (v === undefined) spark.conf.unset(k); else spark.conf.set(k, v);
  }
}

const put = (dir: string, name: string, v: number, mtimeSec?: number): void => {
  const path = join(dir, name);
  writeFileSync(path, `{"v":${v}}\n`);
  if (mtimeSec !== undefined) utimesSync(path, mtimeSec, mtimeSec);
};
const logNames = (ck: string): string[] => readdirSync(join(ck, "sources", "0")).filter((n) => /^\d+(\.compact)?$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));

/** One file a batch into a json sink, run to the end (availableNow): a restart each call. */
async function runOnce(b: string, options: Record<string, string> = {}): Promise<number[]> {
  const q = spark.readStream.schema("v INT").options({ maxFilesPerTrigger: "1", ...options }).json(join(b, "in"))
    .writeStream.format("json").option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
  await q.awaitTermination();
  return (await spark.read.json(join(b, "out")).collect()).map((r) => Number(r.v)).sort((x, y) => x - y);
}

describe("file source log compaction", () => {
  test("every compactInterval-th entry is <n>.compact holding every entry with its batchId; expired entry files are deleted; restarts read each file once", async () => {
    const b = await mkdtemp(join(tmpdir(), "c-"));
    mkdirSync(join(b, "in"));
    for (let i = 0; i < 7; i++) put(b + "/in", `f${i}.json`, i, 1_000_000 + i);
    await withConf({ [LOG_KEYS[0]!]: "3", [LOG_KEYS[2]!]: "0", [LOG_KEYS[3]!]: "1" }, async () => {
      expect(await runOnce(b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      // Entries 0…6: compactions at 2 and 5; at 5, the files before 2.compact are gone (minBatchesToRetain 1, no delay).
      expect(logNames(join(b, "ck"))).toEqual(["2.compact", "3", "4", "5.compact", "6"]);
      const compact = readFileSync(join(b, "ck", "sources", "0", "5.compact"), "utf8").split("\n").filter((l) => l !== "");
      expect(compact[0]).toBe("v1");
      const entries = compact.slice(1).map((l) => JSON.parse(l) as { path: string; timestamp: number; batchId: number });
      expect(entries.map((e) => [e.path.endsWith(`f${e.batchId}.json`), e.batchId, e.timestamp])).toEqual(
        [0, 1, 2, 3, 4, 5].map((i) => [true, i, (1_000_000 + i) * 1000]));

      // A restart loads 5.compact and 6, reads only the new files.
      for (let i = 7; i < 10; i++) put(b + "/in", `f${i}.json`, i, 1_000_000 + i);
      expect(await runOnce(b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(logNames(join(b, "ck"))).toEqual(["5.compact", "6", "7", "8.compact", "9"]);
    });
  });

  test("with deletion off, or within cleanupDelay, entry files stay; the default interval is 10", async () => {
    const b = await mkdtemp(join(tmpdir(), "c-"));
    mkdirSync(join(b, "in"));
    for (let i = 0; i < 12; i++) put(b + "/in", `f${i}.json`, i, 1_000_000 + i);
    await withConf({ [LOG_KEYS[1]!]: "false", [LOG_KEYS[2]!]: "0", [LOG_KEYS[3]!]: "1" }, () => runOnce(b));
    expect(logNames(join(b, "ck"))).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9.compact", "10", "11"]);
    const c = await mkdtemp(join(tmpdir(), "c-"));
    mkdirSync(join(c, "in"));
    for (let i = 0; i < 4; i++) put(c + "/in", `f${i}.json`, i, 1_000_000 + i);
    await withConf({ [LOG_KEYS[0]!]: "2", [LOG_KEYS[2]!]: "10m", [LOG_KEYS[3]!]: "1" }, () => runOnce(c));
    expect(logNames(join(c, "ck"))).toEqual(["0", "1.compact", "2", "3.compact"]);
  });

  test("a checkpoint written without compaction loads, and its log compacts from then on", async () => {
    const b = await mkdtemp(join(tmpdir(), "c-"));
    mkdirSync(join(b, "in"));
    for (let i = 0; i < 4; i++) put(b + "/in", `f${i}.json`, i, 1_000_000 + i);
    await withConf({ [LOG_KEYS[0]!]: "1000" }, () => runOnce(b));
    expect(logNames(join(b, "ck"))).toEqual(["0", "1", "2", "3"]);
    for (let i = 4; i < 7; i++) put(b + "/in", `f${i}.json`, i, 1_000_000 + i);
    await withConf({ [LOG_KEYS[0]!]: "3", [LOG_KEYS[2]!]: "0", [LOG_KEYS[3]!]: "1" }, async () => {
      expect(await runOnce(b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });
    // 5.compact holds entries 0…5, the plain files before 2 are gone.
    expect(logNames(join(b, "ck"))).toEqual(["2", "3", "4", "5.compact", "6"]);
    expect(readFileSync(join(b, "ck", "sources", "0", "5.compact"), "utf8").split("\n").filter((l) => l.startsWith("{"))).toHaveLength(6);
  });

  test("a log keeps the interval it was compacted with (Spark's deriveCompactInterval)", () => {
    expect(compactIntervalOf(10, 9)).toBe(10);
    expect(compactIntervalOf(10, 5)).toBe(6);
    expect(compactIntervalOf(3, 29)).toBe(3);
    expect(compactIntervalOf(7, 29)).toBe(10);
    expect(compactIntervalOf(20, 29)).toBe(30);
    expect(firstEntryToKeep(9, 10, 100)).toBe(-1);
    expect(firstEntryToKeep(109, 10, 100)).toBe(9);
    expect(firstEntryToKeep(5, 3, 1)).toBe(2);
  });

  test("bad settings are refused naming the config", async () => {
    const b = await mkdtemp(join(tmpdir(), "c-"));
    mkdirSync(join(b, "in"));
    put(b + "/in", "f.json", 1);
    await withConf({ [LOG_KEYS[2]!]: "ten minutes" }, async () => {
      await expect(runOnce(b)).rejects.toThrow(/\[INVALID_CONF_VALUE\] The value 'ten minutes' in the config "spark\.sql\.streaming\.fileSource\.log\.cleanupDelay" is invalid/);
    });
  });
});

describe("maxFileAge", () => {
  const H = 3600;
  test("files older than maxFileAge before the newest file taken are forgotten and never read, in a running query and after a restart", async () => {
    const b = await mkdtemp(join(tmpdir(), "a-"));
    mkdirSync(join(b, "in"));
    const T = 1_700_000_000;
    put(b + "/in", "old.json", 1, T);
    const name = `max_file_age_${process.pid}`;
    const start = () => spark.readStream.schema("v INT").option("maxFileAge", "1h").json(join(b, "in"))
      .writeStream.format("memory").queryName(name).option("checkpointLocation", join(b, "ck")).start();
    let q = start();
    const values = async () => { await q.processAllAvailable(); return (await spark.table(name).collect()).map((r) => Number(r.v)).sort((x, y) => x - y); };
    expect(await values()).toEqual([1]);
    put(b + "/in", "new.json", 2, T + 2 * H); // the threshold moves to T + 1h: old.json is forgotten
    expect(await values()).toEqual([1, 2]);
    put(b + "/in", "late.json", 3, T + H / 2); // never seen, but older than the threshold
    put(b + "/in", "old.json", 1, T); // rewritten with its old time: forgotten, yet not new
    put(b + "/in", "fresh.json", 4, T + H + 60); // within the hour
    expect(await values()).toEqual([1, 2, 4]);
    await q.stop();

    // A restart rebuilds the map from the log and purges it the same way.
    put(b + "/in", "newer.json", 5, T + 3 * H);
    q = start();
    expect(await values()).toEqual([1, 2, 4, 5]); // the memory table keeps the first run's rows; late.json and old.json stay unread
    await q.stop();
  });

  test("ignored when latestFirst is set with maxFilesPerTrigger (Spark's rule): the older file is read in a later batch", async () => {
    const b = await mkdtemp(join(tmpdir(), "a-"));
    mkdirSync(join(b, "in"));
    const T = 1_700_000_000;
    put(b + "/in", "older.json", 1, T);
    put(b + "/in", "newer.json", 2, T + 5 * H);
    expect(await runOnce(b, { latestFirst: "true", maxFileAge: "1h" })).toEqual([1, 2]);
    // Without maxFilesPerTrigger's limit applying the rule, maxFileAge holds: with latestFirst alone a later old file is skipped.
    const c = await mkdtemp(join(tmpdir(), "a-"));
    mkdirSync(join(c, "in"));
    put(c + "/in", "newer.json", 2, T + 5 * H);
    const q = spark.readStream.schema("v INT").option("latestFirst", "true").option("maxFileAge", "1h").json(join(c, "in"))
      .writeStream.format("json").option("path", join(c, "out")).option("checkpointLocation", join(c, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    put(c + "/in", "older.json", 1, T);
    const again = spark.readStream.schema("v INT").option("latestFirst", "true").option("maxFileAge", "1h").json(join(c, "in"))
      .writeStream.format("json").option("path", join(c, "out")).option("checkpointLocation", join(c, "ck")).trigger({ availableNow: true }).start();
    await again.awaitTermination();
    expect((await spark.read.json(join(c, "out")).collect()).map((r) => Number(r.v))).toEqual([2]);
  });

  test("the default is 7d; a value that is not a time is refused naming the option", async () => {
    const b = await mkdtemp(join(tmpdir(), "a-"));
    mkdirSync(join(b, "in"));
    const T = 1_700_000_000;
    put(b + "/in", "a.json", 1, T + 8 * 24 * H);
    expect(await runOnce(b)).toEqual([1]);
    put(b + "/in", "b.json", 2, T + 2 * 24 * H); // 6 days older: kept by 7d
    put(b + "/in", "c.json", 3, T); // 8 days older: too old
    expect(await runOnce(b)).toEqual([1, 2]);
    expect(() => spark.readStream.schema("v INT").option("maxFileAge", "7 days").json(join(b, "in")))
      .toThrow(/json source: option 'maxFileAge' must be a time such as 50s/);
  });
});
