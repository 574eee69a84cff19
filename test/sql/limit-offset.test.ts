import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col } from "../../src/index.ts";

/** LIMIT with constant expressions and ALL, OFFSET in SQL and Dataset.offset, as Spark 3.5 (GlobalLimitAndOffset). */
const spark = Session.builder().appName("limit-offset").getOrCreate();
const nums = spark.createDataFrame([1, 2, 3, 4, 5].map((n) => ({ n })), "n INT");
nums.createOrReplaceTempView("nums");
const values = async (q: string): Promise<unknown[]> => (await spark.sql(q).collect()).map((r) => (r as { n: unknown }).n);

describe("LIMIT and OFFSET", () => {
  test("LIMIT takes a constant expression or ALL; OFFSET skips rows, before or without a LIMIT", async () => {
    expect(await values("SELECT n FROM nums ORDER BY n LIMIT 2 + 1")).toEqual([1, 2, 3]);
    expect(await values("SELECT n FROM nums ORDER BY n LIMIT ALL")).toEqual([1, 2, 3, 4, 5]);
    expect(await values("SELECT n FROM nums ORDER BY n LIMIT 2 OFFSET 1")).toEqual([2, 3]);
    expect(await values("SELECT n FROM nums ORDER BY n DESC OFFSET 3")).toEqual([2, 1]);
    expect(await values("SELECT n FROM nums ORDER BY n LIMIT CAST('1' AS INT) OFFSET 10")).toEqual([]);
  });

  test("Dataset.offset and limit compose as Spark's", async () => {
    expect((await nums.orderBy("n").offset(2).collect()).map((r) => r.n)).toEqual([3, 4, 5]);
    expect((await nums.orderBy("n").offset(1).limit(2).collect()).map((r) => r.n)).toEqual([2, 3]);
    expect((await nums.orderBy("n").limit(3).offset(1).collect()).map((r) => r.n)).toEqual([2, 3]);
    expect((await nums.filter(col("n").gt(1)).orderBy("n").offset(0).collect()).map((r) => r.n)).toEqual([2, 3, 4, 5]);
  });

  test("Spark's INVALID_LIMIT_LIKE_EXPRESSION errors", () => {
    expect(() => spark.sql("SELECT n FROM nums LIMIT n")).toThrow(/^\[INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE\] The limit like expression "n" is invalid/);
    expect(() => spark.sql("SELECT n FROM nums LIMIT -1")).toThrow('[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The limit like expression "-1" is invalid. The limit expression must be equal to or greater than 0, but got -1.');
    expect(() => spark.sql("SELECT n FROM nums OFFSET 'a'")).toThrow(/\[INVALID_LIMIT_LIKE_EXPRESSION.DATA_TYPE\] The offset like expression/);
    expect(() => spark.sql("SELECT n FROM nums LIMIT CAST(NULL AS INT)")).toThrow(/\[INVALID_LIMIT_LIKE_EXPRESSION.IS_NULL\]/);
    expect(() => nums.offset(-1)).toThrow(/IS_NEGATIVE/);
  });

  test("OFFSET is refused on a stream, as Spark refuses it", () => {
    const input = new MemoryStream<{ n: number }>(spark, "n INT");
    expect(() => input.toDF().offset(1).writeStream.format("memory").queryName("offset_stream").outputMode("append").start())
      .toThrow("Offset is not supported on streaming DataFrames/Datasets");
  });
});
