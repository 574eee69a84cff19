import { writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { AnalysisError, MemoryStream, col, count, countDistinct, type StreamingQuery } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { canon, sec, streamingQueryFixtures } from "./streaming-query-fixtures.ts";

const { spark, uniqueName, tempDir, events, memoryQuery } = streamingQueryFixtures("streaming-rules");

describe("errors at the right time", () => {
  test("withWatermark: a negative delay is refused at once, before the column is checked", () => {
    const { df } = events();
    expect(() => df.withWatermark("time", "-10 seconds")).toThrow(/negative/);
    expect(() => df.withWatermark("no_such_column", "-10 seconds")).toThrow(/negative/);
  });

  test("withWatermark: a missing or non-timestamp column is refused at once", () => {
    const input = new MemoryStream(spark, "value INT, time TIMESTAMP");
    expect(() => input.toDF().withWatermark("nope", "10 seconds")).toThrow(/nope/);
    expect(() => input.toDF().withWatermark("value", "10 seconds")).toThrow(AnalysisError);
    expect(() => input.toDF().withWatermark("value", "10 seconds")).toThrow(/timestamp/);
  });

  test("invalid output modes are refused at start(), not before", () => {
    const { df } = events();
    const agg = df.groupBy("id").count();
    const w1 = agg.writeStream.format("memory").queryName(uniqueName("bad")).outputMode("append");
    expect(() => w1.start()).toThrow(/Append output mode not supported/);
    const w2 = df.writeStream.format("memory").queryName(uniqueName("bad")).outputMode("complete");
    expect(() => w2.start()).toThrow(/Complete output mode not supported/);
    const w3 = df.orderBy(col("time")).writeStream.format("memory").queryName(uniqueName("bad")).outputMode("update");
    expect(() => w3.start()).toThrow(/Sorting is not supported/);
    expect(() => df.writeStream.outputMode("sideways")).toThrow(AnalysisError);
    expect(spark.streams.active.filter((q) => q.name?.startsWith("bad_"))).toEqual([]);
  });

  test("a second withWatermark on a watermarked stream is refused at start()", () => {
    const input = new MemoryStream(spark, "id STRING, a TIMESTAMP, b TIMESTAMP");
    const twice = input.toDF().withWatermark("a", "10 seconds").withWatermark("b", "5 seconds");
    const w = twice.writeStream.format("memory").queryName(uniqueName("wm2"));
    expect(() => w.start()).toThrow(/[Rr]edefining watermark/);
  });

  test("two streaming aggregations are refused", () => {
    const { df } = events();
    const twice = df.groupBy("id").count().groupBy("count").agg(count("*").as("ids"));
    expect(() => twice.writeStream.format("memory").queryName(uniqueName("agg2")).outputMode("complete").start())
      .toThrow(/[Mm]ultiple streaming aggregations/);
  });

  test("actions on a streaming frame are refused", async () => {
    const { df } = events();
    await expect(df.collect()).rejects.toThrow(/writeStream\.start\(\)/);
    await expect(df.count()).rejects.toThrow(AnalysisError);
    await expect(df.show()).rejects.toThrow(AnalysisError);
  });
});

describe("more Spark rules on streams", () => {
  test("lastProgress is null before the first batch; awaitTermination(timeout) resolves false while running", async () => {
    const { df } = events();
    const q = memoryQuery(df, "append", uniqueName("noprog"));
    try {
      expect(q.lastProgress).toBeNull();
      expect(q.recentProgress).toEqual([]);
      expect(await q.awaitTermination(30)).toBe(false);
    } finally {
      await q.stop();
    }
    expect(await q.awaitTermination(30)).toBe(true);
  });

  test("limit on a stream in append mode is global across batches", async () => {
    const { input, df } = events();
    await testStream(df.select("id").limit(3), "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "b", time: sec(2) }])
      .checkNewAnswer([{ id: "a" }, { id: "b" }])
      .addData(input, [{ id: "c", time: sec(3) }, { id: "d", time: sec(4) }])
      .checkNewAnswer([{ id: "c" }])
      .addData(input, [{ id: "e", time: sec(5) }])
      .checkNewAnswer([])
      .run();
  });

  test("distinct aggregations and unsupported stream–static outer joins are refused at start()", () => {
    const { df } = events();
    const distinct = df.groupBy("id").agg(countDistinct("time").as("n"));
    expect(() => distinct.writeStream.format("memory").queryName(uniqueName("distinct")).outputMode("complete").start())
      .toThrow(/Distinct aggregations are not supported/);
    const users = spark.createDataFrame([{ id: "a", country: "FR" }], "id STRING, country STRING");
    const rightOuter = df.join(users, "id", "right_outer");
    expect(() => rightOuter.writeStream.format("memory").queryName(uniqueName("rjoin")).start()).toThrow(AnalysisError);
  });

  test("stream–static left outer join keeps unmatched stream rows", async () => {
    const { input, df } = events();
    const users = spark.createDataFrame([{ id: "a", country: "FR" }], "id STRING, country STRING");
    await testStream(df.join(users, "id", "left_outer").select("id", "country"), "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "z", time: sec(1) }])
      .checkNewAnswer([{ id: "a", country: "FR" }, { id: "z", country: null }])
      .run();
  });

  test("socket source on 127.0.0.1 reads lines as a value column", async () => {
    const clients: Socket[] = [];
    const server = createServer((socket) => { clients.push(socket); });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const name = uniqueName("socket");
    const lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port).load();
    expect(lines.columns).toEqual(["value"]);
    const q = lines.writeStream.format("memory").queryName(name).start();
    try {
      await vi.waitFor(() => expect(clients).toHaveLength(1), { timeout: 3000 });
      clients[0]!.write("hello world\nsecond line\n");
      await vi.waitFor(async () => expect(await spark.table(name).count()).toBe(2), { timeout: 3000, interval: 20 });
      expect(canon(await spark.table(name).collect())).toEqual(canon([{ value: "hello world" }, { value: "second line" }]));
    } finally {
      await q.stop();
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("file source: files added while the query runs are picked up once, and not re-read after a restart", async () => {
    const dir = await tempDir();
    const checkpoint = await tempDir();
    const name = uniqueName("files");
    const ddl = "id STRING, time TIMESTAMP";
    const start = (): StreamingQuery => spark.readStream.schema(ddl).json(dir).writeStream.format("memory").queryName(name)
      .option("checkpointLocation", checkpoint).start();
    await writeFile(join(dir, "1.json"), `{"id":"a","time":"1970-01-01T00:00:01Z"}\n`);
    const q = start();
    await q.processAllAvailable();
    await writeFile(join(dir, "2.json"), `{"id":"b","time":"1970-01-01T00:00:02Z"}\n`);
    await q.processAllAvailable();
    expect(canon(await spark.table(name).collect())).toEqual(canon([{ id: "a", time: sec(1) }, { id: "b", time: sec(2) }]));
    await q.stop();
    await writeFile(join(dir, "3.json"), `{"id":"c","time":"1970-01-01T00:00:03Z"}\n`);
    const q2 = start();
    try {
      await q2.processAllAvailable();
      expect(q2.recentProgress.map((p) => p.numInputRows)).toEqual([1]);
      expect(q2.lastProgress.batchId).toBe(2);
    } finally {
      await q2.stop();
    }
  });
});
