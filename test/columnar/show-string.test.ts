import { describe, expect, it } from "vitest";
import { formatCell, formatDouble, showString, stringHalfWidth } from "../../src/columnar/show-string.ts";
import { rowsToBatch } from "../../src/columnar/values.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { parseDataType } from "../../src/types/ddl.ts";
import { zoneRules } from "../../src/common/time-zone.ts";

const lines = (...ls: string[]): string => ls.map((l) => l + "\n").join("");

describe("showString (Spark's Dataset.showString)", () => {
  it("right-aligns cells under a header, with nulls, longs and doubles", () => {
    const batch = rowsToBatch(parseSchema("name STRING, count BIGINT, avg DOUBLE"), [
      { name: "alice", count: 1, avg: 2.5 },
      { name: "bob", count: 10, avg: 1e10 },
      { name: null, count: null, avg: 1 },
    ], "test");
    expect(showString(batch)).toBe(lines(
      "+-----+-----+------+",
      "| name|count|   avg|",
      "+-----+-----+------+",
      "|alice|    1|   2.5|",
      "|  bob|   10|1.0E10|",
      "| null| null|   1.0|",
      "+-----+-----+------+",
    ));
  });

  it("truncates to 20 characters by default and left-aligns without truncation (DataFrameSuite)", () => {
    const batch = rowsToBatch(parseSchema("value STRING"), ["1", "1".repeat(21)], "test");
    expect(showString(batch, 10, false)).toBe(lines(
      "+---------------------+",
      "|value                |",
      "+---------------------+",
      "|1                    |",
      "|111111111111111111111|",
      "+---------------------+",
    ));
    expect(showString(batch, 10, true)).toBe(lines(
      "+--------------------+",
      "|               value|",
      "+--------------------+",
      "|                   1|",
      "|11111111111111111...|",
      "+--------------------+",
    ));
    expect(showString(batch, 10, 0)).toBe(showString(batch, 10, false));
    expect(showString(batch, 10, 20)).toBe(showString(batch, 10, true));
  });

  it("truncates to a given width, without ellipsis below 4", () => {
    const batch = rowsToBatch(parseSchema("s STRING"), ["hello world"], "test");
    expect(showString(batch, 20, 5)).toBe(lines("+-----+", "|    s|", "+-----+", "|he...|", "+-----+"));
    expect(showString(batch, 20, 3)).toBe(lines("+---+", "|  s|", "+---+", "|hel|", "+---+"));
  });

  it("prints window structs and timestamps as Spark casts them", () => {
    const batch = rowsToBatch(parseSchema("window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, count BIGINT"), [
      { window: { start: "2026-01-01 10:00:00", end: "2026-01-01 11:00:00" }, count: 3 },
      { window: { start: "2026-01-01 11:00:00", end: "2026-01-01 12:00:00" }, count: 12 },
    ], "test");
    expect(showString(batch, 20, false)).toBe(lines(
      "+------------------------------------------+-----+",
      "|window                                    |count|",
      "+------------------------------------------+-----+",
      "|{2026-01-01 10:00:00, 2026-01-01 11:00:00}|3    |",
      "|{2026-01-01 11:00:00, 2026-01-01 12:00:00}|12   |",
      "+------------------------------------------+-----+",
    ));
    expect(showString(batch)).toBe(lines(
      "+--------------------+-----+",
      "|              window|count|",
      "+--------------------+-----+",
      "|{2026-01-01 10:00...|    3|",
      "|{2026-01-01 11:00...|   12|",
      "+--------------------+-----+",
    ));
  });

  it("prints timestamps with a fraction only when there is one, and dates", () => {
    const batch = rowsToBatch(parseSchema("ts TIMESTAMP, d DATE"), [
      { ts: "2026-01-01 10:00:00", d: "2026-01-01" },
      { ts: "2026-01-01T10:00:00.123Z", d: null },
      { ts: "2026-01-01T10:00:00.000456Z", d: "1969-12-31" },
    ], "test");
    expect(showString(batch, 20, false)).toBe(lines(
      "+--------------------------+----------+",
      "|ts                        |d         |",
      "+--------------------------+----------+",
      "|2026-01-01 10:00:00       |2026-01-01|",
      "|2026-01-01 10:00:00.123   |null      |",
      "|2026-01-01 10:00:00.000456|1969-12-31|",
      "+--------------------------+----------+",
    ));
  });

  it("prints timestamps, also inside structs, as the session time zone's clocks show them (summer time included)", () => {
    const batch = rowsToBatch(parseSchema("ts TIMESTAMP, w STRUCT<start: TIMESTAMP, end: TIMESTAMP>"), [
      { ts: "2016-12-31T08:12:00Z", w: { start: "2016-07-02T03:00:00Z", end: "2016-07-02T04:00:00Z" } },
    ], "test");
    expect(showString(batch, 20, false, false, false, zoneRules("America/Los_Angeles"))).toBe(lines(
      "+-------------------+------------------------------------------+",
      "|ts                 |w                                         |",
      "+-------------------+------------------------------------------+",
      "|2016-12-31 00:12:00|{2016-07-01 20:00:00, 2016-07-01 21:00:00}|",
      "+-------------------+------------------------------------------+",
    ));
    expect(showString(batch, 20, false)).toContain("|2016-12-31 08:12:00|{2016-07-02 03:00:00, 2016-07-02 04:00:00}|");
  });

  it("prints arrays, maps, booleans and binary (DataFrameSuite 'showString: binary')", () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    const batch = rowsToBatch(parseSchema("_1 BINARY, _2 BINARY"), [[enc("12"), enc("ABC.")], [enc("34"), enc("12346")]], "test");
    expect(showString(batch)).toBe(lines(
      "+-------+----------------+",
      "|     _1|              _2|",
      "+-------+----------------+",
      "|[31 32]|   [41 42 43 2E]|",
      "|[33 34]|[31 32 33 34 36]|",
      "+-------+----------------+",
    ));
    const nested = rowsToBatch(parseSchema("tags ARRAY<STRING>, m MAP<STRING, INT>, ok BOOLEAN"), [
      { tags: ["a", null, "b"], m: new Map([["k", 1], ["z", null]]), ok: true },
      { tags: [], m: new Map(), ok: false },
    ], "test");
    expect(showString(nested)).toBe(lines(
      "+------------+-------------------+-----+",
      "|        tags|                  m|   ok|",
      "+------------+-------------------+-----+",
      "|[a, null, b]|{k -> 1, z -> null}| true|",
      "|          []|                 {}|false|",
      "+------------+-------------------+-----+",
    ));
  });

  it("says when only the top rows are shown", () => {
    const batch = rowsToBatch(parseSchema("key INT, value STRING"), [[1, "a"], [2, "b"], [3, "c"]], "test");
    expect(showString(batch, 2)).toBe(lines(
      "+---+-----+",
      "|key|value|",
      "+---+-----+",
      "|  1|    a|",
      "|  2|    b|",
      "+---+-----+",
      "only showing top 2 rows",
    ));
    expect(showString(batch, 1)).toContain("only showing top 1 row\n");
    expect(showString(batch, 0)).toBe(lines("+---+-----+", "|key|value|", "+---+-----+", "+---+-----+", "only showing top 0 rows"));
    expect(showString(batch, 3, true, false, true)).toMatch(/only showing top 3 rows\n$/);
    expect(showString(batch, 3)).not.toContain("only showing");
  });

  it("prints an empty table", () => {
    const batch = rowsToBatch(parseSchema("a INT, b STRING"), [], "test");
    expect(showString(batch)).toBe(lines("+---+---+", "|  a|  b|", "+---+---+", "+---+---+"));
  });

  it("prints records vertically (DataFrameSuite 'vertical = true')", () => {
    const batch = rowsToBatch(parseSchema("value STRING"), ["1", "1".repeat(21)], "test");
    expect(showString(batch, 10, false, true)).toBe(
      "-RECORD 0----------------------\n" +
      " value | 1                     \n" +
      "-RECORD 1----------------------\n" +
      " value | 111111111111111111111 \n");
    expect(showString(batch, 10, 20, true)).toBe(
      "-RECORD 0---------------------\n" +
      " value | 1                    \n" +
      "-RECORD 1---------------------\n" +
      " value | 11111111111111111... \n");
    expect(showString(batch, 1, 20, true)).toBe(
      "-RECORD 0----\n" +
      " value | 1   \n" +
      "only showing top 1 row\n");
    expect(showString(batch, 0, 20, true)).toBe("(0 rows)\n");
  });

  it("escapes control characters and counts full-width characters twice (SPARK-33690, SPARK-25108)", () => {
    const escaped = rowsToBatch(parseSchema("s STRING"), ["aaa\nbbb\tccc\rddd\feee\bfff\u000Bggg\u0007hhh"], "test");
    expect(showString(escaped, 1, false)).toBe(lines(
      "+--------------------------------------+",
      "|s                                     |",
      "+--------------------------------------+",
      "|aaa\\nbbb\\tccc\\rddd\\feee\\bfff\\vggg\\ahhh|",
      "+--------------------------------------+",
    ));
    const wide = rowsToBatch(parseSchema("b INT, a STRING, c INT"),
      [[0, null, 1], [0, "", 1], [0, "ab c", 1], [0, "m\u00f8", 1], [0, "\u30fc", 1], [0, "\u6d4b", 1], [0, "\u7f8d\u3080", 1], [0, "\u00e0", 1]], "test");
    expect(showString(wide, 20, false)).toBe(lines(
      "+---+----+---+",
      "|b  |a   |c  |",
      "+---+----+---+",
      "|0  |null|1  |",
      "|0  |    |1  |",
      "|0  |ab c|1  |",
      "|0  |m\u00f8  |1  |",
      "|0  |\u30fc  |1  |",
      "|0  |\u6d4b  |1  |",
      "|0  |\u7f8d\u3080|1  |",
      "|0  |\u00e0   |1  |",
      "+---+----+---+",
    ));
    expect(stringHalfWidth("\u7f8d\u3080")).toBe(4);
  });
});

