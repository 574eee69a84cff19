import { describe, expect, test } from "vitest";
import { Session, col } from "../../src/index.ts";

const spark = Session.builder().appName("try-cast-overflow").getOrCreate();

/** TRY_CAST is Spark's ANSI cast with its errors as NULL: NaN, infinities and out-of-range values do not wrap or saturate. */
describe("TRY_CAST of values the ANSI cast refuses", () => {
  test("NaN and infinities into every integral type are NULL; CAST keeps Java's 0 and saturation", async () => {
    const rows = await spark.sql(`SELECT TRY_CAST(d AS INT) AS i, TRY_CAST(d AS BIGINT) AS l, TRY_CAST(d AS SMALLINT) AS s, TRY_CAST(d AS TINYINT) AS b,
      CAST(d AS INT) AS ci, CAST(d AS BIGINT) AS cl
      FROM VALUES (CAST('NaN' AS DOUBLE)), (CAST('Infinity' AS DOUBLE)), (CAST('-Infinity' AS DOUBLE)), (-7.9D) AS t(d)`).collect();
    expect(rows).toEqual([
      { i: null, l: null, s: null, b: null, ci: 0, cl: 0 },
      { i: null, l: null, s: null, b: null, ci: 2147483647, cl: 9223372036854775807n },
      { i: null, l: null, s: null, b: null, ci: -2147483648, cl: -9223372036854775808n },
      { i: -7, l: -7, s: -7, b: -7, ci: -7, cl: -7 },
    ]);
  });

  test("out-of-range numbers, timestamps and decimals, and strings with a fraction", async () => {
    const [row] = await spark.sql(`SELECT TRY_CAST(1e10 AS INT) AS big, TRY_CAST(2147483648L AS INT) AS long_int, TRY_CAST(300 AS TINYINT) AS tiny,
      TRY_CAST(127 AS TINYINT) AS fits, TRY_CAST(CAST('NaN' AS FLOAT) AS INT) AS float_nan, TRY_CAST(99999999999.5BD AS INT) AS dec,
      TRY_CAST('1.5' AS INT) AS frac, CAST('1.5' AS INT) AS cast_frac, TRY_CAST(' 42 ' AS INT) AS spaced,
      TRY_CAST(TIMESTAMP'2100-01-01 00:00:00' AS INT) AS ts_int, TRY_CAST(9223372036854775807L AS TIMESTAMP) AS ts_overflow,
      TRY_CAST(CAST('NaN' AS DOUBLE) AS TIMESTAMP) AS nan_ts`).collect();
    expect(row).toEqual({ big: null, long_int: null, tiny: null, fits: 127, float_nan: null, dec: null, frac: null, cast_frac: 1, spaced: 42, ts_int: null, ts_overflow: null, nan_ts: null });
  });

  test("a nested value with one element that overflows is NULL as a whole", async () => {
    const rows = await spark.sql("SELECT TRY_CAST(a AS ARRAY<INT>) AS a FROM VALUES (array(1.5D, 2D)), (array(1D, CAST('NaN' AS DOUBLE))) AS t(a)").collect();
    expect(rows).toEqual([{ a: [1, 2] }, { a: null }]);
  });

  test("Column.try_cast agrees with SQL and keeps the column's name", async () => {
    const df = spark.createDataFrame([{ d: Number.NaN }, { d: Number.POSITIVE_INFINITY }, { d: 3.7 }], "d DOUBLE");
    const out = df.select(col("d").try_cast("int"), col("d").try_cast("bigint").as("l"), col("d").cast("int").as("c"));
    expect(out.columns).toEqual(["d", "l", "c"]);
    expect(await out.collect()).toEqual([{ d: null, l: null, c: 0 }, { d: null, l: null, c: 2147483647 }, { d: 3, l: 3, c: 3 }]);
    df.createOrReplaceTempView("try_cast_df");
    expect(await spark.sql("SELECT TRY_CAST(d AS INT), TRY_CAST(d AS BIGINT) AS l, CAST(d AS INT) AS c FROM try_cast_df").collect()).toEqual(await out.collect());
    expect(spark.sql("SELECT TRY_CAST(d + 1 AS INT) FROM try_cast_df").columns).toEqual(["TRY_CAST((d + 1) AS INT)"]);
  });

  test("an ANSI cast (Dataset.to) refuses NaN into INT with CAST_OVERFLOW", async () => {
    const df = spark.createDataFrame([{ d: Number.NaN }], "d DOUBLE");
    await expect(df.to(spark.createDataFrame([], "d INT").schema).collect()).rejects.toThrow(/\[CAST_OVERFLOW\] The value NaN of the type "DOUBLE" cannot be cast to "INT" due to an overflow/);
  });
});
