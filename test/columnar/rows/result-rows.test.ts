import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { batchToRows, resultRows, rowsToBatch } from "../../../src/columnar/values.ts";
import { parseSchema } from "../../../src/types/ddl.ts";

const hour = 3_600_000;
const schema = parseSchema("url STRING, window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, day DATE, at TIMESTAMP, n BIGINT");

/** 40 rows over 2 hours (window bounds and days repeat), each with an instant of its own. */
function rows(): Record<string, unknown>[] {
  return Array.from({ length: 40 }, (_, i) => {
    const start = new Date(Date.UTC(2026, 0, 1) + (i % 2) * hour);
    return {
      url: `/p${i % 5}`,
      window: { start, end: new Date(start.getTime() + hour) },
      day: new Date(Date.UTC(2026, 0, 1 + (i % 3))),
      at: new Date(Date.UTC(2026, 0, 1) + i * 1_234_567),
      n: i === 7 ? null : i,
    };
  });
}

describe("resultRows (collect()'s rows)", () => {
  it("gives the same values as batchToRows", () => {
    const batch = rowsToBatch(schema, rows(), "test");
    expect(resultRows(batch)).toEqual(batchToRows(batch));
    expect(resultRows(batch)).toEqual(rows());
  });

  it("shares one Date per distinct instant in a column that repeats its instants", () => {
    const out = resultRows(rowsToBatch(schema, rows(), "test"));
    const w0 = out[0]!.window as { start: Date; end: Date }, w2 = out[2]!.window as { start: Date; end: Date };
    expect(w0.start).toBe(w2.start);
    expect(w0.end).toBe(w2.end);
    expect(out[0]!.day).toBe(out[3]!.day);
    // Distinct instants, each row's own Date.
    expect(new Set(out.map((r) => r.at)).size).toBe(40);
    // Each row keeps its own struct object.
    expect(out[0]!.window).not.toBe(out[2]!.window);
  });

  it("a shared Date refuses to change, and says how to get one that can", () => {
    const out = resultRows(rowsToBatch(schema, rows(), "test"));
    const start = (out[0]!.window as { start: Date }).start;
    expect(() => start.setTime(0)).toThrow(/shared by the rows of one collect\(\).*new Date\(date\)/);
    expect(() => start.setUTCHours(5)).toThrow(TypeError);
    expect(start.getTime()).toBe(Date.UTC(2026, 0, 1));
    const copy = new Date(start);
    copy.setUTCHours(5);
    expect(copy.getUTCHours()).toBe(5);
    // A Date a row has alone changes as any Date does.
    const at = out[5]!.at as Date;
    at.setTime(0);
    expect(at.getTime()).toBe(0);
  });

  it("a shared Date is an ordinary Date to everything that reads it", () => {
    const out = resultRows(rowsToBatch(schema, rows(), "test"));
    const start = (out[1]!.window as { start: Date }).start;
    expect(start).toBeInstanceOf(Date);
    expect(start.constructor).toBe(Date);
    expect(Object.prototype.toString.call(start)).toBe("[object Date]");
    expect(inspect(start)).toBe("2026-01-01T01:00:00.000Z");
    expect(JSON.stringify(start)).toBe('"2026-01-01T01:00:00.000Z"');
    expect(structuredClone(start).getTime()).toBe(start.getTime());
    expect(start).toStrictEqual(new Date("2026-01-01T01:00:00Z"));
    // Handed back in, it is the same instant.
    expect(rowsToBatch(schema, out, "again").columns[1]!).toEqual(rowsToBatch(schema, rows(), "test").columns[1]!);
  });

  it("batchToRows gives every row Dates of its own", () => {
    const out = batchToRows(rowsToBatch(schema, rows(), "test"));
    const a = (out[0]!.window as { start: Date }).start, b = (out[2]!.window as { start: Date }).start;
    expect(a).not.toBe(b);
    a.setTime(0);
    expect(b.getTime()).toBe(Date.UTC(2026, 0, 1));
  });
});
