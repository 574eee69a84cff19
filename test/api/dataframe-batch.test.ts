import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  Column, Session, approx_count_distinct, avg, col, count, first, last, max, min, sum, when, type DataFrame,
} from "../../src/index.ts";
import { captureStdout } from "../testing/capture-stdout.ts";
import { tempDirs } from "../temp-dirs.ts";
import { LOG_DDL, LOG_ROWS, canon, t } from "./log-rows.ts";

const spark = Session.builder().appName("dataframe-batch").getOrCreate();
const tempDir = tempDirs();

async function jsonDir(): Promise<string> {
  const dir = await tempDir("rivulet-df-batch-");
  const line = (r: (typeof LOG_ROWS)[number]): string => JSON.stringify({ ...r, time: r.time.toISOString() });
  await writeFile(join(dir, "part-0.json"), LOG_ROWS.slice(0, 3).map(line).join("\n") + "\n");
  await writeFile(join(dir, "part-1.json"), LOG_ROWS.slice(3).map(line).join("\n") + "\n");
  return dir;
}

type Frames = { name: string; make: () => Promise<DataFrame> };
const frames: Frames[] = [
  { name: "createDataFrame", make: async () => spark.createDataFrame(LOG_ROWS, LOG_DDL) },
  { name: "JSON files", make: async () => spark.read.schema(LOG_DDL).json(await jsonDir()) },
];

afterEach(() => {
  for (const k of ["spark.sql.shuffle.partitions", "spark.sql.session.timeZone", "spark.sql.streaming.noDataMicroBatches.enabled", "spark.sql.streaming.multipleWatermarkPolicy"]) {
    spark.conf.unset(k);
  }
});

