import { describe, expect, it } from "vitest";
import { Session, col, expr, format_number } from "../../../src/index.ts";

const spark = Session.builder().appName("format-number-pattern").getOrCreate();

async function row(sql: string): Promise<unknown[]> {
  return Object.values((await spark.sql(sql).collect())[0]!);
}

/** format_number's second argument may be a java.text.DecimalFormat pattern (Spark's FormatNumber). */
describe("format_number(x, pattern) and the sign of a value rounding to zero", () => {
  it("SQL: DecimalFormat patterns, half-even, on doubles, decimals and integers ('#.##' has no integer digit: .14, as Java)", async () => {
    expect(await row("SELECT format_number(1234.5D, '0.000'), format_number(1234.5, '#,##0.00'), format_number(12, '##'), format_number(1234567, ''), format_number(0.125D, '0.00'), format_number(0.135D, '#.##'), format_number(1234.5D, '#,##0.###'), format_number(-1234.5, '#,##0.00'), format_number(7, '000'), format_number(0.5D, '#'), format_number(12345678, '#,####'), format_number(0.256D, '0.0%'), format_number(3L, '$#,##0.00 USD')"))
      .toEqual(["1234.500", "1,234.50", "12", "1,234,567", "0.12", ".14", "1,234.5", "-1,234.50", "007", "0", "1234,5678", "25.6%", "$3.00 USD"]);
  });

  it("SQL: a negative value that rounds to zero keeps its sign, as Java's DecimalFormat", async () => {
    expect(await row("SELECT format_number(-0.5D, 0), format_number(-0.001D, 2), format_number(-0.4, 0), format_number(0, 0), format_number(-0.5D, '0') AS p"))
      .toEqual(["-0", "-0.00", "-0", "0", "-0"]);
  });

  it("DataFrame: format_number(col, d) and the pattern form through expr", async () => {
    const df = spark.createDataFrame([{ x: 1234.5 }, { x: -0.5 }], "x DOUBLE");
    const rows = await df.select(format_number(col("x"), 0).as("d"), expr("format_number(x, '#,##0.00')").as("p")).collect();
    expect(rows).toEqual([{ d: "1,234", p: "1,234.50" }, { d: "-0", p: "-0.50" }]);
  });
});
