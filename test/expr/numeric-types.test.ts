import { describe, expect, test } from "vitest";
import {
  decimalShape, divideHalfEven, divideHalfUp, doubleToDecimal, formatDecimal, parseDecimal, rescale, toPrecision,
} from "../../src/columnar/decimal-values.ts";
import { formatFloat } from "../../src/columnar/show-string.ts";
import { adjustPrecisionScale, decimalResultType, widerDecimal } from "../../src/expr/decimal-precision.ts";
import { widerType } from "../../src/expr/coercion.ts";
import { wrapBits } from "../../src/expr/numeric-cast.ts";
import {
  ByteType, Decimal, DecimalType, DoubleType, FloatType, IntegerType, LongType, Session, ShortType, col, lit, sum, avg,
} from "../../src/index.ts";

/** DECIMAL, TINYINT, SMALLINT and FLOAT kernels and their DataFrame forms (issue 17; the SQL forms are in test/sql/golden/numeric-types.sql). */
const spark = Session.builder().appName("numeric-types").getOrCreate();

describe("decimal values (unscaled bigints)", () => {
  test("HALF_UP and HALF_EVEN division round ties away from zero / to even, for either sign", () => {
    expect([divideHalfUp(25n, 10n), divideHalfUp(-25n, 10n), divideHalfUp(24n, 10n), divideHalfUp(-26n, 10n), divideHalfUp(25n, -10n)]).toEqual([3n, -3n, 2n, -3n, -3n]);
    expect([divideHalfEven(25n, 10n), divideHalfEven(35n, 10n), divideHalfEven(-25n, 10n), divideHalfEven(26n, 10n)]).toEqual([2n, 4n, -2n, 3n]);
  });

  test("parse, rescale, precision checks and printing", () => {
    expect(parseDecimal("12.345", 2)).toBe(1235n);
    expect(parseDecimal(" -0.005 ", 2)).toBe(-1n);
    expect(parseDecimal("1e3", 1)).toBe(10000n);
    expect(parseDecimal("1.5e-1", 2)).toBe(15n);
    expect(parseDecimal("abc", 2)).toBeNull();
    expect(parseDecimal(".", 2)).toBeNull();
    expect(rescale(12345n, 2, 5)).toBe(12345000n);
    expect(toPrecision(12345n, 2, 4, 2)).toBeNull();
    expect(toPrecision(9995n, 3, 3, 2)).toBe(null); // 9.995 → 10.00 needs 4 digits
    expect(toPrecision(9994n, 3, 3, 2)).toBe(999n);
    expect([formatDecimal(100n, 2), formatDecimal(-5n, 2), formatDecimal(0n, 3), formatDecimal(7n, 0)]).toEqual(["1.00", "-0.05", "0.000", "7"]);
    expect(decimalShape("123.45")).toEqual({ unscaled: 12345n, precision: 5, scale: 2 });
    expect(decimalShape("0.001")).toEqual({ unscaled: 1n, precision: 3, scale: 3 });
    expect(decimalShape("1E2")).toEqual({ unscaled: 100n, precision: 3, scale: 0 });
  });

  test("a double converts through its shortest text (Spark's Decimal(double)), NaN and infinities are null", () => {
    expect(doubleToDecimal(0.1, 20)).toBe(10n ** 19n);
    expect(doubleToDecimal(1.005, 2)).toBe(101n);
    expect(doubleToDecimal(1e21, 0)).toBe(10n ** 21n);
    expect(doubleToDecimal(NaN, 2)).toBeNull();
    expect(doubleToDecimal(-Infinity, 2)).toBeNull();
  });
});

describe("Spark's DecimalPrecision rules", () => {
  const D = DecimalType;
  test("result types of + − × ÷ % with the 38-digit cap (allowPrecisionLoss true)", () => {
    expect(decimalResultType("add", D(10, 2), D(5, 3))).toEqual(D(12, 3));
    expect(decimalResultType("multiply", D(10, 2), D(5, 3))).toEqual(D(16, 5));
    expect(decimalResultType("divide", D(10, 2), D(5, 3))).toEqual(D(19, 8));
    expect(decimalResultType("mod", D(10, 2), D(5, 3))).toEqual(D(5, 3));
    expect(decimalResultType("add", D(38, 10), D(38, 10))).toEqual(D(38, 9));
    expect(decimalResultType("multiply", D(38, 18), D(38, 18))).toEqual(D(38, 6));
    expect(decimalResultType("divide", D(38, 10), D(38, 10))).toEqual(D(38, 6));
    expect(adjustPrecisionScale(40, 2)).toEqual(D(38, 2));
    // Without precision loss the type is only bounded.
    expect(decimalResultType("multiply", D(38, 18), D(38, 18), false)).toEqual(D(38, 36));
  });

  test("widening: decimals with integral types widen to a decimal, with FLOAT or DOUBLE to DOUBLE; byte < short < int < long < float < double", () => {
    expect(widerDecimal(D(5, 2), D(10, 0))).toEqual(D(12, 2));
    expect(widerType(D(5, 2), IntegerType)).toEqual(D(12, 2));
    expect(widerType(LongType, D(5, 2))).toEqual(D(22, 2));
    expect(widerType(D(5, 2), FloatType)).toEqual(DoubleType);
    expect(widerType(ByteType, ShortType)).toEqual(ShortType);
    expect(widerType(LongType, FloatType)).toEqual(FloatType);
    expect(widerType(FloatType, DoubleType)).toEqual(DoubleType);
  });
});