describe.each(frames)("DataFrame operations over $name", ({ make }) => {
  test("collect() returns every row with timestamps as Date and longs as number", async () => {
    const df = await make();
    const rows = await df.collect();
    expect(canon(rows)).toEqual(canon(LOG_ROWS));
    const click = rows.find((r) => r.url === "/home/a")!;
    expect(click.time).toBeInstanceOf(Date);
    expect((click.time as Date).getTime()).toBe(t("10:05:00").getTime());
    expect(typeof click.bytes).toBe("number");
    expect(await df.count()).toBe(6);
  });

  test("select with strings, Columns and \"*\"", async () => {
    const df = await make();
    expect(df.select("action", "bytes").columns).toEqual(["action", "bytes"]);
    expect(df.select(col("url"), col("bytes").plus(1).as("b1")).columns).toEqual(["url", "b1"]);
    expect(df.select("*").columns).toEqual(["time", "action", "url", "userId", "bytes"]);
    const rows = await df.select(col("url"), col("bytes").plus(1).as("b1")).filter(col("url").equalTo("/shop/d")).collect();
    expect(rows).toEqual([{ url: "/shop/d", b1: 1001 }]);
  });

  test("filter / where with every comparison", async () => {
    const df = await make();
    const bytesWhere = async (c: Column): Promise<number[]> =>
      (await df.where(c).select("bytes").collect()).map((r) => r.bytes as number).sort((a, b) => a - b);
    expect(await bytesWhere(col("bytes").gt(100))).toEqual([250, 1000]);
    expect(await bytesWhere(col("bytes").geq(100))).toEqual([100, 250, 1000]);
    expect(await bytesWhere(col("bytes").lt(100))).toEqual([10, 50]);
    expect(await bytesWhere(col("bytes").leq(100))).toEqual([10, 50, 100]);
    expect(await bytesWhere(col("bytes").equalTo(250))).toEqual([250]);
    // null != 250 is null: the row with null bytes is not kept.
    expect(await bytesWhere(col("bytes").notEqual(250))).toEqual([10, 50, 100, 1000]);
    expect(await bytesWhere(col("bytes").gt(40).and(col("bytes").lt(300)))).toEqual([50, 100, 250]);
    expect(await bytesWhere(col("bytes").lt(20).or(col("bytes").gt(900)))).toEqual([10, 1000]);
    expect(await bytesWhere(col("bytes").gt(60).not())).toEqual([10, 50]);
    expect(await df.filter(col("action").equalTo("click")).count()).toBe(2);
  });

  test("isNull / isNotNull / isin / like", async () => {
    const df = await make();
    expect((await df.filter(col("bytes").isNull()).select("url").collect())).toEqual([{ url: "/home/e" }]);
    expect(await df.filter(col("action").isNotNull()).count()).toBe(5);
    expect(await df.filter(col("action").isNull()).count()).toBe(1);
    expect(canon(await df.filter(col("action").isin("buy", "view")).select("url").collect()))
      .toEqual(canon([{ url: "/shop/b" }, { url: "/shop/d" }, { url: "/home/e" }]));
    expect(await df.filter(col("action").isin(["click"])).count()).toBe(2);
    expect(canon(await df.filter(col("url").like("/home/%")).select("url").collect()))
      .toEqual(canon([{ url: "/home/a" }, { url: "/home/c" }, { url: "/home/e" }]));
    expect(await df.filter(col("url").like("/sho_/_")).count()).toBe(2);
  });

  test("withColumn (new and replacing), withColumnRenamed, drop, alias", async () => {
    const df = await make();
    const added = df.withColumn("kb", col("bytes").divide(1000));
    expect(added.columns).toEqual(["time", "action", "url", "userId", "bytes", "kb"]);
    const replaced = df.withColumn("bytes", col("bytes").multiply(2));
    expect(replaced.columns).toEqual(["time", "action", "url", "userId", "bytes"]);
    expect((await replaced.filter(col("url").equalTo("/home/a")).select("bytes").collect())).toEqual([{ bytes: 200 }]);
    const renamed = df.withColumnRenamed("userId", "user");
    expect(renamed.columns).toEqual(["time", "action", "url", "user", "bytes"]);
    expect(df.drop("url", "userId").columns).toEqual(["time", "action", "bytes"]);
    expect(df.drop(col("time")).columns).toEqual(["action", "url", "userId", "bytes"]);
    expect(df.drop(col("no_such_column")).columns).toEqual(df.columns);
    expect(df.select(col("action").alias("a"), col("bytes").as("b")).columns).toEqual(["a", "b"]);
  });

  test("when / otherwise", async () => {
    const df = await make();
    const rows = await df.select(
      col("url"),
      when(col("bytes").gt(500), "big").when(col("bytes").geq(100), "medium").otherwise("small").as("size"),
      when(col("bytes").gt(500), "big").as("onlyBig"),
    ).collect();
    const byUrl = Object.fromEntries(rows.map((r) => [r.url, [r.size, r.onlyBig]]));
    expect(byUrl).toEqual({
      "/home/a": ["medium", null], "/shop/b": ["medium", null], "/home/c": ["small", null],
      "/shop/d": ["big", "big"], "/home/e": ["small", null], "/other": ["small", null],
    });
  });

  test("groupBy().count() and agg() with Spark's column names", async () => {
    const df = await make();
    const counts = df.groupBy("action").count();
    expect(counts.columns).toEqual(["action", "count"]);
    expect(canon(await counts.collect())).toEqual(canon([
      { action: "click", count: 2 }, { action: "view", count: 2 }, { action: "buy", count: 1 }, { action: null, count: 1 },
    ]));
    const agg = df.groupBy(col("action")).agg(count("*"), count("bytes"), sum("bytes"), avg("bytes"), min("bytes"), max("bytes"));
    expect(agg.columns).toEqual(["action", "count(1)", "count(bytes)", "sum(bytes)", "avg(bytes)", "min(bytes)", "max(bytes)"]);
    expect(canon(await agg.collect())).toEqual(canon([
      { action: "click", "count(1)": 2, "count(bytes)": 2, "sum(bytes)": 150, "avg(bytes)": 75, "min(bytes)": 50, "max(bytes)": 100 },
      { action: "view", "count(1)": 2, "count(bytes)": 1, "sum(bytes)": 250, "avg(bytes)": 250, "min(bytes)": 250, "max(bytes)": 250 },
      { action: "buy", "count(1)": 1, "count(bytes)": 1, "sum(bytes)": 1000, "avg(bytes)": 1000, "min(bytes)": 1000, "max(bytes)": 1000 },
      { action: null, "count(1)": 1, "count(bytes)": 1, "sum(bytes)": 10, "avg(bytes)": 10, "min(bytes)": 10, "max(bytes)": 10 },
    ]));
    const named = df.groupBy("action").agg(count("*").as("n"), sum("bytes").as("total"));
    expect(named.columns).toEqual(["action", "n", "total"]);
  });

  test("first, last and approx_count_distinct per group", async () => {
    const df = await make();
    const agg = df.filter(col("action").isNotNull()).groupBy("action")
      .agg(first("url"), last("url"), approx_count_distinct("userId"));
    const aliased = df.filter(col("action").isNotNull()).groupBy("action")
      .agg(first("url").as("f"), last("url").as("l"), approx_count_distinct("userId").as("users"));
    expect(canon(await aliased.collect())).toEqual(canon([
      { action: "click", f: "/home/a", l: "/home/c", users: 2 },
      { action: "view", f: "/shop/b", l: "/home/e", users: 2 },
      { action: "buy", f: "/shop/d", l: "/shop/d", users: 1 },
    ]));
    expect(agg.columns).toEqual(["action", "first(url)", "last(url)", "approx_count_distinct(userId)"]);
    expect(canon(await agg.collect())).toEqual(canon([
      { action: "click", "first(url)": "/home/a", "last(url)": "/home/c", "approx_count_distinct(userId)": 2 },
      { action: "view", "first(url)": "/shop/b", "last(url)": "/home/e", "approx_count_distinct(userId)": 2 },
      { action: "buy", "first(url)": "/shop/d", "last(url)": "/shop/d", "approx_count_distinct(userId)": 1 },
    ]));
  });

  test("global aggregation: df.agg(...) and df.count()", async () => {
    const df = await make();
    const g = df.agg(sum("bytes"), count("*"), max("time"));
    expect(g.columns).toEqual(["sum(bytes)", "count(1)", "max(time)"]);
    expect(await g.collect()).toEqual([{ "sum(bytes)": 1410, "count(1)": 6, "max(time)": t("12:15:00") }]);
    expect(await df.count()).toBe(6);
    // A global aggregate over no rows still yields one row (count 0, sum null).
    expect(await df.filter(col("bytes").gt(1e9)).agg(count("*"), sum("bytes")).collect()).toEqual([{ "count(1)": 0, "sum(bytes)": null }]);
  });

  test("orderBy with desc()/asc(), limit", async () => {
    const df = await make();
    const top = await df.filter(col("bytes").isNotNull()).orderBy(col("bytes").desc()).limit(3).select("bytes").collect();
    expect(top).toEqual([{ bytes: 1000 }, { bytes: 250 }, { bytes: 100 }]);
    const byActionThenBytes = await df.filter(col("action").isNotNull()).orderBy(col("action").asc(), col("time").desc()).select("url").collect();
    expect(byActionThenBytes.map((r) => r.url)).toEqual(["/shop/d", "/home/c", "/home/a", "/home/e", "/shop/b"]);
    // Ascending order puts nulls first, descending puts them last (Spark's defaults).
    expect((await df.orderBy(col("bytes").asc()).select("bytes").collect()).map((r) => r.bytes)).toEqual([null, 10, 50, 100, 250, 1000]);
    expect((await df.orderBy(col("bytes").desc()).select("bytes").collect()).map((r) => r.bytes)).toEqual([1000, 250, 100, 50, 10, null]);
    expect(await df.limit(2).count()).toBe(2);
  });

  test("union, dropDuplicates(cols) and dropDuplicates([cols])", async () => {
    const df = await make();
    const u = df.union(df);
    expect(await u.count()).toBe(12);
    expect(await u.dropDuplicates().count()).toBe(6);
    const keys = (rows: Record<string, unknown>[]): string[] => canon(rows.map((r) => ({ action: r.action, userId: r.userId })));
    const expected = canon([
      { action: "click", userId: "u1" }, { action: "click", userId: "u2" }, { action: "view", userId: "u2" },
      { action: "buy", userId: "u1" }, { action: "view", userId: "u3" }, { action: null, userId: "u3" },
    ]);
    const d1 = u.dropDuplicates("action", "userId");
    expect(d1.columns).toEqual(df.columns);
    expect(keys(await d1.collect())).toEqual(expected);
    expect(keys(await u.dropDuplicates(["action", "userId"]).collect())).toEqual(expected);
    expect(await df.dropDuplicates(["userId"]).count()).toBe(3);
  });

  test("inner join with a static lookup frame", async () => {
    const df = await make();
    const lookup = spark.createDataFrame([{ action: "click", category: "engagement" }, { action: "buy", category: "revenue" }], "action STRING, category STRING");
    const joined = df.join(lookup, "action");
    expect(canon(await joined.select("url", "category").collect())).toEqual(canon([
      { url: "/home/a", category: "engagement" }, { url: "/home/c", category: "engagement" }, { url: "/shop/d", category: "revenue" },
    ]));
    const byExpr = df.join(lookup.withColumnRenamed("action", "a"), col("action").equalTo(col("a")));
    expect(await byExpr.count()).toBe(3);
    // A join on column names puts the join columns first (Spark's USING join).
    expect(joined.columns).toEqual(["action", "time", "url", "userId", "bytes", "category"]);
  });

  test("schema, columns, dtypes, isStreaming, explain()", async () => {
    const df = await make();
    expect(df.columns).toEqual(["time", "action", "url", "userId", "bytes"]);
    expect(df.isStreaming).toBe(false);
    expect(df.schema.fields.map((f) => f.name)).toEqual(df.columns);
    expect(df.dtypes).toEqual([["time", "timestamp"], ["action", "string"], ["url", "string"], ["userId", "string"], ["bytes", "bigint"]]);
    const plan = await captureStdout(() => df.groupBy("action").count().explain(true));
    expect(plan.length).toBeGreaterThan(0);
    await captureStdout(() => df.explain());
  });

  test("printSchema() prints Spark's tree (println: followed by an empty line)", async () => {
    const df = await make();
    const text = await captureStdout(() => df.printSchema());
    expect(text).toBe(
      "root\n |-- time: timestamp (nullable = true)\n |-- action: string (nullable = true)\n" +
      " |-- url: string (nullable = true)\n |-- userId: string (nullable = true)\n |-- bytes: long (nullable = true)\n\n",
    );
  });

  test("toArrow() row count and schema", async () => {
    const df = await make();
    const table = await df.toArrow();
    expect(table.numRows).toBe(6);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["time", "action", "url", "userId", "bytes"]);
    expect(canon(table.toArray().map((r) => ({ url: r.url as string })))).toEqual(canon(LOG_ROWS.map((r) => ({ url: r.url }))));
    expect(String(table.schema.fields[0]!.type)).toMatch(/^Timestamp/);
    expect(String(table.schema.fields[1]!.type)).toBe("Utf8");
    expect(String(table.schema.fields[4]!.type)).toBe("Int64");
  });
});
