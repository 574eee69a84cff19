import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, col, from_json, sum, to_json } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { NATS_URL, TestProducer, uniqueStreamName } from "../../connectors/nats/helpers.ts";

const spark = Session.builder().getOrCreate();
let producer: TestProducer;
beforeAll(async () => { producer = await TestProducer.open(); });
afterAll(async () => { await producer.close(); });

describe("from_json / to_json", () => {
  test("SQL: PERMISSIVE nulls for null, malformed and mistyped input; to_json back", async () => {
    const texts = ['{"user":"ann","n":7,"at":"2026-01-01T10:00:00Z"}', '{"user":"bob","n":"x"}', "not json", "[1]", null];
    spark.createDataFrame(texts.map((t, i) => ({ i, t })), "i INT, t STRING").createOrReplaceTempView(`json_texts_${process.pid}`);
    const rows = await spark.sql(`SELECT i, from_json(t, 'user STRING, n INT, at TIMESTAMP') AS r FROM json_texts_${process.pid} ORDER BY i`).collect();
    expect(rows.map((r) => r.r)).toEqual([
      { user: "ann", n: 7, at: new Date("2026-01-01T10:00:00Z") },
      { user: "bob", n: null, at: null },
      { user: null, n: null, at: null },
      { user: null, n: null, at: null },
      null,
    ]);
    const back = await spark.sql(`SELECT to_json(from_json('{"n":1,"user":"ann","extra":true}', 'user STRING, n INT, gone STRING')) AS j`).collect();
    expect(back).toEqual([{ j: '{"user":"ann","n":1}' }]);
    expect(() => spark.sql("SELECT to_json(1) AS j")).toThrow("the input must be a struct, map or array, not int");
    const api = await spark.table(`json_texts_${process.pid}`).where(col("i").equalTo(0))
      .select(to_json(from_json(col("t"), "user STRING, n INT")).as("j")).collect();
    expect(api).toEqual([{ j: '{"user":"ann","n":7}' }]);
  });

  test("DataFrame API on a NATS stream: decode JSON messages, aggregate, and publish JSON", async () => {
    const input = uniqueStreamName("json_in");
    const output = uniqueStreamName("json_out");
    await producer.createStream(input, [`${input}.>`]);
    await producer.createStream(output, [`${output}.>`]);
    for (const [user, n] of [["ann", 1], ["bob", 2], ["ann", 3]] as const) await producer.publish(`${input}.e`, JSON.stringify({ user, n }));
    await producer.publish(`${input}.e`, "garbage");
    const schema = parseSchema("user STRING, n INT");
    const query = spark.readStream.format("nats").options({ servers: NATS_URL, stream: input, startingOffsets: "earliest" }).load()
      .select(from_json(col("value").cast("string"), schema).as("r"))
      .where(col("r.user").isNotNull())
      .groupBy(col("r.user").as("user")).agg(sum(col("r.n")).as("total"))
      .selectExpr("to_json(named_struct('user', user, 'total', total)) AS value")
      .writeStream.format("nats").outputMode("complete").options({ servers: NATS_URL, subject: `${output}.totals` })
      .trigger({ availableNow: true }).start();
    await query.awaitTermination();
    expect((await producer.messages(output)).map((m) => JSON.parse(m.value)).sort((a, b) => a.user.localeCompare(b.user)))
      .toEqual([{ user: "ann", total: 4 }, { user: "bob", total: 2 }]);
  });
});
