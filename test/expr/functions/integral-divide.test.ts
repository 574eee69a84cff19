import { describe, expect, it } from "vitest";
import { Session } from "../../../src/index.ts";

/** div(a, b), Spark's IntegralDivide: Java long division (non-ANSI), null on a zero divisor. */
const spark = Session.builder().appName("integral-divide").getOrCreate();
const row = async (q: string): Promise<Record<string, unknown>> => (await spark.sql(q).collect())[0] as Record<string, unknown>;

describe("div", () => {
  it("Long.MIN_VALUE div -1 wraps, as * -1 does; % and pmod give 0", async () => {
    const r = await row("SELECT div(x, -1) d, x * -1 m, x % -1 r, pmod(x, -1) p FROM VALUES (-9223372036854775808L) AS t(x)");
    expect(r).toEqual({ d: -9223372036854775808n, m: -9223372036854775808n, r: 0, p: 0 });
  });

  it("exact for longs beyond 2^53, truncating toward zero, BIGINT typed, null on zero", async () => {
    expect(await row("SELECT div(9007199254740993L, 1) a, div(7, -2) b, div(-7, 2) c, div(1, 0) z, typeof(div(1, 2)) t, div(CAST(7 AS TINYINT), 2) ti"))
      .toEqual({ a: 9007199254740993n, b: -3, c: -3, z: null, t: "bigint", ti: 3 });
    const rows = await spark.sql("SELECT div(a, b) FROM VALUES (7, 2), (1, 0), (NULL, 3) AS t(a, b)").collect();
    expect(rows).toEqual([{ "(a div b)": 3 }, { "(a div b)": null }, { "(a div b)": null }]);
  });

  it("fractional operands divide as doubles, the quotient cast to BIGINT", async () => {
    expect(await row("SELECT div(7.5, 2) a, div(1e30D, 1) b")).toEqual({ a: 3, b: 9223372036854775807n });
  });
});
