import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, col, expr, from_json, get_json_object, schema_of_json, sum, to_json } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { NATS_URL, TestProducer, uniqueStreamName } from "../../connectors/nats/helpers.ts";
import { REDIS_URL, RedisTestClient, uniqueKey } from "../../connectors/redis/helpers.ts";

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

  test("empty or blank text is no record: NULL in every mode (FAILFAST too), for struct, array and map schemas", async () => {
    const rows = await spark.sql(`SELECT j, from_json(j, 'a INT') AS s, from_json(j, 'a INT') IS NULL AS is_null,
        from_json(j, 'ARRAY<INT>') AS arr, from_json(j, 'MAP<STRING, INT>') AS m, from_json(j, 'a INT', map('mode', 'FAILFAST')) AS strict
      FROM VALUES (''), (' '), ('\t\r\n ') AS t(j)`).collect();
    expect(rows.map((r) => [r.s, r.is_null, r.arr, r.m, r.strict])).toEqual([[null, true, null, null, null], [null, true, null, null, null], [null, true, null, null, null]]);
    // Truly malformed text is still a row of nulls in PERMISSIVE mode, and fails FAILFAST.
    expect(await spark.sql(`SELECT from_json('{"a":', 'a INT') AS s`).collect()).toEqual([{ s: { a: null } }]);
    await expect(spark.sql(`SELECT from_json('{"a":', 'a INT', map('mode', 'FAILFAST')) AS s`).collect()).rejects.toThrow(/MALFORMED_RECORD_IN_PARSING/);
  });

  test("timestamps without an offset are read in the session time zone, as CAST reads them (nested ones too)", async () => {
    const session = spark.newSession();
    session.conf.set("spark.sql.session.timeZone", "America/Los_Angeles");
    const rows = await session.sql(`SELECT from_json('{"t":"2026-01-01 10:00:00","z":"2026-01-01T10:00:00Z","a":["2026-07-01 10:00:00"]}',
      't TIMESTAMP, z TIMESTAMP, a ARRAY<TIMESTAMP>') AS r`).collect();
    // 10:00 in Los Angeles is 18:00 UTC in winter and 17:00 UTC in summer; an explicit offset stays as written.
    expect(rows[0]!.r).toEqual({ t: new Date("2026-01-01T18:00:00Z"), z: new Date("2026-01-01T10:00:00Z"), a: [new Date("2026-07-01T17:00:00Z")] });
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

  test("from_json options: mode FAILFAST fails on malformed input naming it; DROPMALFORMED and unknown option names are refused", async () => {
    const view = `json_modes_${process.pid}`;
    spark.createDataFrame([{ t: '{"n":1}' }, { t: "oops" }], "t STRING").createOrReplaceTempView(view);
    expect(await spark.sql(`SELECT from_json(t, 'n INT', map('mode', 'PERMISSIVE')) AS r FROM ${view}`).collect()).toEqual([{ r: { n: 1 } }, { r: { n: null } }]);
    await expect(spark.sql(`SELECT from_json(t, 'n INT', map('mode', 'FAILFAST')) AS r FROM ${view}`).collect())
      .rejects.toThrow("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: oops. Parse Mode: FAILFAST.");
    await expect(spark.table(view).select(from_json(col("t"), "n INT", { mode: "FAILFAST" }).as("r")).collect()).rejects.toThrow("Parse Mode: FAILFAST");
    expect(() => spark.sql(`SELECT from_json(t, 'n INT', map('mode', 'DROPMALFORMED')) FROM ${view}`)).toThrow("[PARSE_MODE_UNSUPPORTED] The function `from_json` doesn't support the DROPMALFORMED mode");
    expect(() => spark.table(view).select(from_json(col("t"), "n INT", { allowComment: "true" }))).toThrow("from_json: option 'allowComment' is not a JSON option Spark knows");
  });
});

