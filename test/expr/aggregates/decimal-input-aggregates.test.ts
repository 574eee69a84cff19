import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** Aggregates reading DECIMAL values (stored unscaled) answer as over the same values as DOUBLE. */
const spark = Session.builder().appName("decimal-input-aggregates").getOrCreate();
const data = "VALUES (1.0, 2.5),(1.2, 0.5),(3.0, 1.5),(5.5, 7.0) AS t(v, w)";
const one = async (q: string): Promise<unknown> => (await spark.sql(q).collect())[0]!.a;
const asDouble = `(SELECT CAST(v AS DOUBLE) v, CAST(w AS DOUBLE) w FROM ${data})`;

describe("aggregates over DECIMAL", () => {
  test("histogram_numeric bins a DECIMAL by its value; x keeps the input type (HistogramNumeric's propagateInputType)", async () => {
    const h = await one(`SELECT histogram_numeric(v, 2) a FROM ${data}`) as { x: { toString(): string }; y: number }[];
    expect(h.map((b) => [b.x.toString(), b.y])).toEqual([["1.7", 3], ["5.5", 1]]);
    expect(await one(`SELECT typeof(histogram_numeric(v, 2)) a FROM ${data}`)).toBe("array<struct<x:decimal(2,1),y:double>>");
    expect(await one(`SELECT histogram_numeric(v, 2) a FROM ${asDouble}`)).toEqual([{ x: 1.7333333333333334, y: 3 }, { x: 5.5, y: 1 }]);
    expect(await one(`SELECT histogram_numeric(CAST(v * 10 AS SMALLINT), 2) a FROM ${data}`)).toEqual([{ x: 17, y: 3 }, { x: 55, y: 1 }]);
    expect(await one(`SELECT typeof(histogram_numeric(CAST(v AS SMALLINT), 2)) a FROM ${data}`)).toBe("array<struct<x:smallint,y:double>>");
  });

  test.each([
    "percentile(v, 0.5)", "median(v)", "stddev(v)", "variance(v)", "var_pop(v)", "kurtosis(v)", "skewness(v)", "corr(v, w)",
    "covar_samp(v, w)", "covar_pop(v, w)", "regr_slope(v, w)", "regr_intercept(v, w)", "regr_r2(v, w)", "regr_sxx(v, w)",
    "regr_sxy(v, w)", "regr_syy(v, w)", "regr_avgx(v, w)", "regr_avgy(v, w)", "percentile(v, array(0.25, 0.75))",
  ])("%s over DECIMAL equals it over DOUBLE", async (f) => {
    expect(await one(`SELECT ${f} a FROM ${data}`)).toEqual(await one(`SELECT ${f} a FROM ${asDouble}`));
  });

  test("percentile_approx answers in the DECIMAL type, by value", async () => {
    expect(String(await one(`SELECT percentile_approx(v, 0.5) a FROM ${data}`))).toBe("1.2");
    expect(String(await one(`SELECT percentile_approx(v, array(0.25, 0.75)) a FROM ${data}`))).toBe("1.0,3.0");
  });

  test("in a window frame too", async () => {
    const rows = await spark.sql(`SELECT stddev(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) a, histogram_numeric(v, 2) OVER () h FROM ${data} ORDER BY v`).collect();
    expect(rows[1]!.a).toBeCloseTo(0.1414213562373095, 12);
    expect(String((rows[0]!.h as { x: unknown }[])[0]!.x)).toBe("1.7");
  });
});