describe("formatCell", () => {
  it("prints doubles as Java's Double.toString", () => {
    const cases: [number, string][] = [
      [1, "1.0"], [2.5, "2.5"], [-0, "-0.0"], [0, "0.0"], [0.001, "0.001"], [0.0001, "1.0E-4"],
      [1234567, "1234567.0"], [1e7, "1.0E7"], [1e10, "1.0E10"], [123456789.125, "1.23456789125E8"],
      [-1.5e-7, "-1.5E-7"], [NaN, "NaN"], [Infinity, "Infinity"], [-Infinity, "-Infinity"], [0.1 + 0.2, "0.30000000000000004"],
    ];
    for (const [v, text] of cases) expect(formatDouble(v), String(v)).toBe(text);
  });

  it("prints longs without decimals, nested nulls as null", () => {
    expect(formatCell(9007199254740993, parseDataType("bigint"))).toBe("9007199254740992");
    expect(formatCell(42, parseDataType("bigint"))).toBe("42");
    expect(formatCell({ a: null, b: [1, null] }, parseDataType("struct<a:int,b:array<int>>"))).toBe("{null, [1, null]}");
    expect(formatCell(null, parseDataType("string"))).toBe("null");
    expect(formatCell(0, parseDataType("timestamp"))).toBe("1970-01-01 00:00:00");
  });
});
