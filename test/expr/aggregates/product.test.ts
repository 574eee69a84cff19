import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** product(x), Spark's Product: a DOUBLE product of the non-null values, null when none. */
const spark = Session.builder().appName("product-aggregate").getOrCreate();

describe("product", () => {
  test("over numbers and decimals, skipping nulls; null over no values", async () => {
    expect(await spark.sql("SELECT product(x) p, product(CAST(x AS DECIMAL(3,1))) d, product(NULL) n, typeof(product(1)) t FROM VALUES (2), (NULL), (3.5) AS t(x)").collect())
      .toEqual([{ p: 7, d: 7, n: null, t: "double" }]);
    expect(await spark.sql("SELECT product(x) p FROM VALUES (1) AS t(x) WHERE x > 5").collect()).toEqual([{ p: null }]);
  });

  test("per group and over a window frame", async () => {
    expect(await spark.sql("SELECT g, product(x) FROM VALUES (1, 2), (1, 5), (2, NULL) AS t(g, x) GROUP BY g ORDER BY g").collect())
      .toEqual([{ g: 1, "product(x)": 10 }, { g: 2, "product(x)": null }]);
    expect((await spark.sql("SELECT product(x) OVER (ORDER BY x) p FROM VALUES (2), (3), (4) AS t(x) ORDER BY x").collect()).map((r) => r.p)).toEqual([2, 6, 24]);
  });
});
