import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("ceil-floor-scale").getOrCreate();
const row = async (sql: string): Promise<Record<string, unknown>> => (await spark.sql(sql).collect())[0] as Record<string, unknown>;
const text = (r: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]));

// Spark 3.3+ RoundCeil / RoundFloor (the examples of `ceil` and `floor` in Spark's docs).
describe("ceil(x, scale) and floor(x, scale)", () => {
  it("round toward +/- infinity at the scale, as a decimal of that scale", async () => {
    const r = await row("SELECT ceil(3.1411, 3) AS c3, ceil(3.1411, -3) AS cm3, floor(3.1411, 3) AS f3, floor(3.1411, -3) AS fm3, ceil(-3.1411, 1) AS cn, floor(-3.1411, 1) AS fn, ceil(3.1411, 9) AS wide");
    expect(text(r)).toEqual({ c3: "3.142", cm3: "1000", f3: "3.141", fm3: "0", cn: "-3.1", fn: "-3.2", wide: "3.1411" });
    const types = spark.sql("SELECT ceil(3.1411, 3), ceil(3.1411, -3), floor(3.1411, 9), typeof(floor(3.1411, 3))").schema.fields.map((f) => f.dataType);
    expect(types.slice(0, 3)).toEqual([{ kind: "decimal", precision: 5, scale: 3 }, { kind: "decimal", precision: 4, scale: 0 }, { kind: "decimal", precision: 6, scale: 4 }]);
    expect(Object.values(await row("SELECT typeof(floor(3.1411, 3)), typeof(ceil(3.1411))"))).toEqual(["decimal(5,3)", "decimal(2,0)"]);
  });

  it("doubles and integers are cast to a decimal first (DecimalType.forType)", async () => {
    const r = await row("SELECT floor(3.1411D, 2) AS fd, ceil(3.1411D, 2) AS cd, ceil(1234, -2) AS ci, floor(-1234L, -2) AS fl, ceil(2.5D, 0) AS c0, ceil(cast(null AS double), 1) AS n");
    expect(text(r)).toEqual({ fd: "3.14", cd: "3.15", ci: "1300", fl: "-1300", c0: "3", n: "null" });
    expect(Object.values(await row("SELECT typeof(floor(3.1411D, 2)), typeof(ceil(1234, -2)), typeof(ceil(1234L, 1)), typeof(ceil(2.5D, 0))")))
      .toEqual(["decimal(18,2)", "decimal(11,0)", "decimal(21,0)", "decimal(16,0)"]);
    // The one-argument forms keep their long result.
    expect(Object.values(await row("SELECT typeof(ceil(2.5D)), typeof(floor(7))"))).toEqual(["bigint", "bigint"]);
  });

  it("the scale must be a constant INT", async () => {
    expect(() => spark.sql("SELECT ceil(x, s) FROM VALUES (1.5, 1) AS t(x, s)").schema).toThrow(/\[NON_FOLDABLE_ARGUMENT\].*`ceil`.*`scale`.*"INT"/);
    expect(() => spark.sql("SELECT floor(1.5, 1L)").schema).toThrow(/NON_FOLDABLE_ARGUMENT.*`floor`/);
  });

  it("the DataFrame forms take the scale as a number or a Column", async () => {
    const df = spark.sql("SELECT * FROM VALUES (3.1411D, 3.1411BD) AS t(d, m)");
    const rows = await df.select(F.ceil(col("m"), 3).alias("c"), F.floor("d", F.lit(-1)).alias("f"), F.ceil("d").alias("plain")).collect();
    expect(text(rows[0] as Record<string, unknown>)).toEqual({ c: "3.142", f: "0", plain: "4" });
  });
});
