import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, ExecutionError, Session, call_function, col, sum, udf } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

// JavaScript functions as Spark's UDFs: `udf(f, type)` in the DataFrame API, `spark.udf.register`
// for SQL; values in and out as collect() gives them; run on the session's thread only.
const spark = Session.builder().appName("udfs").getOrCreate();
scopedTmpdir("rivulet-udfs-", spark);

const slug = udf((s: string | null) => (s === null ? null : s.trim().toLowerCase().replace(/\s+/g, "-")), "string");

describe("udf()", () => {
  test("a DataFrame UDF: nulls reach the function, Spark's column names UDF(x) and name(x)", async () => {
    const df = spark.createDataFrame([{ title: "Hello  World" }, { title: null }], "title STRING");
    expect(await df.select(slug(col("title"))).collect()).toEqual([{ "UDF(title)": "hello-world" }, { "UDF(title)": null }]);
    const named = slug.withName("slug");
    expect(df.select(named("title")).columns).toEqual(["slug(title)"]);
    expect(await df.select(named("title").as("s")).filter(col("s").isNotNull()).collect()).toEqual([{ s: "hello-world" }]);
  });

  test("values as collect() returns them, in and out: timestamps as Date, structs as objects, arrays, big integers", async () => {
    const df = spark.sql("SELECT TIMESTAMP'2026-01-01 10:00:00' AS t, named_struct('a', 1, 'b', 'x') AS s, array(1, 2, 3) AS xs, 9007199254740993L AS big");
    const describe = udf((t: Date, s: { a: number; b: string }, xs: number[], big: bigint) =>
      ({ hour: t.getUTCHours(), label: `${s.b}${s.a}`, total: xs.reduce((a, b) => a + b, 0), big: big + 1n }), "struct<hour: int, label: string, total: bigint, big: bigint>");
    const [row] = await df.select(describe(col("t"), col("s"), col("xs"), col("big")).as("d")).collect();
    expect(row!.d).toEqual({ hour: 10, label: "x1", total: 6, big: 9007199254740994n });
  });

  test("a timestamp passed through a UDF keeps its microseconds", async () => {
    const same = udf((t: Date | null) => t, "timestamp");
    const df = spark.sql("SELECT TIMESTAMP'2026-01-01 10:00:00.123456' AS t");
    const rows = await df.select(same(col("t")).equalTo(col("t")).as("equal"), same(col("t")).cast("string").as("text")).collect();
    expect(rows).toEqual([{ equal: true, text: "2026-01-01 10:00:00.123456" }]);
    const later = udf((t: Date) => new Date(t.getTime() + 1000), "timestamp");
    expect(await df.select(later(col("t")).cast("string").as("t")).collect()).toEqual([{ t: "2026-01-01 10:00:01.123" }]);
  });

  test("spark.udf.register: SQL calls it by name; a registered UDF under another name", async () => {
    spark.udf.register("times_two", (x: number | null) => (x === null ? null : x * 2), "int");
    spark.udf.register("slugify", slug);
    spark.createDataFrame([{ n: 2, t: "A B" }, { n: null, t: "C" }], "n INT, t STRING").createOrReplaceTempView("udf_input");
    const rows = await spark.sql("SELECT times_two(n) AS d, times_two(n) + 1 AS e, slugify(t) AS s FROM udf_input ORDER BY s").collect();
    expect(rows).toEqual([{ d: 4, e: 5, s: "a-b" }, { d: null, e: null, s: "c" }]);
    expect(await spark.table("udf_input").select(call_function("times_two", "n").as("d")).collect()).toEqual([{ d: 4 }, { d: null }]);
  });

  test("two UDFs given the same name each run their own function; withName registers nothing for SQL", async () => {
    const df = spark.createDataFrame([{ x: 1 }, { x: 2 }], "x INT");
    const plusOne = udf((x: number) => x + 1, "int").withName("score");
    const hundredfold = udf((x: number) => x * 100, "int").withName("score");
    expect(await df.select(plusOne("x").as("a"), hundredfold("x").as("b")).collect()).toEqual([{ a: 2, b: 100 }, { a: 3, b: 200 }]);
    spark.udf.register("thrice", (x: number) => x * 3, "int");
    udf((x: number) => x - 1, "int").withName("thrice");
    expect(await spark.sql("SELECT thrice(x) AS t FROM VALUES (3) AS v(x)").collect()).toEqual([{ t: 9 }]);
  });

  test("a failing UDF fails the query with [FAILED_EXECUTE_UDF]; a result of the wrong type is named", async () => {
    const df = spark.createDataFrame([{ n: 7 }], "n INT");
    const boom = udf((x: number) => { throw new Error(`no ${x}`); }, "int").withName("boom");
    await expect(df.select(boom("n")).collect()).rejects.toThrow(ExecutionError);
    await expect(df.select(boom("n")).collect()).rejects.toThrow("[FAILED_EXECUTE_UDF] Failed to execute user defined function (`boom`: (int) => int): no 7");
    const wrong = udf(() => "seven", "int").withName("wrong");
    await expect(df.select(wrong("n")).collect()).rejects.toThrow(/wrong/);
    expect(() => spark.sql("SELECT times_two()")).toThrow(/\[WRONG_NUM_ARGS\.WITHOUT_SUGGESTION\] The `times_two` requires 1 parameters but the actual number is 0/);
    expect(() => spark.sql("SELECT times_two(1, 2)")).toThrow(/\[WRONG_NUM_ARGS\.WITHOUT_SUGGESTION\] The `times_two` requires 1 parameters but the actual number is 2/);
  });

  test("a streaming aggregation grouping by a UDF with parallelism 2 runs its map side on this thread, and says why", async () => {
    const input = await mkdtemp(join(tmpdir(), "udf-in-"));
    for (let f = 0; f < 4; f++) {
      const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ title: i % 2 === 0 ? "Big  News" : "big news", n: f * 100 + i }));
      await writeFile(join(input, `part-${f}.json`), lines.join("\n") + "\n");
    }
    spark.conf.set("rivulet.sql.parallelism", 2);
    try {
      const query = spark.readStream.schema("title STRING, n INT").json(input)
        .groupBy(slug(col("title")).as("s")).agg(sum("n").as("n"))
        .writeStream.format("memory").queryName(`udf_stream_${process.pid}`).outputMode("complete").trigger({ availableNow: true }).start();
      await query.awaitTermination();
      expect(await spark.table(`udf_stream_${process.pid}`).collect()).toEqual([{ s: "big-news", n: (399 * 400) / 2 }]);
      expect(query.explainString()).toMatch(/one thread: a JavaScript user-defined function runs on this thread only/);
    } finally {
      spark.conf.set("rivulet.sql.parallelism", 1);
    }
  });

  test("a remote session refuses JavaScript UDFs with a reason, not an unresolved function on the cluster", () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const df = remote.createDataFrame([], "title STRING");
    expect(() => df.select(slug(col("title")))).toThrow(AnalysisError);
    expect(() => toConnectPlan(df.select(slug(col("title"))))).toThrow(/UDF\(title\) calls a JavaScript user-defined function: it runs only in a local session/);
    expect(() => remote.udf.register("f", () => 1, "int")).toThrow(/JavaScript user-defined functions/);
  });
});
