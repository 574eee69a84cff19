import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, type DataFrame } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { REDIS_URL, RedisTestClient, uniqueKey } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
let redis: RedisTestClient;
beforeAll(async () => { redis = await RedisTestClient.open(); });
afterAll(async () => { await redis.close(); });

function read(key: string): DataFrame {
  return spark.readStream.format("redis").options({ url: REDIS_URL, stream: key, startingOffsets: "earliest", maxEntriesPerTrigger: "2" }).load();
}

async function run(df: DataFrame, target: string, checkpoint?: string) {
  redis.track(target);
  let writer = df.writeStream.format("redis").options({ url: REDIS_URL, stream: target }).trigger({ availableNow: true });
  if (checkpoint !== undefined) writer = writer.option("checkpointLocation", checkpoint);
  const query = writer.start();
  redis.trackQuery(query.id);
  await query.awaitTermination().catch(() => {});
  return query;
}

describe("writeStream.format(\"redis\")", () => {
  test("XADDs each row's columns as fields in their string forms, nulls left out", async () => {
    const input = uniqueKey("sink_in");
    const output = uniqueKey("sink_out");
    await redis.add(input, { n: "7", user: "ann" });
    await redis.add(input, { n: "8" });
    const df = read(input).selectExpr(
      "CAST(element_at(fields, 'n') AS INT) AS n", "CAST(element_at(fields, 'n') AS INT) / 2 AS half",
      "element_at(fields, 'user') AS user", "CAST(element_at(fields, 'n') AS INT) > 7 AS big",
      "timestamp", "CAST('2026-01-02' AS DATE) AS day", "id AS source_id");
    const query = await run(df, output);
    expect(query.exception).toBeNull();
    const source = await redis.entries(input);
    const iso = (id: string) => new Date(Number(id.split("-")[0])).toISOString();
    expect((await redis.entries(output)).map((e) => e.fields)).toEqual([
      { n: "7", half: "3.5", user: "ann", big: "false", timestamp: iso(source[0]!.id), day: "2026-01-02", source_id: source[0]!.id },
      { n: "8", half: "4.0", big: "true", timestamp: iso(source[1]!.id), day: "2026-01-02", source_id: source[1]!.id },
    ]);
  });

  test("a batch and its commit marker are written together; a re-run batch whose marker exists is skipped", async () => {
    const input = uniqueKey("sink_once_in");
    const output = uniqueKey("sink_once_out");
    for (let i = 1; i <= 5; i++) await redis.add(input, { n: String(i) });
    const checkpoint = join(await tmp("redis-sink-once"), "ckpt");
    const df = read(input).selectExpr("element_at(fields, 'n') AS n");
    const first = await run(df, output, checkpoint);
    expect(await redis.client.get(`rivulet:commit:${first.id}:2`)).toBe("1");
    await rm(join(checkpoint, "commits", "2"));
    await redis.add(input, { n: "6" });
    const again = await run(df, output, checkpoint);
    expect(again.id).toBe(first.id);
    expect(again.recentProgress.map((p) => [p.batchId, p.sink.numOutputRows])).toEqual([[2, 0], [3, 1]]);
    expect((await redis.entries(output)).map((e) => e.fields.n)).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  test("a target key that is not a stream fails start() naming it", async () => {
    const input = uniqueKey("sink_bad_in");
    const target = uniqueKey("sink_bad_out");
    await redis.add(input, { n: "1" });
    redis.track(target);
    await redis.client.hSet(target, { a: "1" });
    const query = read(input).writeStream.format("redis").options({ url: REDIS_URL, stream: target }).start();
    await expect(query.awaitTermination()).rejects.toThrow(`Redis sink: key '${target}' on Redis server ${REDIS_URL} is a hash, not a stream`);
  });

  test("keyColumn upserts each row as a hash (keyPrefix + key), replaced whole, exactly once across restarts", async () => {
    const input = uniqueKey("hash_in");
    const prefix = `${uniqueKey("hash_out")}:`;
    for (const user of ["ann", "bob", "ann"]) await redis.add(input, { user, bytes: "10" });
    const checkpoint = join(await tmp("redis-hash"), "ckpt");
    const counts = () => read(input).selectExpr("element_at(fields, 'user') AS user", "CAST(element_at(fields, 'bytes') AS INT) AS bytes")
      .groupBy("user").agg({ bytes: "sum", "*": "count" }).withColumnRenamed("sum(bytes)", "total").withColumnRenamed("count(1)", "n")
      .writeStream.format("redis").options({ url: REDIS_URL, keyColumn: "user", keyPrefix: prefix }).outputMode("complete")
      .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
    redis.track(`${prefix}ann`, `${prefix}bob`, `${prefix}cy`);
    const first = counts();
    redis.trackQuery(first.id);
    await first.awaitTermination();
    expect(await redis.client.hGetAll(`${prefix}ann`)).toEqual({ total: "20", n: "2" });
    expect(await redis.client.hGetAll(`${prefix}bob`)).toEqual({ total: "10", n: "1" });
    expect(first.lastProgress.sink.description).toContain("RedisHashSink[url=redis://127.0.0.1:6379, keyColumn=user");
    // Batch 1 ran before the crash but its commit was lost: re-run, its marker exists, skipped; batch 2 upserts.
    await rm(join(checkpoint, "commits", "1"));
    await redis.add(input, { user: "cy", bytes: "5" });
    await redis.add(input, { user: "ann", bytes: "1" });
    const second = counts();
    await second.awaitTermination();
    expect(second.recentProgress.map((p) => [p.batchId, p.sink.numOutputRows])).toEqual([[1, 0], [2, 3]]);
    expect(await redis.client.hGetAll(`${prefix}ann`)).toEqual({ total: "21", n: "3" });
    expect(await redis.client.hGetAll(`${prefix}cy`)).toEqual({ total: "5", n: "1" });
  });

  test("keyColumn errors name what is wrong", async () => {
    const input = uniqueKey("hash_bad");
    await redis.add(input, { user: "ann" });
    const start = (options: Record<string, string>) => read(input).selectExpr("element_at(fields, 'user') AS user")
      .writeStream.format("redis").options({ url: REDIS_URL, ...options }).start().awaitTermination();
    await expect(start({ keyColumn: "nope" })).rejects.toThrow("Redis sink: keyColumn 'nope' is not a column of the result (columns: user)");
    await expect(start({ keyColumn: "user", stream: "x" })).rejects.toThrow("options 'stream' and 'keyColumn' exclude each other");
    await expect(start({})).rejects.toThrow("option 'stream' (the stream key to XADD to) or 'keyColumn'");
  });
});
