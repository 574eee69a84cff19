import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, col } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { REDIS_URL, RedisTestClient, uniqueKey } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
let redis: RedisTestClient;
beforeAll(async () => { redis = await RedisTestClient.open(); });
afterAll(async () => { await redis.close(); });

let queries = 0;
async function runOnce(options: Record<string, string>, checkpoint?: string) {
  const name = `redis_${process.pid}_${++queries}`;
  let writer = spark.readStream.format("redis").options({ url: REDIS_URL, ...options }).load()
    .writeStream.format("memory").queryName(name).trigger({ availableNow: true });
  if (checkpoint !== undefined) writer = writer.option("checkpointLocation", checkpoint);
  const query = writer.start();
  await query.awaitTermination();
  const rows = await spark.table(name).collect();
  return { rows, query };
}

const ns = (rows: Record<string, unknown>[]) => rows.map((r) => (r.fields as Map<string, string>).get("n"));

describe("readStream.format(\"redis\")", () => {
  test("earliest reads every entry with its stream, id, fields and the id's time", async () => {
    const key = uniqueKey("src_cols");
    const before = Date.now();
    const first = await redis.add(key, { n: "1", user: "ann" });
    await redis.add(key, { n: "2" });
    const { rows } = await runOnce({ stream: key, startingOffsets: "earliest" });
    expect(rows.map((r) => [r.stream, r.id])).toEqual([[key, first], [key, expect.any(String)]]);
    expect(rows[0]!.fields).toEqual(new Map([["n", "1"], ["user", "ann"]]));
    expect((rows[0]!.timestamp as Date).getTime()).toBe(Number(first.split("-")[0]));
    expect((rows[0]!.timestamp as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const df = spark.readStream.format("redis").options({ url: REDIS_URL, stream: key }).load();
    expect(df.schema.toDDL()).toBe("stream STRING NOT NULL, id STRING NOT NULL, fields MAP<STRING, STRING> NOT NULL, timestamp TIMESTAMP NOT NULL");
  });

  test("several streams, maxEntriesPerTrigger, and latest kept in the checkpoint: restarts continue exactly", async () => {
    const a = uniqueKey("src_a");
    const b = uniqueKey("src_b");
    await redis.add(a, { n: "old" });
    const checkpoint = join(await tmp("redis-src"), "ckpt");
    const options = { stream: `${a},${b}`, maxEntriesPerTrigger: "3" };
    expect((await runOnce(options, checkpoint)).rows).toEqual([]);
    for (let i = 1; i <= 4; i++) await redis.add(a, { n: `a${i}` });
    for (let i = 1; i <= 2; i++) await redis.add(b, { n: `b${i}` });
    const second = await runOnce(options, checkpoint);
    expect(second.rows.map((r) => [r.stream === a ? "a" : "b", (r.fields as Map<string, string>).get("n")])).toEqual(
      [["a", "a1"], ["a", "a2"], ["a", "a3"], ["a", "a4"], ["b", "b1"], ["b", "b2"]]);
    expect(second.query.recentProgress.map((p) => p.numInputRows)).toEqual([3, 3]);
    await redis.add(b, { n: "b3" });
    const third = await runOnce(options, checkpoint);
    expect(ns(third.rows)).toEqual(["b3"]);
  });

  test("progress reports each stream's last id as latestOffset and the entries behind it, also after a restart", async () => {
    const a = uniqueKey("src_lag_a");
    const b = uniqueKey("src_lag_b");
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await redis.add(a, { n: `a${i}` }));
    const bIds = [await redis.add(b, { n: "b1" })];
    const checkpoint = join(await tmp("redis-lag"), "ckpt");
    const options = { stream: `${a},${b}`, startingOffsets: "earliest", maxEntriesPerTrigger: "2" };
    const first = await runOnce(options, checkpoint);
    const sources = first.query.recentProgress.map((p) => p.sources[0]!);
    expect(sources.map((s) => s.latestOffset)).toEqual([1, 2, 3].map(() => ({ [a]: ids[4], [b]: bIds[0] })));
    expect(sources.map((s) => s.endOffset)).toEqual([{ [a]: ids[1], [b]: "0-0" }, { [a]: ids[3], [b]: "0-0" }, { [a]: ids[4], [b]: bIds[0] }]);
    // Behind: a has 3, 1, 0 entries left; b 1, 1, 0 — averaged, maxed and minned over the streams.
    expect(sources.map((s) => [s.metrics.avgOffsetsBehindLatest, s.metrics.maxOffsetsBehindLatest, s.metrics.minOffsetsBehindLatest]))
      .toEqual([["2.0", "3", "1"], ["1.0", "1", "1"], ["0.0", "0", "0"]]);
    // A restarted query ranks the checkpoint's position by counting once, then reports exactly.
    for (let i = 6; i <= 10; i++) await redis.add(a, { n: `a${i}` });
    await redis.client.xDel(a, ids[0]!);
    const again = await runOnce({ ...options, maxEntriesPerTrigger: "3" }, checkpoint);
    expect(ns(again.rows)).toEqual(["a6", "a7", "a8", "a9", "a10"]);
    expect(again.query.recentProgress.map((p) => p.sources[0]!.metrics.maxOffsetsBehindLatest)).toEqual(["2", "0"]);
  });

  test("one batch of 200,000 entries (more than a function call's arguments can hold) reads them all", async () => {
    const key = uniqueKey("src_big");
    redis.track(key);
    for (let i = 0; i < 200_000; i += 10_000) {
      const multi = redis.client.multi();
      for (let j = i; j < i + 10_000; j++) multi.xAdd(key, "*", { n: String(j) });
      await multi.execAsPipeline();
    }
    const name = `redis_big_${process.pid}`;
    const q = spark.readStream.format("redis").options({ url: REDIS_URL, stream: key, startingOffsets: "earliest" }).load()
      .selectExpr("CAST(element_at(fields, 'n') AS INT) AS n").groupBy().agg({ n: "sum", "*": "count" })
      .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect((await spark.table(name).collect()).map((r) => [Number(r["count(1)"]), Number(r["sum(n)"])])).toEqual([[200_000, 199_999 * 100_000]]);
  }, 60_000);

  test("a field name repeated in an entry keeps its last value", async () => {
    const key = uniqueKey("src_repeat");
    redis.track(key);
    await redis.client.sendCommand(["XADD", key, "*", "f", "first", "g", "x", "f", "last"]);
    const { rows } = await runOnce({ stream: key, startingOffsets: "earliest" });
    expect(rows.map((r) => r.fields)).toEqual([new Map([["f", "last"], ["g", "x"]])]);
  });

  test("a batch logged but not committed is re-run with the same entries", async () => {
    const key = uniqueKey("src_rerun");
    for (let i = 1; i <= 5; i++) await redis.add(key, { n: String(i) });
    const checkpoint = join(await tmp("redis-rerun"), "ckpt");
    const options = { stream: key, startingOffsets: "earliest", maxEntriesPerTrigger: "2" };
    const first = await runOnce(options, checkpoint);
    expect(ns(first.rows)).toEqual(["1", "2", "3", "4", "5"]);
    await rm(join(checkpoint, "commits", "2"));
    await redis.add(key, { n: "6" });
    const again = await runOnce(options, checkpoint);
    expect(again.query.recentProgress.map((p) => [p.batchId, p.numInputRows])).toEqual([[2, 1], [3, 1]]);
    expect(ns(again.rows)).toEqual(["5", "6"]);
  });

  test("a key that is not a stream fails start() naming it; so does an unreachable server, without its password", async () => {
    const key = uniqueKey("src_string");
    redis.track(key);
    await redis.client.set(key, "not a stream");
    const query = spark.readStream.format("redis").options({ url: REDIS_URL, stream: key }).load().writeStream.format("memory").queryName(`redis_bad_${process.pid}`).start();
    await expect(query.awaitTermination()).rejects.toThrow(`key '${key}' on Redis server ${REDIS_URL} is a string, not a stream`);
    const down = spark.readStream.format("redis").options({ url: "redis://app:pa55word@127.0.0.1:1", stream: key }).load()
      .writeStream.format("memory").queryName(`redis_down_${process.pid}`).start();
    await expect(down.awaitTermination()).rejects.toThrow("cannot connect to Redis server redis://app:***@127.0.0.1:1");
    expect(JSON.stringify(down.exception) + down.exception!.message).not.toContain("pa55word");
  });

  test("a streaming query over entries: fields by key, grouped", async () => {
    const key = uniqueKey("src_agg");
    for (const user of ["ann", "bob", "ann"]) await redis.add(key, { user });
    const name = `redis_agg_${process.pid}`;
    const q = spark.readStream.format("redis").options({ url: REDIS_URL, stream: key, startingOffsets: "earliest" }).load()
      .selectExpr("element_at(fields, 'user') AS user").groupBy("user").count()
      .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect((await spark.table(name).orderBy(col("user")).collect()).map((r) => [r.user, Number(r.count)])).toEqual([["ann", 2], ["bob", 1]]);
  });
});
