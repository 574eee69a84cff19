import { describe, expect, test } from "vitest";
import { Session, col } from "../../src/index.ts";

/** String → TINYINT/SMALLINT/INT/BIGINT as Spark's UTF8String.toByte/toShort/toInt/toLong: `[+-]digits[.digits]`, in range, else NULL. */
const spark = Session.builder().appName("string-to-integral-cast").getOrCreate();

describe("string → integral casts", () => {
  test("an exponent is NULL for every integral type (doubles keep it)", async () => {
    const [r] = await spark.sql("SELECT CAST('1e3' AS INT) i, CAST('1e3' AS BIGINT) l, CAST('1e3' AS SMALLINT) s, CAST('1e3' AS TINYINT) b, CAST('1e3' AS DOUBLE) d").collect();
    expect(r).toEqual({ i: null, l: null, s: null, b: null, d: 1000 });
  });

  test("digits with a dropped fraction, signs, spaces; out of range and other text NULL", async () => {
    const df = spark.createDataFrame(["12.9", " -7 ", "+3.", ".5", "2147483648", "-2147483648", "1,000", "0x10", "Infinity", "12a", ""].map((s) => ({ s })), "s STRING");
    const got = await df.select(col("s").cast("int").as("i"), col("s").cast("smallint").as("h"), col("s").cast("bigint").as("l")).collect();
    expect(got.map((r) => r.i)).toEqual([12, -7, 3, 0, null, -2147483648, null, null, null, null, null]);
    expect(got.map((r) => r.h)).toEqual([12, -7, 3, 0, null, null, null, null, null, null, null]);
    expect(got.map((r) => r.l)).toEqual([12, -7, 3, 0, 2147483648, -2147483648, null, null, null, null, null]);
  });
});
