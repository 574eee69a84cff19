import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("math-functions").getOrCreate();
const row = async (sql: string): Promise<Record<string, unknown>> => (await spark.sql(sql).collect())[0] as Record<string, unknown>;
const values = async (sql: string): Promise<unknown[]> => Object.values(await row(sql));

describe("math functions", () => {
  it("name their columns as Spark does", async () => {
    expect(spark.sql("SELECT sin(0), acos(1), atan2(0, 0), pow(2, 3), power(2, 3), sign(-4), signum(40), log(10, 100), log2(8), pi(), e(), rint(2.5), positive(1)").columns)
      .toEqual(["SIN(0)", "ACOS(1)", "ATAN2(0, 0)", "pow(2, 3)", "POWER(2, 3)", "sign(-4)", "SIGNUM(40)", "LOG(10, 100)", "LOG2(8)", "PI()", "E()", "ROUND(2.5)", "(+ 1)"]);
  });

  it("logarithms are null at or below their domain, trig is NaN outside it", async () => {
    expect(await values("SELECT ln(0), log10(-1), log2(0), log1p(-1), log(0, 5), log(2, 8), asin(2), sqrt(-1)")).toEqual([null, null, null, null, null, 3, NaN, NaN]);
    expect(await values("SELECT sin(null), hypot(3, 4), cbrt(-27.0), degrees(pi()), radians(180) = pi()")).toEqual([null, 5, -3, 180, true]);
  });

  it("pmod is the positive remainder in the operands' type, null for a zero divisor", async () => {
    const r = await row("SELECT pmod(10, 3) a, pmod(-10, 3) b, pmod(-7, 0) c, pmod(-7.5, 2) d, pmod(cast(-7 as bigint), 3L) e, pmod(-7.5D, 2) f");
    expect({ ...r, d: String(r["d"]) }).toEqual({ a: 1, b: 2, c: null, d: "0.5", e: 2, f: 0.5 });
    expect(spark.sql("SELECT pmod(10, 3), pmod(1.5, 1)").schema.fields.map((f) => f.dataType.kind)).toEqual(["int", "decimal"]);
  });

  it("signum, factorial, rint, isnan, nanvl, width_bucket", async () => {
    expect(await values("SELECT signum(-0.5), sign(0), factorial(5), factorial(20), factorial(21), factorial(-1)")).toEqual([-1, 0, 120, 2432902008176640000n, null, null]);
    expect(await values("SELECT rint(2.5), rint(3.5), rint(-2.5), isnan(cast('NaN' as double)), isnan(null), isnan(1), nanvl(cast('NaN' as double), 123), nanvl(1, 2)")).toEqual([2, 4, -2, true, false, false, 123, 1]);
    // Spark's sql-tests (math.sql / width_bucket examples).
    expect(await values("SELECT width_bucket(5.3, 0.2, 10.6, 5), width_bucket(-2.1, 1.3, 3.4, 3), width_bucket(8.1, 0.0, 5.7, 4), width_bucket(-0.9, 5.2, 0.5, 2), width_bucket(1, 0, 0, 2), width_bucket(1, 0, 2, 0)")).toEqual([3, 0, 5, 3, null, null]);
  });

  it("the DataFrame forms give the same values", async () => {
    const df = spark.sql("SELECT * FROM VALUES (-7, 2.0D), (8, 0.5D) AS t(a, x)");
    const rows = await df.select(F.pmod(col("a"), 3).alias("p"), F.sin(col("x")).alias("s"), F.pow(col("x"), 2).alias("q"), F.log(2, col("x")).alias("l"), F.signum("a").alias("g"), F.pi().alias("pi")).collect();
    expect(rows).toEqual([
      { p: 2, s: Math.sin(2), q: 4, l: 1, g: -1, pi: Math.PI },
      { p: 2, s: Math.sin(0.5), q: 0.25, l: -1, g: 1, pi: Math.PI },
    ]);
  });

  it("agree with DuckDB on the functions both define alike", async () => {
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const exprs = ["sin(x)", "cos(x)", "tan(x)", "atan(x)", "atan2(x, 0.7)", "cbrt(x)", "degrees(x)", "radians(x)", "sinh(x)", "tanh(x)", "asinh(x)", "log2(x)", "ln(x)", "log10(x)", "pow(x, 3)", "cot(x)", "sign(x)", "pi() * x", "exp(x)"];
    const xs = [0.5, 1.5, 2.75, 10, 123.456];
    for (const x of xs) {
      const ours = await values(`SELECT ${exprs.join(", ")} FROM VALUES (${x}D) AS t(x)`);
      const theirs = (await duck.runAndReadAll(`SELECT ${exprs.join(", ")} FROM (SELECT ${x}::DOUBLE AS x)`)).getRows()[0]!;
      ours.forEach((v, k) => expect(v as number).toBeCloseTo(Number(theirs[k]), 9));
    }
    duck.closeSync();
  });
});
