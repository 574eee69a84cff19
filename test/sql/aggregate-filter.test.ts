import { describe, expect, test } from "vitest";
import { MemoryStream, Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();
const view = `agg_filter_${process.pid}`;
spark.createDataFrame([{ a: 1, b: "x" }, { a: 2, b: "y" }, { a: 3, b: "x" }, { a: null, b: "x" }], "a INT, b STRING").createOrReplaceTempView(view);

describe("aggregate FILTER (WHERE …)", () => {
  test("aggregates only the rows the filter keeps, named as Spark names them", async () => {
    const df = spark.sql(`SELECT count(*) FILTER (WHERE a > 1), sum(a) FILTER (WHERE b = 'x') AS sx, count(*) FROM ${view}`);
    expect(df.columns).toEqual(["count(1) FILTER (WHERE (a > 1))", "sx", "count(1)"]);
    expect(await df.collect()).toEqual([{ "count(1) FILTER (WHERE (a > 1))": 2, sx: 4, "count(1)": 4 }]);
  });

  test("per group, with max_by and first … IGNORE NULLS; an empty filtered group gives the aggregate of no rows", async () => {
    const rows = await spark.sql(`SELECT b, count(*) FILTER (WHERE a > 2) AS n, max_by(a, a) FILTER (WHERE a < 3) AS m,
      first(a) FILTER (WHERE a > 1) IGNORE NULLS AS f, sum(a) FILTER (WHERE a > 2) AS s FROM ${view} GROUP BY b ORDER BY b`).collect();
    expect(rows).toEqual([{ b: "x", n: 1, m: 1, f: 3, s: 3 }, { b: "y", n: 0, m: 2, f: 2, s: null }]);
  });

  test("FILTER is still a name elsewhere; misuse is an error that says what is wrong", () => {
    expect(spark.sql("SELECT filter FROM (SELECT 1 AS filter)").columns).toEqual(["filter"]);
    expect(() => spark.sql(`SELECT upper(b) FILTER (WHERE a > 1) FROM ${view}`)).toThrow("not an aggregate function");
    expect(() => spark.sql(`SELECT count(*) FILTER (WHERE b) FROM ${view}`)).toThrow("[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN]");
    expect(() => spark.sql(`SELECT first(a) FILTER (WHERE a > 1) FROM ${view}`)).toThrow("IGNORE NULLS");
  });

  test("in a streaming aggregation", async () => {
    const input = new MemoryStream<{ user: string; bytes: number }>(spark, "user STRING, bytes INT");
    input.toDF().createOrReplaceTempView(`agg_filter_stream_${process.pid}`);
    const name = `agg_filter_out_${process.pid}`;
    const query = spark.sql(`SELECT user, count(*) FILTER (WHERE bytes >= 100) AS big, count(*) AS n FROM agg_filter_stream_${process.pid} GROUP BY user`)
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    input.addData([{ user: "ann", bytes: 100 }, { user: "ann", bytes: 5 }, { user: "bob", bytes: 7 }]);
    await query.processAllAvailable();
    input.addData([{ user: "bob", bytes: 500 }]);
    await query.processAllAvailable();
    await query.stop();
    expect(await spark.sql(`SELECT * FROM ${name} ORDER BY user`).collect()).toEqual([{ user: "ann", big: 1, n: 2 }, { user: "bob", big: 1, n: 2 }]);
  });
});