describe("TINYINT, SMALLINT and FLOAT kernels", () => {
  test("Java's narrowing keeps the low bits; Float.toString prints the shortest digits of the single", () => {
    expect([wrapBits(300, 8), wrapBits(-129, 8), wrapBits(128, 8), wrapBits(70000, 16), wrapBits(-32769, 16), wrapBits(2 ** 40 + 5, 8)]).toEqual([44, 127, -128, 4464, 32767, 5]);
    expect([formatFloat(Math.fround(0.1)), formatFloat(Math.fround(1.1 * 1.1)), formatFloat(Math.fround(16777217)), formatFloat(Math.fround(1e-5)), formatFloat(3)]).toEqual(["0.1", "1.21", "1.6777216E7", "1.0E-5", "3.0"]);
  });
});

describe("the DataFrame API", () => {
  test("lit(Decimal) is DECIMAL of its own precision and scale; collect() returns a Decimal that prints as Spark and compares exactly", async () => {
    const df = spark.createDataFrame([{ x: 1 }], "x INT").select(lit(new Decimal("1.50")).as("a"), lit(new Decimal("12345678901234567890.123456789")).as("b"));
    expect(df.schema.simpleString()).toBe("struct<a:decimal(3,2),b:decimal(29,9)>");
    const [row] = await df.collect();
    expect(row!.a).toBeInstanceOf(Decimal);
    expect(String(row!.a)).toBe("1.50");
    expect((row!.a as Decimal).equals("1.5")).toBe(true);
    expect((row!.a as Decimal).toNumber()).toBe(1.5);
    expect(JSON.stringify(row)).toBe('{"a":"1.50","b":"12345678901234567890.123456789"}');
  });

  test("cast(\"decimal(10,2)\"), arithmetic with an int column, sum and avg of decimals, as the SQL forms", async () => {
    const df = spark.createDataFrame([{ k: "a", v: "10.255" }, { k: "a", v: "0.1" }, { k: "b", v: "-3" }], "k STRING, v STRING")
      .select(col("k"), col("v").cast("decimal(10,2)").as("d"))
      .select(col("k"), col("d"), col("d").plus(lit(1)).as("p"), col("d").multiply(col("d")).as("sq"));
    expect(df.schema.toDDL()).toBe("k STRING, d DECIMAL(10,2), p DECIMAL(11,2), sq DECIMAL(21,4)");
    const rows = await df.groupBy(col("k")).agg(sum(col("d")).as("total"), avg(col("d")).as("mean")).orderBy(col("k")).collect();
    expect(rows.map((r) => [r.k, String(r.total), String(r.mean)])).toEqual([["a", "10.36", "5.180000"], ["b", "-3.00", "-3.000000"]]);
    const show = await df.orderBy(col("d")).showString();
    expect(show.split("\n")[3]).toBe("|  b|-3.00|-2.00|  9.0000|");
  });

  test("createDataFrame with TINYINT, SMALLINT and FLOAT columns keeps their types; out-of-range values are refused", async () => {
    const df = spark.createDataFrame([{ y: 127, s: -32768, f: 0.1 }], "y TINYINT, s SMALLINT, f FLOAT");
    expect(df.schema.simpleString()).toBe("struct<y:tinyint,s:smallint,f:float>");
    const [row] = await df.select(col("y").plus(lit(1).cast("tinyint")).as("y"), col("s"), col("f")).collect();
    expect(row).toEqual({ y: -128, s: -32768, f: Math.fround(0.1) });
    expect(() => spark.createDataFrame([{ y: 128 }], "y TINYINT")).toThrow(/cannot use 128 as tinyint/);
  });
});
