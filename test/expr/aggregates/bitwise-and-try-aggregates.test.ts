import { describe, expect, it } from "vitest";
import { MemoryStream, Session, col, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("bitwise-try-aggregates").getOrCreate();

describe("bit_and, bit_or, bit_xor, try_sum, try_avg, any_value", () => {
  it("as Spark's examples, keeping the input type; all-null groups give null", async () => {
    expect(await spark.sql("SELECT bit_and(col), bit_or(col), bit_xor(col) FROM VALUES (3), (5) AS tab(col)").collect()).toEqual([{ "bit_and(col)": 1, "bit_or(col)": 7, "bit_xor(col)": 6 }]);
    expect(spark.sql("SELECT bit_and(col) FROM VALUES (3L) AS tab(col)").schema.fields[0]!.dataType.kind).toBe("long");
    expect(await spark.sql("SELECT bit_or(c), bit_xor(c) FROM VALUES (cast(null as int)) AS t(c)").collect()).toEqual([{ "bit_or(c)": null, "bit_xor(c)": null }]);
    expect(await spark.sql("SELECT bit_and(c) FROM VALUES (-1L), (-9223372036854775808L) AS t(c)").collect()).toEqual([{ "bit_and(c)": -9223372036854775808n }]);
    expect(() => spark.sql("SELECT bit_and(c) FROM VALUES (1.5D) AS t(c)").columns).toThrow(/UNEXPECTED_INPUT_TYPE/);
  });

  it("try_sum is null where sum would overflow a bigint; try_avg and any_value", async () => {
    expect(await spark.sql("SELECT try_sum(c), sum(c) FROM VALUES (9223372036854775807L), (1L) AS t(c)").collect()).toEqual([{ "try_sum(c)": null, "sum(c)": -9223372036854775808n }]);
    expect(await spark.sql("SELECT try_sum(col), try_avg(col), any_value(col) FROM VALUES (5), (10), (15) AS tab(col)").collect()).toEqual([{ "try_sum(col)": 30, "try_avg(col)": 10, "any_value(col)": 5 }]);
    expect(await spark.sql("SELECT try_sum(col), try_avg(col) FROM VALUES (cast(null as int)) AS tab(col)").collect()).toEqual([{ "try_sum(col)": null, "try_avg(col)": null }]);
  });

  it("in a streaming aggregation across batches (state kept), with the DataFrame forms", async () => {
    const input = new MemoryStream<{ k: string; v: number }>(spark, "k STRING, v INT");
    const name = `bit_aggs_${process.pid}`;
    const query = input.toDF().groupBy(col("k")).agg(F.bit_or("v").as("o"), F.bit_xor("v").as("x"), F.try_sum("v").as("s"), F.any_value("v").as("a"))
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    try {
      input.addData([{ k: "p", v: 1 }, { k: "p", v: 2 }]);
      await query.processAllAvailable();
      input.addData([{ k: "p", v: 6 }]);
      await query.processAllAvailable();
      expect(await spark.table(name).collect()).toEqual([{ k: "p", o: 7, x: 5, s: 9, a: 1 }]);
    } finally {
      await query.stop();
    }
  });
});
