import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** Window functions in an aggregating SELECT read a GROUP BY expression (month(d)) whole, as Spark. */
const spark = Session.builder().appName("windows-over-grouping-expressions").getOrCreate();
const dates = "VALUES (DATE '2024-01-05'),(DATE '2024-03-01'),(DATE '2024-03-09') AS t(d)";

describe("windows over GROUP BY expressions", () => {
  test("a window ordered by the grouping expression", async () => {
    const rows = await spark.sql(`SELECT month(d) m, count(*) c, rank() OVER (ORDER BY month(d) DESC) r FROM ${dates} GROUP BY month(d) ORDER BY m`).collect();
    expect(rows).toEqual([{ m: 1, c: 1, r: 2 }, { m: 3, c: 2, r: 1 }]);
  });

  test("inside larger expressions, with a window over an aggregate", async () => {
    const rows = await spark.sql(`SELECT month(d) + 1 m, sum(count(*)) OVER (ORDER BY month(d)) c FROM ${dates} GROUP BY month(d) ORDER BY m`).collect();
    expect(rows).toEqual([{ m: 2, c: 1 }, { m: 4, c: 3 }]);
  });

  test("a column that is not grouped is refused with MISSING_AGGREGATION", async () => {
    await expect(async () => spark.sql(`SELECT year(d), rank() OVER (ORDER BY month(d)) FROM ${dates} GROUP BY month(d)`).collect())
      .rejects.toThrow(/^\[MISSING_AGGREGATION\] The non-aggregating expression "d" is based on columns which are not participating in the GROUP BY clause/);
    await expect(async () => spark.sql(`SELECT d, count(*) FROM ${dates} GROUP BY month(d)`).collect()).rejects.toThrow(/MISSING_AGGREGATION.*any_value\(d\)/);
  });
});
