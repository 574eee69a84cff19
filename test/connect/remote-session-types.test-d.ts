// Type-level tests (tsc --noEmit and `vitest --typecheck` check them): a remote session's
// answers are typed as promises, so tsc asks for the `await`; a local session stays synchronous.
import { describe, expectTypeOf, test } from "vitest";
import {
  Session, col, window, type DataFrame, type Dataset, type RemoteSession, type RemoteStreamingQuery,
  type Row, type StreamingQuery, type StructType,
} from "../../src/index.ts";

describe("a remote session (Session.builder().remote(url))", () => {
  test("the issue's example type-checks as written", async () => {
    const spark = Session.builder().appName("logs")
      .remote("sc://spark.example.com:15002/;use_ssl=true;token=s3cr3t;user_id=etl").getOrCreate();
    const logs = spark.readStream.schema("time TIMESTAMP, action STRING").json("s3a://bucket/logs/");
    const counts = logs.withWatermark("time", "10 minutes").groupBy(col("action"), window(col("time"), "1 hour")).count();
    const query = await counts.writeStream.outputMode("update").format("delta")
      .option("checkpointLocation", "s3a://bucket/ckpt/counts").toTable("action_counts");
    console.log(query.id, query.runId, (await query.status).message, (await query.lastProgress)?.numInputRows);
    await query.awaitTermination();

    expectTypeOf(spark).toEqualTypeOf<RemoteSession>();
    expectTypeOf(query).toEqualTypeOf<RemoteStreamingQuery>();
  });

  test("what needs the server is a Promise, and using it without await does not compile", async () => {
    const spark: RemoteSession = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const df = spark.createDataFrame([], "a INT, b STRING");
    expectTypeOf(df).toEqualTypeOf<DataFrame<"remote">>();
    expectTypeOf(df.schema).toEqualTypeOf<Promise<StructType>>();
    expectTypeOf(df.columns).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(df.dtypes).toEqualTypeOf<Promise<[string, string][]>>();
    expectTypeOf(df.isStreaming).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(df.printSchema()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(df.explain()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(df.createOrReplaceTempView("v")).toEqualTypeOf<Promise<void>>();
    expectTypeOf(spark.sql("SELECT 1")).toEqualTypeOf<Promise<DataFrame<"remote">>>();
    expectTypeOf(df.writeStream.start()).toEqualTypeOf<Promise<RemoteStreamingQuery>>();
    expectTypeOf(df.writeStream.toTable("t")).toEqualTypeOf<Promise<RemoteStreamingQuery>>();
    expectTypeOf(spark.streams.active).toEqualTypeOf<Promise<RemoteStreamingQuery[]>>();

    // @ts-expect-error the schema is a Promise: await it
    df.schema.fields;
    // @ts-expect-error columns is a Promise
    df.columns.map((c) => c);
    // @ts-expect-error spark.sql gives a Promise of the DataFrame
    spark.sql("SELECT 1").select("a");
    // @ts-expect-error start() gives a Promise of the query
    df.writeStream.start().id;
    const query = await df.writeStream.start();
    // @ts-expect-error status asks the server
    query.status.message;
    expectTypeOf((await spark.sql("SELECT 1")).select("a")).toEqualTypeOf<Dataset<Row, "remote">>();
    expectTypeOf((await df.schema).fields.length).toBeNumber();
  });

  test("DataFrames of a remote and a local session do not mix", () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const local = Session.builder().getOrCreate();
    // @ts-expect-error a local DataFrame cannot join a remote one
    remote.range(3).join(local.range(3));
    // @ts-expect-error nor the other way round
    local.range(3).union(remote.range(3));
  });
});

describe("a local session keeps its synchronous types", () => {
  test("schema, sql, start() answer now", () => {
    const spark = Session.builder().getOrCreate();
    expectTypeOf(spark).toEqualTypeOf<Session>();
    const df = spark.createDataFrame([], "a INT");
    expectTypeOf(df).toEqualTypeOf<DataFrame>();
    expectTypeOf(df.schema).toEqualTypeOf<StructType>();
    expectTypeOf(df.columns).toEqualTypeOf<string[]>();
    expectTypeOf(df.isStreaming).toEqualTypeOf<boolean>();
    expectTypeOf(df.printSchema()).toEqualTypeOf<void>();
    expectTypeOf(spark.sql("SELECT 1")).toEqualTypeOf<DataFrame>();
    expectTypeOf(df.writeStream.start()).toEqualTypeOf<StreamingQuery>();
    expectTypeOf(spark.newSession()).toEqualTypeOf<Session>();
  });
});
