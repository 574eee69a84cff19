import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { fromRecordBatch, toPlainArrowTable, toRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { batchToRows, rowsToBatch } from "../../src/columnar/values.ts";
import { fromArrowType } from "../../src/types/arrow-types.ts";
import { typeName } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";

const SCHEMA = parseSchema("ltz TIMESTAMP, ntz TIMESTAMP_NTZ, dt INTERVAL DAY TO SECOND, h INTERVAL HOUR, ym INTERVAL YEAR TO MONTH, cal INTERVAL");
const ROWS = [
  { ltz: new Date("2026-03-08T10:30:00Z"), ntz: "2026-03-08 02:30:00", dt: 90_061_000_001, h: 7_200_000_000, ym: 14, cal: "1 month 2 days 3 seconds" },
  { ltz: null, ntz: null, dt: null, h: null, ym: null, cal: null },
  { ltz: "1969-12-31T23:59:59.5Z", ntz: new Date("1900-01-01T00:00:00Z"), dt: -1, h: "INTERVAL '-3' HOUR", ym: -25, cal: { months: 0, days: -1, microseconds: 0 } },
];

describe("TIMESTAMP_NTZ and intervals through Arrow", () => {
  it("map to Spark's Arrow types: Timestamp with and without a zone, Duration, Interval(YEAR_MONTH)", () => {
    const rb = toRecordBatch(rowsToBatch(SCHEMA, ROWS, "test"));
    const types = rb.schema.fields.map((f) => f.type);
    expect((types[0] as arrow.Timestamp).timezone).toBe("UTC");
    expect((types[1] as arrow.Timestamp).timezone ?? null).toBeNull();
    expect(types[2]!.typeId).toBe(arrow.Type.Duration);
    expect(types[4]!.typeId).toBe(arrow.Type.Interval);
    expect(types.slice(0, 5).map((t) => typeName(fromArrowType(t)))).toEqual(["timestamp", "timestamp_ntz", "interval day to second", "interval day to second", "interval year to month"]);
  });

  it("round-trip exactly (values and nulls) through record batches and a plain Arrow table", () => {
    const batch = rowsToBatch(SCHEMA, ROWS, "test");
    const back = batchToRows(fromRecordBatch(toRecordBatch(batch), SCHEMA));
    expect(back).toEqual(batchToRows(batch));
    expect(back[0]).toEqual({
      ltz: new Date("2026-03-08T10:30:00Z"), ntz: new Date("2026-03-08T02:30:00Z"), dt: 90_061_000_001, h: 7_200_000_000, ym: 14,
      cal: { months: 1, days: 2, microseconds: 3_000_000 },
    });
    expect(back[2]!.h).toBe(-10_800_000_000);
    const plain = toPlainArrowTable(batch);
    expect(plain.getChild("ntz")!.get(0)).toBe(Date.UTC(2026, 2, 8, 2, 30));
    expect(plain.getChild("dt")!.get(0)).toBe(90_061_000_001n);
  });
});
