import { describe, expect, test } from "vitest";
import { Session, col, expr, round } from "../../src/index.ts";

/** round/bround of DOUBLE and FLOAT as Spark's RoundBase: BigDecimal(d) (the double's decimal text), setScale, toDouble. */
const spark = Session.builder().appName("round-double").getOrCreate();
const one = async (q: string): Promise<Record<string, unknown>> => (await spark.sql(q).collect())[0] as Record<string, unknown>;

describe("round and bround of a double", () => {
  test("HALF_UP on the decimal text: 1.005 → 1.01, 0.285 → 0.29", async () => {
    expect(await one("SELECT round(1.005D, 2) a, round(0.285D, 2) b, round(1.015D, 2) c, round(2.345D, 2) d, round(-1.005D, 2) e, round(2.5D) f, round(-2.5D) g"))
      .toEqual({ a: 1.01, b: 0.29, c: 1.02, d: 2.35, e: -1.01, f: 3, g: -3 });
  });

  test("HALF_EVEN (bround) on the decimal text", async () => {
    expect(await one("SELECT bround(2.5D) a, bround(3.5D) b, bround(1.005D, 2) c, bround(1.015D, 2) d, bround(0.125D, 2) e, bround(-0.125D, 2) f"))
      .toEqual({ a: 2, b: 4, c: 1, d: 1.02, e: 0.12, f: -0.12 });
  });

  test("negative scales, exponents, NaN, infinities, values already short enough", async () => {
    expect(await one(`SELECT round(125D, -1) a, bround(125D, -1) b, round(1.5E-7D, 7) c, round(1E21D, -20) d, round(CAST('NaN' AS DOUBLE), 2) e,
      round(CAST('-Infinity' AS DOUBLE), 1) f, round(0.1D, 5) g, round(-0.0D, 1) h, round(1.2345678901234567E7D, 3) i`))
      .toEqual({ a: 130, b: 120, c: 2e-7, d: 1e21, e: NaN, f: -Infinity, g: 0.1, h: 0, i: 12345678.901 });
    expect(Object.is((await one("SELECT round(-0.0D, 1) h")).h, 0)).toBe(true);
  });

  test("a FLOAT goes through its double's text, as Spark's f.toDouble", async () => {
    // 1.005f is 1.00499999523… as a double, so it rounds down; 0.125f is exact.
    expect(await one("SELECT round(CAST(1.005 AS FLOAT), 2) a, round(CAST(0.125 AS FLOAT), 2) b"))
      .toEqual({ a: 1, b: Math.fround(0.13) });
  });

  test("the DataFrame form over a column", async () => {
    const df = spark.createDataFrame([{ x: 1.005 }, { x: 0.285 }, { x: null }], "x DOUBLE");
    expect(await df.select(round(col("x"), 2).as("r"), expr("bround(x, 2)").as("b")).collect())
      .toEqual([{ r: 1.01, b: 1 }, { r: 0.29, b: 0.28 }, { r: null, b: null }]);
  });
});
