import { describe, expect, it } from "vitest";
import { canCast, formatDouble } from "../../src/expr/cast.ts";
import { DateType, IntegerType, LongType, StringType, TimestampType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { cast, col, evaluate, over } from "./eval-helpers.ts";
import { fixedOffset } from "../../src/common/time-zone.ts";

const T = (iso: string): number => Date.parse(iso) * 1000;

describe("casts from string (non-ANSI: what does not convert becomes null)", () => {
  it("string → int truncates decimals and nulls out garbage and overflow", () => {
    expect(over("s STRING", ["42", " -7 ", "1.9", "-1.9", "abc", "", "2147483647", "2147483648", null], cast(col("s"), "int")))
      .toEqual([42, -7, 1, -1, null, null, 2147483647, null, null]);
  });

  it("string → long and double", () => {
    expect(over("s STRING", ["9007199254740991", "-5", "x", "3.99"], cast(col("s"), "bigint"))).toEqual([9007199254740991, -5, null, 3]);
    expect(over("s STRING", ["1.5", "1e3", "-0.25", ".5", "NaN", "Infinity", "one", null], cast(col("s"), "double")))
      .toEqual([1.5, 1000, -0.25, 0.5, NaN, Infinity, null, null]);
  });

  it("string → boolean accepts Spark's spellings", () => {
    expect(over("s STRING", ["true", "TRUE", "t", "yes", "y", "1", "false", "F", "no", "n", "0", "maybe", "2"], cast(col("s"), "boolean")))
      .toEqual([true, true, true, true, true, true, false, false, false, false, false, null, null]);
  });

  it("string → timestamp and date; invalid text is null", () => {
    const r = evaluate("s STRING", [{ s: "2026-01-01 10:00:00" }, { s: "2026-01-01T10:00:00+01:00" }, { s: "nope" }], cast(col("s"), "timestamp"));
    expect(r.internal).toEqual([T("2026-01-01T10:00:00Z"), T("2026-01-01T09:00:00Z"), null]);
    const d = evaluate("s STRING", [{ s: "2024-02-29" }, { s: "1969-12-31 23:00:00" }, { s: "x" }], cast(col("s"), "date"));
    expect(d.internal).toEqual([19782, -1, null]);
  });

  it("string → timestamp without a zone is in the session time zone", () => {
    const r = evaluate("s STRING", [{ s: "2026-01-01 10:00:00" }], cast(col("s"), "timestamp"), { batchTimestampMicros: 0, timeZoneId: fixedOffset(120).id });
    expect(r.internal).toEqual([T("2026-01-01T08:00:00Z")]);
  });
});

describe("casts between numbers and times", () => {
  it("numbers → timestamp are seconds since the epoch", () => {
    expect(evaluate("n INT", [{ n: 60 }, { n: -1 }], cast(col("n"), "timestamp")).internal).toEqual([60_000_000, -1_000_000]);
    expect(evaluate("d DOUBLE", [{ d: 1.5 }], cast(col("d"), "timestamp")).internal).toEqual([1_500_000]);
  });

  it("timestamp → long is whole seconds, rounding down (also before 1970)", () => {
    expect(over("t TIMESTAMP", [new Date(1_999), new Date(-1), null], cast(col("t"), "bigint"))).toEqual([1, -1, null]);
    expect(over("t TIMESTAMP", [new Date(1_500)], cast(col("t"), "double"))).toEqual([1.5]);
  });

  it("double → int and long truncate toward zero", () => {
    expect(over("d DOUBLE", [3.9, -3.9, 0.5, null], cast(col("d"), "int"))).toEqual([3, -3, 0, null]);
    expect(over("d DOUBLE", [3.9, -3.9], cast(col("d"), "bigint"))).toEqual([3, -3]);
  });

  it("double → int saturates at the int range, as Scala's Double.toInt does", () => {
    expect(over("d DOUBLE", [1e10, -1e10, NaN], cast(col("d"), "int"))).toEqual([2147483647, -2147483648, 0]);
  });

  it("long → int keeps the low 32 bits, as Java's (int) cast does", () => {
    expect(over("l BIGINT", [2147483648, 4294967297, -1], cast(col("l"), "int"))).toEqual([-2147483648, 1, -1]);
  });

  it("booleans ↔ numbers", () => {
    expect(over("b BOOLEAN", [true, false, null], cast(col("b"), "int"))).toEqual([1, 0, null]);
    expect(over("n INT", [0, 5, -1], cast(col("n"), "boolean"))).toEqual([false, true, true]);
  });

  it("timestamp ↔ date", () => {
    expect(evaluate("t TIMESTAMP", [{ t: new Date("1969-12-31T23:00:00Z") }, { t: new Date("2026-01-01T23:59:59Z") }], cast(col("t"), "date")).internal).toEqual([-1, 20454]);
    expect(evaluate("d DATE", [{ d: 1 }], cast(col("d"), "timestamp")).internal).toEqual([86_400_000_000]);
  });
});

describe("casts to string", () => {
  it("prints doubles as Java does", () => {
    expect(over("d DOUBLE", [1, 1.5, 1e10, 1e7, 1234567.5, 0.001, 1e-4, -0, 0, NaN, Infinity, -Infinity, 1.23e-5, 100], cast(col("d"), "string")))
      .toEqual(["1.0", "1.5", "1.0E10", "1.0E7", "1234567.5", "0.001", "1.0E-4", "-0.0", "0.0", "NaN", "Infinity", "-Infinity", "1.23E-5", "100.0"]);
    expect(formatDouble(-2.5e20)).toBe("-2.5E20");
  });

  it("prints timestamps, dates, booleans, ints and nested values", () => {
    expect(over("t TIMESTAMP", [new Date("2026-01-01T10:00:00.5Z"), null], cast(col("t"), "string"))).toEqual(["2026-01-01 10:00:00.5", null]);
    expect(over("d DATE", [0], cast(col("d"), "string"))).toEqual(["1970-01-01"]);
    expect(over("b BOOLEAN", [true, false], cast(col("b"), "string"))).toEqual(["true", "false"]);
    expect(over("n BIGINT", [-42], cast(col("n"), "string"))).toEqual(["-42"]);
    expect(over("a ARRAY<INT>", [[1, null, 3]], cast(col("a"), "string"))).toEqual(["[1, null, 3]"]);
    expect(over("s STRUCT<x: INT, y: DOUBLE>", [{ x: 1, y: 2 }], cast(col("s"), "string"))).toEqual(["{1, 2.0}"]);
  });

  it("timestamps print in the session time zone", () => {
    const r = evaluate("t TIMESTAMP", [{ t: new Date("2026-01-01T23:30:00Z") }], cast(col("t"), "string"), { batchTimestampMicros: 0, timeZoneId: fixedOffset(60).id });
    expect(r.values).toEqual(["2026-01-02 00:30:00"]);
  });
});

describe("canCast", () => {
  it("follows Spark's non-ANSI cast table", () => {
    expect(canCast(StringType, IntegerType)).toBe(true);
    expect(canCast(DateType, IntegerType)).toBe(false);
    expect(canCast(LongType, DateType)).toBe(false);
    expect(canCast(TimestampType, DateType)).toBe(true);
    expect(canCast(parseSchema("a INT, b STRING"), parseSchema("x BIGINT, y STRING"))).toBe(true);
    expect(canCast(parseSchema("a INT"), parseSchema("x INT, y INT"))).toBe(false);
    expect(canCast(parseSchema("a ARRAY<INT>").fields[0]!.dataType, StringType)).toBe(true);
  });
});
