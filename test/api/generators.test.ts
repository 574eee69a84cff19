import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  AnalysisError, MemoryStream, Session, col, collect_list, count, explode, explode_outer, expr, inline, json_tuple, lit, posexplode, posexplode_outer,
  split, stack, type StreamingQuery,
} from "../../src/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

const spark = Session.builder().appName("generators").getOrCreate();
scopedTmpdir("rivulet-generators-tmp-", spark);
let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${counter++}`;

const canon = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Map ? [...v] : v))).sort();

const posts = () => spark.createDataFrame([
  { id: 1, tags: ["a", "b"], props: new Map([["x", 1], ["y", 2]]), doc: '{"user":"ann","n":3}' },
  { id: 2, tags: [], props: new Map(), doc: "not json" },
  { id: 3, tags: null, props: null, doc: null },
], "id INT, tags ARRAY<STRING>, props MAP<STRING, INT>, doc STRING");

describe("generators in the DataFrame API", () => {
  test("select(col, explode(array).alias) repeats the other columns once per element; empty and null arrays give no row", async () => {
    const df = posts().select(col("id"), explode(col("tags")).alias("tag"));
    expect(df.schema.simpleString()).toBe("struct<id:int,tag:string>");
    expect(canon(await df.collect())).toEqual(canon([{ id: 1, tag: "a" }, { id: 1, tag: "b" }]));
  });

  test("explode_outer keeps a row of nulls for an empty or null array", async () => {
    const rows = await posts().select(col("id"), explode_outer("tags").alias("tag")).collect();
    expect(canon(rows)).toEqual(canon([{ id: 1, tag: "a" }, { id: 1, tag: "b" }, { id: 2, tag: null }, { id: 3, tag: null }]));
  });

  test("withColumn(name, explode(…)) appends the generated column after the input's", async () => {
    const df = posts().select("id", "tags").withColumn("tag", explode(col("tags")));
    expect(df.columns).toEqual(["id", "tags", "tag"]);
    expect((await df.collect()).map((r) => r.tag)).toEqual(["a", "b"]);
    const renamed = posts().select("id").withColumn("t", explode(expr("array(1, 2)")).alias("ignored"));
    expect(await renamed.where(col("id").equalTo(1)).collect()).toEqual([{ id: 1, t: 1 }, { id: 1, t: 2 }]);
  });

  test("explode(map) gives key and value, renamed with alias(k, v); posexplode adds pos", async () => {
    const kv = posts().select(col("id"), explode(col("props")).alias("k", "v"));
    expect(kv.schema.simpleString()).toBe("struct<id:int,k:string,v:int>");
    expect(canon(await kv.collect())).toEqual(canon([{ id: 1, k: "x", v: 1 }, { id: 1, k: "y", v: 2 }]));
    const pos = posts().select(col("id"), posexplode(col("tags")));
    expect(pos.schema.simpleString()).toBe("struct<id:int,pos:int,col:string>");
    expect(canon(await pos.collect())).toEqual(canon([{ id: 1, pos: 0, col: "a" }, { id: 1, pos: 1, col: "b" }]));
    const outer = await posts().select(col("id"), posexplode_outer(col("props"))).where(col("id").equalTo(2)).collect();
    expect(outer).toEqual([{ id: 2, pos: null, key: null, value: null }]);
  });

  test("inline, json_tuple and stack", async () => {
    const people = spark.createDataFrame([{ g: 1, people: [{ name: "ann", age: 30 }, null] }], "g INT, people ARRAY<STRUCT<name: STRING, age: INT>>");
    expect(await people.select(col("g"), inline(col("people"))).collect()).toEqual([{ g: 1, name: "ann", age: 30 }, { g: 1, name: null, age: null }]);
    const fields = posts().select(col("id"), json_tuple(col("doc"), "user", "n", "missing"));
    expect(fields.schema.simpleString()).toBe("struct<id:int,c0:string,c1:string,c2:string>");
    expect(canon(await fields.collect())).toEqual(canon([
      { id: 1, c0: "ann", c1: "3", c2: null }, { id: 2, c0: null, c1: null, c2: null }, { id: 3, c0: null, c1: null, c2: null },
    ]));
    const stacked = await spark.range(1).select(stack(2, lit("a"), lit(1), lit("b"), lit(2)).alias("k", "v")).collect();
    expect(stacked).toEqual([{ k: "a", v: 1 }, { k: "b", v: 2 }]);
  });

  test("a generator in expr(), selectExpr (with AS (k, v)) and SQL's LATERAL VIEW over a view", async () => {
    const df = posts();
    expect((await df.select(col("id"), expr("explode(tags)").alias("t")).collect()).map((r) => r.t)).toEqual(["a", "b"]);
    expect(await df.selectExpr("id", "explode(props) AS (k, v)").where("v > 1").collect()).toEqual([{ id: 1, k: "y", v: 2 }]);
    const view = uniqueName("posts_view");
    df.createOrReplaceTempView(view);
    const lateral = await spark.sql(`SELECT id, t.tag FROM ${view} LATERAL VIEW OUTER explode(tags) t AS tag ORDER BY id, tag`).collect();
    expect(lateral).toEqual([{ id: 1, tag: "a" }, { id: 1, tag: "b" }, { id: 2, tag: null }, { id: 3, tag: null }]);
  });

  test("a generator over an aggregate: select(explode(collect_list(…))) aggregates first, then generates", async () => {
    const df = spark.createDataFrame([{ k: "a", v: 1 }, { k: "a", v: 2 }, { k: "b", v: 3 }], "k STRING, v INT");
    expect((await df.select(explode(collect_list(col("v"))).alias("v")).collect()).map((r) => r.v).sort()).toEqual([1, 2, 3]);
  });

  test("Spark's errors: two generators, a nested generator, a wrong input type, a generator in a filter", () => {
    const df = posts();
    expect(() => df.select(explode(col("tags")), explode(col("tags")))).toThrow(/\[UNSUPPORTED_GENERATOR\.MULTI_GENERATOR\]/);
    expect(() => df.select(explode(col("tags")).plus(1))).toThrow(/\[UNSUPPORTED_GENERATOR\.NESTED_IN_EXPRESSIONS\]/);
    expect(() => df.select(explode(col("id")))).toThrow(/\[DATATYPE_MISMATCH\.UNEXPECTED_INPUT_TYPE\].*"explode\(id\)".*\("ARRAY" or "MAP"\).*"INT"/);
    expect(() => df.where(explode(col("tags")).equalTo("a"))).toThrow(AnalysisError);
    expect(() => df.select(posexplode(col("tags")).alias("only"))).toThrow(/\[UDTF_ALIAS_NUMBER_MISMATCH\]/);
  });
});

describe("generators in streaming queries", () => {
  test("word count: explode(split(value, ' ')) from a text file source, grouped and counted in complete mode, across a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rivulet-wordcount-in-"));
    const checkpoint = await mkdtemp(join(tmpdir(), "rivulet-wordcount-cp-"));
    const name = uniqueName("wordcount");
    const start = (): StreamingQuery => spark.readStream.format("text").load(dir)
      .select(explode(split(col("value"), " ")).alias("word"))
      .groupBy("word").agg(count("*").alias("n"))
      .writeStream.format("memory").queryName(name).outputMode("complete").option("checkpointLocation", checkpoint).start();
    const counts = async (): Promise<Record<string, number>> =>
      Object.fromEntries((await spark.table(name).collect()).map((r) => [r.word as string, Number(r.n)]));

    await writeFile(join(dir, "a.txt"), "the quick fox\nthe lazy dog\n");
    const first = start();
    await first.processAllAvailable();
    expect(await counts()).toEqual({ the: 2, quick: 1, fox: 1, lazy: 1, dog: 1 });
    await first.stop();

    await writeFile(join(dir, "b.txt"), "the fox returns\n");
    const second = start();
    try {
      await second.processAllAvailable();
      expect(await counts()).toEqual({ the: 3, quick: 1, fox: 2, lazy: 1, dog: 1, returns: 1 });
      expect(second.lastProgress?.batchId).toBe(1);
    } finally {
      await second.stop();
    }
  });

  test("explode over a streaming aggregation's lists in complete mode", async () => {
    const input = new MemoryStream<{ k: string; v: number }>(spark, "k STRING, v INT");
    const name = uniqueName("explode_complete");
    const q = input.toDF().groupBy("k").agg(collect_list(col("v")).alias("vs")).select(col("k"), explode(col("vs")).alias("v"))
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    try {
      input.addData({ k: "a", v: 1 }, { k: "b", v: 2 });
      await q.processAllAvailable();
      input.addData({ k: "a", v: 3 });
      await q.processAllAvailable();
      expect(canon(await spark.table(name).collect())).toEqual(canon([{ k: "a", v: 1 }, { k: "a", v: 3 }, { k: "b", v: 2 }]));
    } finally {
      await q.stop();
    }
  });

  test("explode in append mode over a MemoryStream, with the other columns repeated", async () => {
    const input = new MemoryStream<{ id: number; tags: string[] | null }>(spark, "id INT, tags ARRAY<STRING>");
    const name = uniqueName("explode_append");
    const q = input.toDF().select(col("id"), explode_outer(col("tags")).alias("tag"))
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    try {
      input.addData({ id: 1, tags: ["a", "b"] }, { id: 2, tags: null });
      await q.processAllAvailable();
      input.addData({ id: 3, tags: ["c"] });
      await q.processAllAvailable();
      expect(canon(await spark.table(name).collect())).toEqual(canon([
        { id: 1, tag: "a" }, { id: 1, tag: "b" }, { id: 2, tag: null }, { id: 3, tag: "c" },
      ]));
    } finally {
      await q.stop();
    }
  });
});
