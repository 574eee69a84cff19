import { describe, expect, it } from "vitest";
import { Session } from "../../src/index.ts";
import { ConfKeys } from "../../src/common/config.ts";
import { zoneRules } from "../../src/common/time-zone.ts";
import { executeBatch } from "../../src/execution/batch-execution.ts";
import { goldenRows } from "../sql/golden/golden-values.ts";

/**
 * Examples from the documentation of Spark 3.5's built-in functions (the `examples` of each
 * @ExpressionDescription), with the answer Spark prints for them (HiveResult's form: arrays
 * `[1,2]`, maps `{1:"a"}`, structs `{"a":1}`, a top-level null `NULL`). Each was a wrong
 * answer, an error or a crash in rivulet before.
 */
const spark = Session.builder().appName("spark-function-examples").getOrCreate();
spark.conf.set(ConfKeys.sessionTimeZone, "America/Los_Angeles");

async function answer(query: string): Promise<string> {
  const batch = await executeBatch(spark.optimizePlan(spark.sql(query).plan), spark.conf);
  return goldenRows(batch, zoneRules("America/Los_Angeles")).join("\n");
}

async function expectAnswers(examples: readonly (readonly [string, string])[]): Promise<void> {
  for (const [query, expected] of examples) expect(await answer(query), query).toBe(expected);
}

