import { describe, expect, test } from "vitest";
import { parseArrayLiteral, postgresReadColumn } from "../../../src/connectors/jdbc/postgres-read-types.ts";
import { rowsToBatch, batchToRows } from "../../../src/columnar/values.ts";
import { StructType } from "../../../src/types/data-types.ts";

// PostgreSQL's text forms as the JDBC source converts them (the session zone of a server may be
// anything, so timestamptz text carries any offset).
const read = (typeName: string, text: string | null): unknown => {
  const column = postgresReadColumn({ name: "c", dbType: typeName, typeName, nullable: true, keyPosition: 0 }, { preferTimestampNTZ: false });
  if ("unsupported" in column) throw new Error(column.unsupported);
  const schema = new StructType([{ name: "c", dataType: column.type, nullable: true }]);
  return batchToRows(rowsToBatch(schema, [{ c: column.convert(text) }], "test"))[0]!.c;
};

describe("PostgreSQL text → rivulet values", () => {
  test("timestamptz at any offset is the same instant", () => {
    const instant = new Date("2024-01-01T08:00:00Z");
    for (const text of ["2024-01-01 08:00:00+00", "2024-01-01 10:00:00+02", "2024-01-01 13:30:00+05:30", "2024-01-01 04:30:00-03:30"]) {
      expect(read("timestamptz", text)).toEqual(instant);
    }
    expect(read("timetz", "10:00:00.5+02")).toEqual(new Date("1970-01-01T08:00:00.500Z"));
  });

  test("infinity, BC dates and offsets with seconds are refused with the value", () => {
    expect(() => read("timestamptz", "infinity")).toThrow(/'infinity' is not a date/);
    expect(() => read("date", "-infinity")).toThrow(/'-infinity'/);
    expect(() => read("timestamp", "0044-03-15 00:00:00 BC")).toThrow(/BC' is not a date/);
    expect(() => read("timestamptz", "1850-01-01 00:00:00+00:09:21")).toThrow(/offset with seconds/);
  });

  test("array literals: quotes, escapes, NULL and \"NULL\", empty strings, explicit bounds", () => {
    expect(parseArrayLiteral('{a,"b c","q\\"x","back\\\\slash",NULL,"NULL",""}')).toEqual(["a", "b c", 'q"x', "back\\slash", null, "NULL", ""]);
    expect(parseArrayLiteral("[0:1]={1,2}")).toEqual(["1", "2"]);
    expect(parseArrayLiteral("{}")).toEqual([]);
    expect(() => parseArrayLiteral("{{1},{2}}")).toThrow(/multi-dimensional/);
    expect(read("_int8", "{9223372036854775807,NULL}")).toEqual([9223372036854775807n, null]);
    expect(() => read("_money", "{}")).toThrow(/money\[\]/);
  });
});
