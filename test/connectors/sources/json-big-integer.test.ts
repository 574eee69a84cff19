import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's JsonInferSchema: an integer Jackson reads as BIG_INTEGER (beyond 2^63-1) is
// decimal(digits, 0) when it has at most 38 digits, double beyond; bigint merged with it is decimal.
const spark = Session.builder().appName("json-big-integer").getOrCreate();
scopedTmpdir("rivulet-json-big-", spark);

async function jsonDir(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "json-"));
  writeFileSync(join(dir, "a.json"), text);
  return dir;
}

describe("json schema inference of big integers", () => {
  test("an integer beyond the long range is decimal(20,0) and is read exactly", async () => {
    const dir = await jsonDir('{"id":1,"big":12345678901234567890}\n{"id":2,"big":5}\n{"id":3,"big":-9223372036854775809}\n');
    const df = spark.read.json(dir);
    expect(df.schema.simpleString()).toBe("struct<big:decimal(20,0),id:bigint>");
    const rows = await df.orderBy("id").collect();
    expect(rows.map((r) => String(r.big))).toEqual(["12345678901234567890", "5", "-9223372036854775809"]);
    df.createOrReplaceTempView("big_numbers");
    expect((await spark.sql("SELECT CAST(big + 1 AS STRING) AS s FROM big_numbers WHERE id = 1").collect())[0]).toEqual({ s: "12345678901234567891" });
  });

  test("the long range stays bigint; past 38 digits double; with a fraction double", async () => {
    const longs = await jsonDir('{"x":9223372036854775807}\n{"x":-9223372036854775808}\n');
    expect(spark.read.json(longs).schema.simpleString()).toBe("struct<x:bigint>");
    const huge = await jsonDir(`{"x":${"9".repeat(39)}}\n`);
    expect(spark.read.json(huge).schema.simpleString()).toBe("struct<x:double>");
    const mixed = await jsonDir('{"x":12345678901234567890}\n{"x":1.5}\n');
    expect(spark.read.json(mixed).schema.simpleString()).toBe("struct<x:double>");
    const wider = await jsonDir(`{"x":12345678901234567890}\n{"x":${"1".repeat(25)}}\n`);
    expect(spark.read.json(wider).schema.simpleString()).toBe("struct<x:decimal(25,0)>");
  });

  test("primitivesAsString and prefersDecimal change inference as Spark's options do, and the values are read", async () => {
    const dir = await jsonDir('{"a":1,"b":1.25,"c":true,"d":[2],"s":"x"}\n{"a":2,"b":10.5,"c":false,"d":[],"s":null}\n');
    const strings = spark.read.option("primitivesAsString", "true").json(dir);
    expect(strings.schema.simpleString()).toBe("struct<a:string,b:string,c:string,d:array<string>,s:string>");
    expect((await strings.orderBy("a").collect())[0]).toEqual({ a: "1", b: "1.25", c: "true", d: ["2"], s: "x" });
    const decimals = spark.read.option("prefersDecimal", "true").json(dir);
    expect(decimals.schema.simpleString()).toBe("struct<a:bigint,b:decimal(4,2),c:boolean,d:array<bigint>,s:string>");
    expect((await decimals.orderBy("a").collect()).map((r) => String(r.b))).toEqual(["1.25", "10.50"]);
  });

  test("a streaming query infers the same schema and reads the value", async () => {
    const dir = await jsonDir('{"big":12345678901234567890}\n');
    spark.conf.set("spark.sql.streaming.schemaInference", "true");
    try {
      const name = `json_big_${process.pid}`;
      const stream = spark.readStream.json(dir);
      expect(stream.schema.simpleString()).toBe("struct<big:decimal(20,0)>");
      const q = stream.writeStream.format("memory").queryName(name).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      expect((await spark.sql(`SELECT CAST(big AS STRING) AS s FROM ${name}`).collect())).toEqual([{ s: "12345678901234567890" }]);
    } finally {
      spark.conf.unset("spark.sql.streaming.schemaInference");
    }
  });
});
