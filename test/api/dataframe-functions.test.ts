import { afterEach, describe, expect, test } from "vitest";
import {
  Session, col, concat, current_timestamp, date_trunc, dayofmonth, hour, length, lit, lower, month, regexp_extract, split, substring, to_timestamp, trim, upper, window, year,
} from "../../src/index.ts";
import { captureStdout } from "../testing/capture-stdout.ts";
import { LOG_DDL, LOG_ROWS, canon, t } from "./log-rows.ts";

const spark = Session.builder().appName("dataframe-functions").getOrCreate();

afterEach(() => {
  for (const k of ["spark.sql.shuffle.partitions", "spark.sql.session.timeZone", "spark.sql.streaming.noDataMicroBatches.enabled", "spark.sql.streaming.multipleWatermarkPolicy"]) {
    spark.conf.unset(k);
  }
});

describe("casts, functions and show() on small frames", () => {
  test("cast string→int, seconds→timestamp, timestamp→long", async () => {
    const df = spark.createDataFrame([
      { s: "42", secs: 1_767_225_600, ts: t("00:00:01") },
      { s: " 7 ", secs: 0, ts: new Date(1500) },
      { s: "x", secs: null, ts: null },
    ], "s STRING, secs LONG, ts TIMESTAMP");
    const rows = await df.select(
      col("s").cast("int").as("i"), col("secs").cast("timestamp").as("t"), col("ts").cast("long").as("l"),
    ).collect();
    expect(df.select(col("s").cast("int").as("i")).dtypes).toEqual([["i", "int"]]);
    expect(rows).toEqual([
      { i: 42, t: new Date("2026-01-01T00:00:00Z"), l: 1_767_225_601 },
      { i: 7, t: new Date(0), l: 1 },
      { i: null, t: null, l: null },
    ]);
  });

  test("string functions", async () => {
    const df = spark.createDataFrame([{ s: "  Hello World  ", url: "/shop/item/42?x=1" }], "s STRING, url STRING");
    const [row] = await df.select(
      lower(col("s")).as("lo"), upper("s").as("up"), trim(col("s")).as("tr"), length(col("s")).as("len"),
      substring(trim(col("s")), 1, 5).as("sub"), split(col("url"), "/").as("parts"),
      concat(lit("a-"), trim(col("s")), lit("-b")).as("cat"), regexp_extract(col("url"), "/item/(\\d+)", 1).as("id"),
      regexp_extract(col("url"), "/nothing/(\\d+)", 1).as("none"),
    ).collect();
    expect(row).toEqual({
      lo: "  hello world  ", up: "  HELLO WORLD  ", tr: "Hello World", len: 15, sub: "Hello",
      parts: ["", "shop", "item", "42?x=1"], cat: "a-Hello World-b", id: "42", none: "",
    });
  });

  test("date and time functions in the session time zone (UTC)", async () => {
    const df = spark.createDataFrame([{ s: "2026-03-07 13:45:30", ts: new Date("2026-03-07T13:45:30Z") }], "s STRING, ts TIMESTAMP");
    const before = Date.now();
    const [row] = await df.select(
      to_timestamp(col("s")).as("parsed"), date_trunc("hour", col("ts")).as("h"), date_trunc("day", col("ts")).as("d"),
      hour(col("ts")).as("hr"), year("ts").as("y"), month(col("ts")).as("m"), dayofmonth(col("ts")).as("dom"),
      current_timestamp().as("now"), lit(5).as("five"), lit("x").as("x"),
    ).collect();
    expect(row!.parsed).toEqual(new Date("2026-03-07T13:45:30Z"));
    expect(row!.h).toEqual(new Date("2026-03-07T13:00:00Z"));
    expect(row!.d).toEqual(new Date("2026-03-07T00:00:00Z"));
    expect([row!.hr, row!.y, row!.m, row!.dom, row!.five, row!.x]).toEqual([13, 2026, 3, 7, 5, "x"]);
    expect(row!.now).toBeInstanceOf(Date);
    expect((row!.now as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((row!.now as Date).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  test("session time zone changes hour()", async () => {
    spark.conf.set("spark.sql.session.timeZone", "America/New_York");
    const df = spark.createDataFrame([{ ts: new Date("2026-01-01T13:00:00Z") }], "ts TIMESTAMP");
    expect(await df.select(hour(col("ts")).as("h")).collect()).toEqual([{ h: 8 }]);
  });

  test("window() in select gives a tumbling {start, end} struct", async () => {
    const df = spark.createDataFrame(LOG_ROWS, LOG_DDL);
    const w = df.select(window(col("time"), "1 hour"), col("url"));
    expect(w.columns).toEqual(["window", "url"]);
    const rows = await w.collect();
    const byUrl = Object.fromEntries(rows.map((r) => [r.url, r.window]));
    expect(byUrl["/home/a"]).toEqual({ start: t("10:00:00"), end: t("11:00:00") });
    expect(byUrl["/home/c"]).toEqual({ start: t("10:00:00"), end: t("11:00:00") });
    // Half-open [start, end): 11:00:00 belongs to the next window.
    expect(byUrl["/shop/d"]).toEqual({ start: t("11:00:00"), end: t("12:00:00") });
    const counts = await df.groupBy(window(col("time"), "1 hour")).count().select(col("window.start").as("s"), col("count")).collect();
    expect(canon(counts)).toEqual(canon([{ s: t("10:00:00"), count: 3 }, { s: t("11:00:00"), count: 2 }, { s: t("12:00:00"), count: 1 }]));
  });

  test("show() prints Spark's table text", async () => {
    const df = spark.createDataFrame([
      { name: "alice", note: "a very long note that exceeds twenty", n: 1, ts: t("10:05:00") },
      { name: "bob", note: null, n: 22, ts: null },
    ], "name STRING, note STRING, n INT, ts TIMESTAMP");
    const out = await captureStdout(() => df.show());
    expect.soft(out).toBe(
      "+-----+--------------------+---+-------------------+\n" +
      "| name|                note|  n|                 ts|\n" +
      "+-----+--------------------+---+-------------------+\n" +
      "|alice|a very long note ...|  1|2026-01-01 10:05:00|\n" +
      "|  bob|                null| 22|               null|\n" +
      "+-----+--------------------+---+-------------------+\n\n",
    );
    const one = await captureStdout(() => df.select("name").show(1));
    expect.soft(one).toBe("+-----+\n| name|\n+-----+\n|alice|\n+-----+\nonly showing top 1 row\n\n");
    const full = await captureStdout(() => df.select("note").show(20, false));
    // Scala's show(false): every row, nothing truncated.
    expect.soft(await captureStdout(() => df.select("note").show(false))).toBe(full);
    expect.soft(full).toBe(
      "+------------------------------------+\n|note                                |\n+------------------------------------+\n" +
      "|a very long note that exceeds twenty|\n|null                                |\n+------------------------------------+\n\n",
    );
  });

  test("spark.conf get/set with Spark's keys and defaults", () => {
    expect.soft(spark.conf.get("spark.sql.shuffle.partitions")).toBe("200");
    expect(spark.conf.get("spark.sql.session.timeZone")).toBe("UTC");
    expect(spark.conf.get("spark.sql.streaming.noDataMicroBatches.enabled")).toBe("true");
    expect(spark.conf.get("spark.sql.streaming.multipleWatermarkPolicy")).toBe("min");
    spark.conf.set("spark.sql.shuffle.partitions", 4);
    expect(spark.conf.get("spark.sql.shuffle.partitions")).toBe("4");
    spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", "max");
    expect(spark.conf.get("spark.sql.streaming.multipleWatermarkPolicy")).toBe("max");
    spark.conf.set("spark.sql.streaming.noDataMicroBatches.enabled", false);
    expect(spark.conf.get("spark.sql.streaming.noDataMicroBatches.enabled")).toBe("false");
    expect(() => spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", "median")).toThrow(/min|max/);
    expect(spark.conf.get("spark.unknown.key", "fallback")).toBe("fallback");
  });

  test("unknown column fails at the transformation with the known columns listed", () => {
    const df = spark.createDataFrame(LOG_ROWS, LOG_DDL);
    expect(() => df.select("nope")).toThrow(/nope/);
    expect(() => df.filter(col("nope").gt(1))).toThrow(/nope/);
  });
});

describe("rows with repeated column names", () => {
  test("collect() refuses a result whose column names repeat instead of dropping values, and says how to fix it", async () => {
    const joined = spark.sql("SELECT * FROM VALUES (1, 'left') AS a(id, v) JOIN VALUES (1, 'right') AS b(id, v) ON a.id = b.id");
    expect(joined.columns).toEqual(["id", "v", "id", "v"]);
    await expect(joined.collect()).rejects.toThrow("`id`, `v` name more than one column of (id, v, id, v)");
    const named = spark.sql("SELECT a.id, a.v AS left_v, b.v AS right_v FROM VALUES (1, 'left') AS a(id, v) JOIN VALUES (1, 'right') AS b(id, v) ON a.id = b.id");
    expect(await named.collect()).toEqual([{ id: 1, left_v: "left", right_v: "right" }]);
    expect((await joined.toArrow()).numCols).toBe(4);
  });
});

describe("drop after a join", () => {
  test("drop(b.col(name)) drops b's column only; drop(name) drops every column of that name; an ambiguous col(name) is an error", async () => {
    const spark = Session.builder().appName("drop-after-join").getOrCreate();
    const a = spark.sql("SELECT * FROM VALUES (1, 'x'), (2, 'y') AS a(id, s)");
    const b = spark.sql("SELECT * FROM VALUES (1, 'p'), (3, 'q') AS b(id, t)");
    const joined = a.join(b, a.col("id").equalTo(b.col("id")));
    expect(joined.drop(b.col("id")).columns).toEqual(["id", "s", "t"]);
    expect(await joined.drop(b.col("id")).collect()).toEqual([{ id: 1, s: "x", t: "p" }]);
    expect(joined.drop(a.col("id")).columns).toEqual(["s", "id", "t"]);
    expect(joined.drop("id").columns).toEqual(["s", "t"]);
    expect(() => joined.drop(col("id"))).toThrow(/\[AMBIGUOUS_REFERENCE\]/);
  });
});
