import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

// java.util.Formatter rounds %f / %e HALF_UP on the double's shortest decimal text (FormattedFloatingDecimal).
const spark = Session.builder().appName("format-string-rounding").getOrCreate();

describe("format_string / printf rounding", () => {
  it("rounds HALF_UP on the shortest decimal text (SQL)", async () => {
    const [r] = await spark.sql("SELECT format_string('%.1f', 1.45D) AS a, format_string('%.2f', 1.005D) AS b, printf('%.2f', 2.675D) AS c, format_string('%.1e', 1.25E10D) AS d, format_string('%,.2f', 1234.565D) AS e, format_string('%.0f|%.3f|%.2e|%.1f|%.2f', 0.5D, 0D, 9.995D, -0.05D, 123D) AS f").collect();
    expect(r).toEqual({ a: "1.5", b: "1.01", c: "2.68", d: "1.3e+10", e: "1,234.57", f: "1|0.000|1.00e+01|-0.1|123.00" });
  });

  it("the DataFrame form agrees", async () => {
    const df = spark.sql("SELECT * FROM VALUES (1.005D), (2.675D) AS t(x)");
    expect(await df.select(F.format_string("%.2f", col("x")).alias("s")).collect()).toEqual([{ s: "1.01" }, { s: "2.68" }]);
  });
});
