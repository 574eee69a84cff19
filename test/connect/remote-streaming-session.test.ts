import { afterEach, expect, test } from "vitest";
import { Session, col, window, type RemoteStreamingQuery } from "../../src/index.ts";
import { FakeSparkStreams, jacksonProgress } from "./fake-streaming-handlers.ts";
import { ServerPool, commandsSent } from "./streaming-test-kit.ts";

/**
 * The job end to end through the public API on a remote session: the writer's start
 * reaches the server as WriteStreamOperationStart, and the handle it resolves to and
 * spark.streams talk to the same server.
 */
const pool = new ServerPool();
const sessions: Session<any>[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
  await pool.stopAll();
});

test("writeStream…toTable() on a remote session starts the query on the server; its handle and spark.streams answer from there", async () => {
  const { server, streams } = await pool.serve(new FakeSparkStreams());
  streams.nextIds = { id: "6f1d8a9e-0000-4000-8000-000000000001", runId: "6f1d8a9e-0000-4000-8000-000000000002" };
  const spark = Session.builder().appName("logs").remote(`${server.url}/;user_id=etl`).getOrCreate();
  sessions.push(spark);
  const logs = spark.readStream.schema("time TIMESTAMP, action STRING").json("s3a://bucket/logs/");
  const counts = logs.withWatermark("time", "10 minutes").groupBy(col("action"), window(col("time"), "1 hour")).count();
  const query: RemoteStreamingQuery = await counts.writeStream.outputMode("update").format("delta")
    .option("checkpointLocation", "s3a://bucket/ckpt/counts").toTable("action_counts");

  expect(query.id).toBe("6f1d8a9e-0000-4000-8000-000000000001");
  expect(query.runId).toBe("6f1d8a9e-0000-4000-8000-000000000002");
  const start = commandsSent(server).find((c) => "writeStreamOperationStart" in c)!.writeStreamOperationStart as Record<string, unknown>;
  expect(start).toMatchObject({ format: "delta", outputMode: "update", tableName: "action_counts", options: { checkpointLocation: "s3a://bucket/ckpt/counts" } });

  const fake = streams.queries.get(query.id)!;
  fake.status = { statusMessage: "Processing new data", isDataAvailable: true, isTriggerActive: true };
  fake.progress.push(jacksonProgress(query.id, query.runId, 0, 42));
  expect((await query.status).message).toBe("Processing new data");
  expect((await query.lastProgress)?.numInputRows).toBe(42);
  const active = await spark.streams.active;
  expect(active.map((q) => q.id)).toEqual([query.id]);

  await query.stop();
  expect(await query.awaitTermination(1000)).toBe(true);
  expect(await spark.streams.active).toEqual([]);
}, 30_000);
