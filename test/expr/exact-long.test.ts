import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { describe, expect, test } from "vitest";
import { fromRecordBatch, toRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { batchToRows } from "../../src/columnar/values.ts";
import { AnalysisError, Session, col, lit, sum } from "../../src/index.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { tempDirs } from "../temp-dirs.ts";

/** BIGINT is a 64-bit integer, exactly (issue 17), with Spark's non-ANSI rules. */
const spark = Session.builder().appName("exact-long").getOrCreate();
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const SAFE = Number.MAX_SAFE_INTEGER;
const tempDir = tempDirs(spark);

async function one(sql: string): Promise<Record<string, unknown>> {
  const rows = await spark.sql(sql).collect();
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe("BIGINT literals and casts", () => {
  test("2^63−1 and −2^63 are exact as literals and through CAST from string; safe values come back as numbers", async () => {
    expect(await one("SELECT 9223372036854775807 AS a, -9223372036854775808 AS b, 9223372036854775807L AS c, 9007199254740993 AS d, 42L AS e")).toEqual({
      a: MAX, b: MIN, c: MAX, d: 9007199254740993n, e: 42,
    });
    expect(await one("SELECT CAST('9223372036854775807' AS BIGINT) AS a, CAST(' -9223372036854775808 ' AS BIGINT) AS b, CAST('9007199254740991' AS BIGINT) AS c")).toEqual({
      a: MAX, b: MIN, c: SAFE,
    });
  });

  test("out-of-range and malformed strings cast to NULL; fractions are truncated (UTF8String.toLong)", async () => {
    expect(await one(
      "SELECT CAST('9223372036854775808' AS BIGINT) AS over, CAST('-9223372036854775809' AS BIGINT) AS under, " +
      "CAST('12.9' AS BIGINT) AS frac, CAST('-12.9' AS BIGINT) AS nfrac, CAST('1e3' AS BIGINT) AS exp, CAST('abc' AS BIGINT) AS word",
    )).toEqual({ over: null, under: null, frac: 12, nfrac: -12, exp: null, word: null });
  });

  test("an integer literal beyond BIGINT is refused with Spark's error class", () => {
    expect(() => spark.sql("SELECT 9223372036854775808L AS x")).toThrow(/\[INVALID_NUMERIC_LITERAL_RANGE\]/);
    expect(() => spark.sql("SELECT 9223372036854775808L AS x")).toThrow(AnalysisError);
  });

  test("double → BIGINT truncates, NaN is 0 and the long range saturates (Scala's toLong); BIGINT → STRING and → INT are exact", async () => {
    expect(await one(
      "SELECT CAST(1e30 AS BIGINT) AS big, CAST(-1e30 AS BIGINT) AS small, CAST(CAST('NaN' AS DOUBLE) AS BIGINT) AS nan, CAST(-2.7 AS BIGINT) AS t, " +
      "CAST(9223372036854775807 AS STRING) AS s, CAST(9223372036854775807 AS INT) AS i, CAST(4294967297L * 1048576 AS INT) AS low",
    )).toEqual({ big: MAX, small: MIN, nan: 0, t: -2, s: "9223372036854775807", i: -1, low: 1048576 });
  });
});

describe("BIGINT arithmetic and comparison", () => {
  test("results beyond 2^53 are exact, and overflow wraps around as Spark's non-ANSI long arithmetic", async () => {
    expect(await one(
      "SELECT 9007199254740993 * 3 AS m, 9007199254740991 + 2 AS a, 9223372036854775807 + 1 AS wrap, -9223372036854775808 - 1 AS wrap2, " +
      "9223372036854775807 * 2 AS wrap3, -(-9223372036854775808) AS neg, abs(-9223372036854775808) AS abs, 9223372036854775807 % 10 AS md, 9223372036854775807 % 0 AS mz",
    )).toEqual({
      m: 27021597764222979n, a: 9007199254740993n, wrap: MIN, wrap2: MAX, wrap3: -2, neg: MIN, abs: MIN, md: 7, mz: null,
    });
  });

  test("comparisons tell apart longs that round to the same double", async () => {
    expect(await one(
      "SELECT 9223372036854775807 = 9223372036854775806 AS eq, 9223372036854775807 > 9223372036854775806 AS gt, " +
      "9007199254740993 <=> 9007199254740992 AS ns, 9007199254740993 < 9007199254740992 AS lt",
    )).toEqual({ eq: false, gt: true, ns: false, lt: false });
  });
});

describe("BIGINT in aggregates and keys", () => {
  const df = () => spark.createDataFrame([
    { k: "a", v: MAX }, { k: "a", v: 1 },
    { k: "b", v: SAFE }, { k: "b", v: SAFE },
    { k: "c", v: MIN }, { k: "c", v: MIN },
    { k: "d", v: MAX - 1n }, { k: "d", v: -1 },
  ], "k STRING, v BIGINT");

  test("sum of BIGINT is BIGINT: exact beyond 2^53, wrapping on overflow; min and max are exact", async () => {
    const rows = await df().groupBy(col("k")).agg(sum(col("v")).as("s")).orderBy(col("k")).collect();
    expect(rows).toEqual([
      { k: "a", s: MIN }, // 2^63−1 + 1 wraps
      { k: "b", s: 18014398509481982n },
      { k: "c", s: 0 }, // −2^63 + −2^63 wraps to 0
      { k: "d", s: MAX - 2n },
    ]);
    df().createOrReplaceTempView("exact_longs");
    expect(await spark.sql("SELECT k, min(v) AS lo, max(v) AS hi FROM exact_longs GROUP BY k ORDER BY k").collect()).toEqual([
      { k: "a", lo: 1, hi: MAX }, { k: "b", lo: SAFE, hi: SAFE }, { k: "c", lo: MIN, hi: MIN }, { k: "d", lo: -1, hi: MAX - 1n },
    ]);
  });

  test("grouping, DISTINCT and dropDuplicates keep 2^63−1 and 2^63−2 apart (one double)", async () => {
    df().createOrReplaceTempView("exact_longs");
    expect(await spark.sql("SELECT v, count(*) AS n FROM exact_longs GROUP BY v ORDER BY v").collect()).toEqual([
      { v: MIN, n: 2 }, { v: -1, n: 1 }, { v: 1, n: 1 }, { v: SAFE, n: 2 }, { v: MAX - 1n, n: 1 }, { v: MAX, n: 1 },
    ]);
    expect(await one("SELECT count(DISTINCT v) AS n, approx_count_distinct(v) AS a FROM exact_longs")).toEqual({ n: 6, a: 6 });
    const distinct = (await df().select(col("v")).dropDuplicates().collect()).map((r) => r.v);
    expect(new Set(distinct)).toEqual(new Set([MAX, 1, SAFE, MIN, MAX - 1n, -1]));
    const joined = await df().filter(col("v").equalTo(lit(MAX))).join(df().withColumnRenamed("k", "k2"), "v").collect();
    expect(joined).toEqual([{ v: MAX, k: "a", k2: "a" }]);
  });

  test("show() and the JSON of collect() print every digit", async () => {
    const text = await df().filter(col("k").equalTo(lit("a"))).showString();
    expect(text).toContain("|9223372036854775807|");
  });
});

describe("BIGINT from the DataFrame API and files", () => {
  test("lit() of a bigint is an exact BIGINT; a bigint outside the long range is refused", async () => {
    const rows = await spark.sql("SELECT 1 AS one").select(lit(MAX).as("a"), lit(MIN).plus(lit(1)).as("b"), lit(5n).as("c")).collect();
    expect(rows).toEqual([{ a: MAX, b: MIN + 1n, c: 5 }]);
    expect(() => spark.sql("SELECT 1 AS one").select(lit(2n ** 63n))).toThrow(/outside the range of BIGINT/);
  });

  test("CSV and JSON files: 19-digit BIGINT fields are exact, beyond the long range they are malformed (null in PERMISSIVE mode)", async () => {
    const dir = await tempDir("rivulet-exact-csv-");
    await writeFile(join(dir, "a.csv"), "id,v\n1,9223372036854775807\n2,-9223372036854775808\n3,9223372036854775808\n4,12\n");
    const csv = await spark.read.schema("id INT, v BIGINT").option("header", "true").csv(dir).orderBy(col("id")).collect();
    expect(csv.map((r) => r.v)).toEqual([MAX, MIN, null, 12]);
    const jsonDir = await tempDir("rivulet-exact-json-");
    await writeFile(join(jsonDir, "a.json"), '{"id":1,"v":9223372036854775807}\n{"id":2,"v":-9223372036854775808}\n{"id":3,"v":9223372036854775808}\n{"id":4,"v":12}\n');
    const json = await spark.read.schema("id INT, v BIGINT").json(jsonDir).orderBy(col("id")).collect();
    expect(json.map((r) => r.v)).toEqual([MAX, MIN, null, 12]);
    const nestedDir = await tempDir("rivulet-exact-nested-");
    await writeFile(join(nestedDir, "a.json"), '{"s":{"v":9223372036854775807,"d":9007199254740993},"a":[-9223372036854775808,1],"t":9007199254740993}\n');
    const nested = await spark.read.schema("s STRUCT<v: BIGINT, d: DOUBLE>, a ARRAY<BIGINT>, t STRING").json(nestedDir).collect();
    expect(nested).toEqual([{ s: { v: MAX, d: 9007199254740992 }, a: [MIN, 1], t: "9007199254740993" }]);
  });
});

describe("BIGINT through Arrow", () => {
  test("int64 values beyond 2^53 come in and go out exactly", async () => {
    const schema = parseSchema("v BIGINT");
    const table = arrow.tableFromArrays({ v: BigInt64Array.from([MAX, MIN, 5n, 9007199254740993n]) });
    const batch = fromRecordBatch(table.batches[0]!, schema);
    expect(batchToRows(batch).map((r) => r.v)).toEqual([MAX, MIN, 5, 9007199254740993n]);
    const back = toRecordBatch(batch);
    expect([...back.getChild("v")!.toArray()]).toEqual([MAX, MIN, 5n, 9007199254740993n]);
    const out = await spark.sql("SELECT 9223372036854775807 AS a, -9223372036854775808 AS b, 7L AS c").toArrow();
    expect([out.getChild("a")!.get(0), out.getChild("b")!.get(0), out.getChild("c")!.get(0)]).toEqual([MAX, MIN, 7n]);
  });
});