describe("Spark's function examples", () => {
  it("lpad and rpad pad a binary with bytes (0x00 by default), not with characters", async () => {
    await expectAnswers([
      ["SELECT hex(lpad(unhex('aabb'), 5))", "000000AABB"],
      ["SELECT hex(lpad(unhex('aabb'), 5, unhex('1122')))", "112211AABB"],
      ["SELECT hex(rpad(unhex('aabb'), 5))", "AABB000000"],
      ["SELECT hex(rpad(unhex('aabb'), 5, unhex('1122')))", "AABB112211"],
      ["SELECT hex(lpad(unhex('aabbcc'), 2)), hex(rpad(unhex('aabbcc'), 2)), hex(lpad(unhex('aabb'), 0))", "AABB\tAABB\t"],
      ["SELECT lpad('hi', 5, '??'), lpad('hi', 1, '??'), rpad('hi', 5, '??'), lpad('😀', 3, 'x')", "???hi\th\thi???\txx😀"],
    ]);
    expect(spark.sql("SELECT lpad(unhex('aabb'), 5) AS b, rpad('a', 2) AS s").schema.simpleString()).toBe("struct<b:binary,s:string>");
  });

  it("struct() names a field after the lambda variable it holds", async () => {
    await expectAnswers([
      ["SELECT zip_with(array(1, 2, 3), array('a', 'b', 'c'), (x, y) -> (y, x))", '[{"y":"a","x":1},{"y":"b","x":2},{"y":"c","x":3}]'],
      ["SELECT transform(array(1, 2), v -> struct(v, v * 2 AS twice))", '[{"v":1,"twice":2},{"v":2,"twice":4}]'],
    ]);
  });

  it("try_divide, try_multiply of an interval give null where the operator fails", async () => {
    await expectAnswers([
      ["SELECT try_divide(interval 2 month, 0)", "NULL"],
      ["SELECT try_divide(interval 2 month, 2)", "0-1"],
      ["SELECT try_divide(INTERVAL '2' DAY, 0)", "NULL"],
      ["SELECT try_multiply(interval 2 year, 3)", "6-0"],
    ]);
    await expect(answer("SELECT interval 2 month / 0")).rejects.toThrow(/INTERVAL_DIVIDED_BY_ZERO/);
  });

  it("div divides two intervals of one family by their months or microseconds", async () => {
    await expectAnswers([
      ["SELECT INTERVAL '1-1' YEAR TO MONTH div INTERVAL '-1' MONTH", "-13"],
      ["SELECT INTERVAL '1 02:00:00' DAY TO SECOND div INTERVAL '1' HOUR", "26"],
      ["SELECT INTERVAL '1' DAY div INTERVAL '0' HOUR", "NULL"],
    ]);
    expect(spark.sql("SELECT INTERVAL '1' YEAR div INTERVAL '1' MONTH AS q").schema.simpleString()).toBe("struct<q:bigint>");
  });

  it("rank, dense_rank and percent_rank take (and drop) arguments, ranking by the ORDER BY", async () => {
    const rows = "FROM VALUES ('A1', 2), ('A1', 1), ('A2', 3), ('A1', 1) tab(a, b)";
    await expectAnswers([
      [`SELECT a, b, rank(b) OVER (PARTITION BY a ORDER BY b) ${rows} ORDER BY a, b`, "A1\t1\t1\nA1\t1\t1\nA1\t2\t3\nA2\t3\t1"],
      [`SELECT a, b, dense_rank(b) OVER (PARTITION BY a ORDER BY b) ${rows} ORDER BY a, b`, "A1\t1\t1\nA1\t1\t1\nA1\t2\t2\nA2\t3\t1"],
      [`SELECT a, b, percent_rank(b) OVER (PARTITION BY a ORDER BY b) ${rows} ORDER BY a, b`, "A1\t1\t0.0\nA1\t1\t0.0\nA1\t2\t1.0\nA2\t3\t0.0"],
    ]);
    expect(() => spark.sql(`SELECT row_number(b) OVER (ORDER BY b) ${rows}`)).toThrow(/requires 0 parameters/);
  });

  it("abs, sign and width_bucket of ANSI intervals", async () => {
    await expectAnswers([
      ["SELECT abs(INTERVAL -'1-1' YEAR TO MONTH), abs(INTERVAL -'1 02:03:04' DAY TO SECOND)", "1-1\t1 02:03:04.000000000"],
      ["SELECT sign(INTERVAL -'100' YEAR), signum(INTERVAL '3' SECOND), sign(INTERVAL '0' DAY)", "-1.0\t1.0\t0.0"],
      ["SELECT width_bucket(INTERVAL '0' YEAR, INTERVAL '0' YEAR, INTERVAL '10' YEAR, 10)", "1"],
      ["SELECT width_bucket(INTERVAL '1' YEAR, INTERVAL '0' YEAR, INTERVAL '10' YEAR, 10)", "2"],
      ["SELECT width_bucket(INTERVAL '0' DAY, INTERVAL '0' DAY, INTERVAL '10' DAY, 10)", "1"],
      ["SELECT width_bucket(INTERVAL '1' DAY, INTERVAL '0' DAY, INTERVAL '10' DAY, 10)", "2"],
    ]);
    expect(spark.sql("SELECT abs(INTERVAL '1' MONTH) AS a").schema.simpleString()).toBe("struct<a:interval month>");
  });

  it("try_to_binary is null for a format it does not know; to_binary refuses it", async () => {
    await expectAnswers([
      ["SELECT try_to_binary('abc', 'invalidFormat')", "NULL"],
      ["SELECT try_to_binary('abc', 'utf-8'), try_to_binary('a!', 'base64')", "abc\tNULL"],
    ]);
    expect(() => spark.sql("SELECT to_binary('abc', 'invalidFormat')")).toThrow(/BINARY_FORMAT/);
  });

  it("bitmap_bucket_number and bitmap_count (Spark 3.5's bitmap functions)", async () => {
    await expectAnswers([
      ["SELECT bitmap_bit_position(1), bitmap_bit_position(123)", "0\t122"],
      ["SELECT bitmap_bucket_number(123), bitmap_bucket_number(0), bitmap_bucket_number(32769), bitmap_bucket_number(-1)", "1\t0\t2\t0"],
      ["SELECT bitmap_count(X'1010'), bitmap_count(X'FFFF'), bitmap_count(X'0')", "2\t16\t0"],
    ]);
  });

  it("X '1010' with a space is the binary literal X'1010' (Spark's typed literal X)", async () => {
    await expectAnswers([
      ["SELECT bitmap_count(X '1010')", "2"],
      ["SELECT bitmap_count(X 'FFFF')", "16"],
      ["SELECT bitmap_count(X '0')", "0"],
      ["SELECT hex(x '1'), hex(X ''), X '10' = X'10'", "01\t\ttrue"],
    ]);
    await expect(answer("SELECT X 'GG'")).rejects.toThrow(`[INVALID_TYPED_LITERAL] The value of the typed literal "X" is invalid: 'GG' (line 1, column 8)`);
    await expect(answer("SELECT Y '10'")).rejects.toThrow(`Supported types are "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP", "INTERVAL", "X".`);
  });

  it("percentile, median and approx_percentile of ANSI intervals give intervals", async () => {
    await expectAnswers([
      ["SELECT percentile(col, 0.5) FROM VALUES (INTERVAL '0' MONTH), (INTERVAL '10' MONTH) AS tab(col)", "0-5"],
      ["SELECT percentile(col, array(0.2, 0.5)) FROM VALUES (INTERVAL '0' SECOND), (INTERVAL '10' SECOND) AS tab(col)", "[0 00:00:02.000000000,0 00:00:05.000000000]"],
      ["SELECT median(col) FROM VALUES (INTERVAL '0' MONTH), (INTERVAL '10' MONTH) AS tab(col)", "0-5"],
      ["SELECT approx_percentile(col, 0.5, 100) FROM VALUES (INTERVAL '0' MONTH), (INTERVAL '1' MONTH), (INTERVAL '2' MONTH), (INTERVAL '10' MONTH) AS tab(col)", "0-1"],
      ["SELECT approx_percentile(col, array(0.5, 0.7), 100) FROM VALUES (INTERVAL '0' SECOND), (INTERVAL '1' SECOND), (INTERVAL '2' SECOND), (INTERVAL '10' SECOND) AS tab(col)", "[0 00:00:01.000000000,0 00:00:02.000000000]"],
      // The interpolated months truncate toward zero (Spark's toInt): 0.5 of (-1, 0) months is 0.
      ["SELECT median(col), percentile(col, 0.25) FROM VALUES (INTERVAL '-1' MONTH), (INTERVAL '0' MONTH) AS tab(col)", "0-0\t0-0"],
    ]);
    expect(spark.sql("SELECT median(col) AS m FROM VALUES (INTERVAL '1' DAY) AS tab(col)").schema.simpleString()).toBe("struct<m:interval day>");
    expect(() => spark.sql("SELECT median(true)")).toThrow(/"NUMERIC" or "INTERVAL YEAR TO MONTH" or "INTERVAL DAY TO SECOND"/);
  });

  it("bitmap_construct_agg and bitmap_or_agg build one bucket's 4096-byte bitmap", async () => {
    await expectAnswers([
      ["SELECT substring(hex(bitmap_construct_agg(bitmap_bit_position(col))), 0, 6) FROM VALUES (1), (2), (3) AS tab(col)", "070000"],
      ["SELECT substring(hex(bitmap_construct_agg(bitmap_bit_position(col))), 0, 6) FROM VALUES (1), (1), (1) AS tab(col)", "010000"],
      ["SELECT substring(hex(bitmap_or_agg(col)), 0, 6) FROM VALUES (X '10'), (X '20'), (X '40') AS tab(col)", "700000"],
      ["SELECT substring(hex(bitmap_or_agg(col)), 0, 6) FROM VALUES (X '10'), (X '10'), (X '10') AS tab(col)", "100000"],
      // 4096 bytes, all zero over no rows; nulls are skipped; each group its own bitmap.
      ["SELECT length(bitmap_construct_agg(col)), bitmap_count(bitmap_or_agg(b)) FROM VALUES (CAST(NULL AS BIGINT), CAST(NULL AS BINARY)) AS tab(col, b)", "4096\t0"],
      ["SELECT k, bitmap_count(bitmap_construct_agg(v)), bitmap_count(bitmap_or_agg(X'FF')) FROM VALUES ('a', 0), ('a', 32767), ('b', 9) AS t(k, v) GROUP BY k ORDER BY k", "a\t2\t8\nb\t1\t8"],
    ]);
    await expect(answer("SELECT bitmap_construct_agg(col) FROM VALUES (32768) AS tab(col)")).rejects.toThrow(
      "[INVALID_BITMAP_POSITION] The 0-indexed bitmap position 32768 is out of bounds. The bitmap has 32768 bits (4096 bytes).");
    expect(() => spark.sql("SELECT bitmap_or_agg(1)")).toThrow(/DATATYPE_MISMATCH/);
  });
});
