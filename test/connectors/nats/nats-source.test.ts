import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, col } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { NATS_URL, TestProducer, uniqueStreamName } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
let producer: TestProducer;
beforeAll(async () => { producer = await TestProducer.open(); });
afterAll(async () => { await producer.close(); });

let queries = 0;
/** Runs `readStream.format("nats")` with `options` to a memory table under availableNow; its rows (value as text) and the query. */
async function runOnce(options: Record<string, string>, checkpoint?: string) {
  const name = `nats_${process.pid}_${++queries}`;
  let writer = spark.readStream.format("nats").options({ servers: NATS_URL, ...options }).load()
    .selectExpr("subject", "CAST(value AS STRING) AS text", "sequence", "timestamp", "headers")
    .writeStream.format("memory").queryName(name).trigger({ availableNow: true });
  if (checkpoint !== undefined) writer = writer.option("checkpointLocation", checkpoint);
  const query = writer.start();
  await query.awaitTermination();
  expect(query.exception).toBeNull();
  const rows = await spark.table(name).orderBy(col("sequence")).collect();
  return { rows, query };
}

const texts = (rows: Record<string, unknown>[]): unknown[] => rows.map((r) => r.text);

describe("readStream.format(\"nats\")", () => {
  test("earliest reads every message with subject, value, sequence, JetStream's timestamp and headers", async () => {
    const stream = uniqueStreamName("src_cols");
    await producer.createStream(stream, [`${stream}.>`]);
    const before = Date.now();
    await producer.publish(`${stream}.a`, "one", [["tenant", "acme"], ["tag", "x"], ["tag", "y"]]);
    await producer.publish(`${stream}.b.c`, "two");
    const { rows, query } = await runOnce({ stream, startingOffsets: "earliest" });
    expect(rows.map((r) => [r.subject, r.text, r.sequence])).toEqual([[`${stream}.a`, "one", 1], [`${stream}.b.c`, "two", 2]]);
    expect(rows[0]!.headers).toEqual(new Map([["tenant", "acme"], ["tag", "x, y"]]));
    expect(rows[1]!.headers).toBeNull();
    const stored = (rows[0]!.timestamp as Date).getTime();
    expect(stored).toBeGreaterThanOrEqual(before - 1000);
    expect(stored).toBeLessThanOrEqual(Date.now() + 1000);
    expect(query.lastProgress.sources[0]!.description).toContain(`stream=${stream}`);
    expect(query.lastProgress.sources[0]!.endOffset).toEqual({ [stream]: 3 });
  });

  test("the schema is Spark's Kafka shape with subject and sequence", () => {
    const df = spark.readStream.format("nats").option("servers", NATS_URL).option("stream", "ANY").load();
    expect(df.schema.toDDL()).toBe("subject STRING NOT NULL, value BINARY, sequence BIGINT NOT NULL, timestamp TIMESTAMP NOT NULL, headers MAP<STRING, STRING>");
  });

  test("subjects filters the stream: one filter (by the server) and several (wildcards * and >)", async () => {
    const stream = uniqueStreamName("src_subj");
    await producer.createStream(stream, [`${stream}.>`]);
    for (const s of ["events.click", "alerts.disk", "events.view.page", "logs.x", "alerts.cpu.high", "events.buy"]) await producer.publish(`${stream}.${s}`, s);
    const one = await runOnce({ stream, startingOffsets: "earliest", subjects: `${stream}.events.>` });
    expect(texts(one.rows)).toEqual(["events.click", "events.view.page", "events.buy"]);
    const two = await runOnce({ stream, startingOffsets: "earliest", subjects: `${stream}.events.*, ${stream}.alerts.*` });
    expect(texts(two.rows)).toEqual(["events.click", "alerts.disk", "events.buy"]);
    const none = await runOnce({ stream, startingOffsets: "earliest", subjects: `${stream}.nothing` });
    expect(none.rows).toEqual([]);
  });

  test("maxMessagesPerTrigger bounds each batch, counting delivered (matching) messages", async () => {
    const stream = uniqueStreamName("src_max");
    await producer.createStream(stream, [`${stream}.>`]);
    for (let i = 0; i < 11; i++) await producer.publish(`${stream}.${i % 3 === 0 ? "skip" : "keep"}`, `m${i}`);
    const { rows, query } = await runOnce({ stream, startingOffsets: "earliest", subjects: `${stream}.keep`, maxMessagesPerTrigger: "3" });
    expect(texts(rows)).toEqual(["m1", "m2", "m4", "m5", "m7", "m8", "m10"]);
    expect(query.recentProgress.map((p) => p.numInputRows)).toEqual([3, 3, 1]);
  });

  test("progress reports the stream's end as latestOffset and the messages behind it, as Spark's Kafka source", async () => {
    const stream = uniqueStreamName("src_lag");
    await producer.createStream(stream, [`${stream}.>`]);
    for (let i = 1; i <= 7; i++) await producer.publish(`${stream}.x`, `m${i}`);
    const checkpoint = join(await tmp("nats-lag"), "ckpt");
    const { query } = await runOnce({ stream, startingOffsets: "earliest", maxMessagesPerTrigger: "3" }, checkpoint);
    const sources = query.recentProgress.map((p) => p.sources[0]!);
    expect(sources.map((s) => [s.startOffset, s.endOffset, s.latestOffset])).toEqual([
      [null, { [stream]: 4 }, { [stream]: 8 }], [{ [stream]: 4 }, { [stream]: 7 }, { [stream]: 8 }], [{ [stream]: 7 }, { [stream]: 8 }, { [stream]: 8 }],
    ]);
    expect(sources.map((s) => s.metrics)).toEqual([4, 1, 0].map((n) => ({
      stream, avgOffsetsBehindLatest: `${n}.0`, maxOffsetsBehindLatest: String(n), minOffsetsBehindLatest: String(n),
    })));
    expect(JSON.parse(query.lastProgress.json).sources[0].metrics.maxOffsetsBehindLatest).toBe("0");
    // After a restart the lag is measured against the stream's end again.
    for (let i = 8; i <= 12; i++) await producer.publish(`${stream}.x`, `m${i}`);
    const again = await runOnce({ stream, maxMessagesPerTrigger: "2" }, checkpoint);
    expect(again.query.recentProgress.map((p) => p.sources[0]!.metrics.maxOffsetsBehindLatest)).toEqual(["3", "1", "0"]);
  });

  test("startingOffsets as JSON starts at that sequence", async () => {
    const stream = uniqueStreamName("src_json");
    await producer.createStream(stream, [`${stream}.>`]);
    for (let i = 1; i <= 6; i++) await producer.publish(`${stream}.x`, `m${i}`);
    const { rows } = await runOnce({ stream, startingOffsets: JSON.stringify({ [stream]: 4 }) });
    expect(texts(rows)).toEqual(["m4", "m5", "m6"]);
    expect(() => spark.readStream.format("nats").options({ servers: NATS_URL, stream, startingOffsets: '{"OTHER": 1}' }).load())
      .toThrow(`option 'startingOffsets' must be earliest, latest or {"${stream}": <sequence>}`);
  });

  test("latest (the default) is resolved at the first trigger and kept in the checkpoint; restarts continue exactly", async () => {
    const stream = uniqueStreamName("src_latest");
    await producer.createStream(stream, [`${stream}.>`]);
    for (let i = 1; i <= 3; i++) await producer.publish(`${stream}.x`, `old${i}`);
    const checkpoint = join(await tmp("nats-latest"), "ckpt");
    const first = await runOnce({ stream, maxMessagesPerTrigger: "2" }, checkpoint);
    expect(first.rows).toEqual([]);
    for (let i = 1; i <= 3; i++) await producer.publish(`${stream}.x`, `new${i}`);
    const second = await runOnce({ stream, maxMessagesPerTrigger: "2" }, checkpoint);
    expect(texts(second.rows)).toEqual(["new1", "new2", "new3"]);
    for (let i = 4; i <= 5; i++) await producer.publish(`${stream}.x`, `new${i}`);
    const third = await runOnce({ stream, maxMessagesPerTrigger: "2" }, checkpoint);
    expect(texts(third.rows)).toEqual(["new4", "new5"]);
    const fourth = await runOnce({ stream }, checkpoint);
    expect(fourth.rows).toEqual([]);
  });

  test("a batch logged but not committed is re-run with the same messages", async () => {
    const stream = uniqueStreamName("src_rerun");
    await producer.createStream(stream, [`${stream}.>`]);
    for (let i = 1; i <= 5; i++) await producer.publish(`${stream}.x`, `m${i}`);
    const checkpoint = join(await tmp("nats-rerun"), "ckpt");
    const first = await runOnce({ stream, startingOffsets: "earliest", maxMessagesPerTrigger: "2" }, checkpoint);
    expect(texts(first.rows)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    // As after a crash between the offset log and the commit log: batch 2 (m5) runs again.
    await rm(join(checkpoint, "commits", "2"));
    for (let i = 6; i <= 7; i++) await producer.publish(`${stream}.x`, `m${i}`);
    const again = await runOnce({ stream, startingOffsets: "earliest", maxMessagesPerTrigger: "2" }, checkpoint);
    expect(again.query.recentProgress.map((p) => [p.batchId, p.numInputRows])).toEqual([[2, 1], [3, 2]]);
    expect(texts(again.rows)).toEqual(["m5", "m6", "m7"]);
  });

  test("an unknown stream fails start() naming the stream and the server", async () => {
    const query = spark.readStream.format("nats").options({ servers: NATS_URL, stream: "NO_SUCH_STREAM_X" }).load()
      .writeStream.format("memory").queryName(`nats_missing_${process.pid}`).start();
    await expect(query.awaitTermination()).rejects.toThrow(/failed to start: .*stream 'NO_SUCH_STREAM_X' does not exist on NATS server nats:\/\/127\.0\.0\.1:4222/);
    expect(query.isActive).toBe(false);
  });

  test("an unreachable server fails start() naming it, without its password", async () => {
    const query = spark.readStream.format("nats").options({ servers: "nats://reader:s3cret-pw@127.0.0.1:1", stream: "EVENTS" }).load()
      .writeStream.format("memory").queryName(`nats_down_${process.pid}`).start();
    await expect(query.awaitTermination()).rejects.toThrow(/cannot connect to NATS server nats:\/\/reader:\*\*\*@127\.0\.0\.1:1/);
    expect(query.exception?.message).not.toContain("s3cret-pw");
    expect(JSON.stringify(query.exception)).not.toContain("s3cret-pw");
  });

  test("batch reads are refused: the stream is unbounded", () => {
    expect(() => spark.read.format("nats").options({ servers: NATS_URL, stream: "X" }).load()).toThrow("Data source nats does not support batch reads");
  });
});