describe("get_json_object / schema_of_json", () => {
  test("get_json_object: fields, indexes, quoted names and [*]; null for malformed JSON, a bad path or nothing there", async () => {
    const doc = '{"a":{"b":[10,{"c":"x"}],"s":"text","o":{"k":true}},"d e":1.5,"list":[{"v":1},{"v":2}]}';
    const paths = ["$.a.b[0]", "$.a.b[1].c", "$.a.s", "$.a.o", "$['d e']", "$.list[*].v", "$.missing", "$.a.b[9]", "a.b", "$"];
    const view = `json_paths_${process.pid}`;
    spark.createDataFrame([{ j: doc }, { j: "{broken" }, { j: null }], "j STRING").createOrReplaceTempView(view);
    const rows = await spark.sql(`SELECT ${paths.map((p, i) => `get_json_object(j, '${p.replace(/'/g, "\\'")}') AS p${i}`).join(", ")} FROM ${view}`).collect();
    expect(paths.map((_, i) => rows[0]![`p${i}`])).toEqual(["10", "x", "text", '{"k":true}', "1.5", "[1,2]", null, null, null, JSON.stringify(JSON.parse(doc))]);
    for (const r of rows.slice(1)) expect(Object.values(r).every((v) => v === null)).toBe(true);
    const api = await spark.table(view).select(get_json_object(col("j"), "$.a.s").as("s")).collect();
    expect(api.map((r) => r.s)).toEqual(["text", null, null]);
  });

  test("schema_of_json: the DDL Spark infers (BIGINT, DOUBLE, null as STRING, fields sorted, arrays merged); a literal is required", async () => {
    const [row] = await spark.sql(`SELECT schema_of_json('{"b":1,"a":[1,2.5],"n":null,"o":{"z":true,"y":"s"},"l":[{"x":1},{"w":"q"}]}') AS s, schema_of_json('[{"col":0}]') AS t`).collect();
    expect(row).toEqual({
      s: "STRUCT<a: ARRAY<DOUBLE>, b: BIGINT, l: ARRAY<STRUCT<w: STRING, x: BIGINT>>, n: STRING, o: STRUCT<y: STRING, z: BOOLEAN>>",
      t: "ARRAY<STRUCT<col: BIGINT>>",
    });
    // Its output feeds from_json, as in Spark's docs.
    const view = `json_infer_${process.pid}`;
    spark.createDataFrame([{ t: '{"a":1,"b":"x"}' }], "t STRING").createOrReplaceTempView(view);
    expect(await spark.sql(`SELECT from_json(t, 'a BIGINT, b STRING') AS r FROM ${view}`).collect()).toEqual([{ r: { a: 1, b: "x" } }]);
    expect(await spark.range(1).select(schema_of_json('{"k":"v"}').as("s")).collect()).toEqual([{ s: "STRUCT<k: STRING>" }]);
    expect(() => spark.sql(`SELECT schema_of_json(t) FROM ${view}`)).toThrow("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT]");
  });

  test("on bus values: JSON and access-log lines from a Redis stream, through get_json_object, from_json with s.* and parse_access_log", async () => {
    const redis = await RedisTestClient.open();
    try {
      const key = uniqueKey("json_bus");
      await redis.add(key, { v: '{"user":"ann","n":2}' });
      await redis.add(key, { v: '127.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /a.html HTTP/1.1" 200 2326 "-" "curl"' });
      const name = `json_bus_${process.pid}`;
      const query = spark.readStream.format("redis").options({ url: REDIS_URL, stream: key, startingOffsets: "earliest" }).load()
        .select(col("id"), expr("element_at(fields, 'v')").as("v"))
        .select(col("id"), get_json_object(col("v"), "$.user").as("user"), from_json(col("v"), "n INT").as("j"), expr("parse_access_log(v)").as("log"))
        .select(col("id"), col("user"), col("j.*"), expr("log.url").as("url"), expr("log.status").as("status"))
        .writeStream.format("memory").queryName(name).trigger({ availableNow: true }).start();
      await query.awaitTermination();
      const rows = await spark.sql(`SELECT user, n, url, status FROM ${name} ORDER BY id`).collect();
      expect(rows).toEqual([{ user: "ann", n: 2, url: null, status: null }, { user: null, n: null, url: "/a.html", status: 200 }]);
    } finally {
      await redis.close();
    }
  });
});
