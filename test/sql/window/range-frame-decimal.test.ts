import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** RANGE frames over a DECIMAL key, and DECIMAL bounds: Spark casts the bound to the ORDER BY type (WindowFrameCoercion). */
const spark = Session.builder().appName("range-frame-decimal").getOrCreate();
const column = async (q: string, name: string): Promise<unknown[]> => (await spark.sql(q).collect()).map((r) => String(r[name]));

describe("RANGE frames over DECIMAL", () => {
  test("an integer offset moves a DECIMAL key by whole units, as over DOUBLE", async () => {
    const frame = "RANGE BETWEEN 3 PRECEDING AND 3 FOLLOWING";
    expect(await column(`SELECT count(*) OVER (ORDER BY v ${frame}) c FROM VALUES (1.0),(1.2),(3.0),(5.5) AS t(v) ORDER BY v`, "c")).toEqual(["3", "3", "4", "2"]);
    expect(await column(`SELECT count(*) OVER (ORDER BY v ${frame}) c FROM VALUES (1.0D),(1.2D),(3.0D),(5.5D) AS t(v) ORDER BY v`, "c")).toEqual(["3", "3", "4", "2"]);
    const d = (x: string): string => `(CAST(${x} AS DECIMAL(10,2)))`;
    expect(await column(`SELECT sum(v) OVER (ORDER BY v RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) s FROM VALUES ${[1, 1.5, 2, 3].map(String).map(d).join(",")} AS t(v) ORDER BY v`, "s"))
      .toEqual(["1.00", "2.50", "4.50", "5.00"]);
  });

  test("a DECIMAL offset, ascending and descending", async () => {
    const data = "VALUES (1.00),(1.20),(3.00) AS t(v)";
    expect(await column(`SELECT count(*) OVER (ORDER BY v RANGE BETWEEN 0.2 PRECEDING AND CURRENT ROW) c FROM ${data} ORDER BY v`, "c")).toEqual(["1", "2", "1"]);
    expect(await column(`SELECT count(*) OVER (ORDER BY v DESC RANGE BETWEEN CURRENT ROW AND 0.2 FOLLOWING) c FROM ${data} ORDER BY v`, "c")).toEqual(["1", "2", "1"]);
    expect(await column(`SELECT count(*) OVER (ORDER BY v RANGE BETWEEN 0.19 PRECEDING AND CURRENT ROW) c FROM ${data} ORDER BY v`, "c")).toEqual(["1", "1", "1"]);
  });

  test("the bound is cast to the key's type first: rounded half up to its scale, truncated to an integer", async () => {
    // 0.15 as DECIMAL(2,1) is 0.2.
    expect(await column("SELECT count(*) OVER (ORDER BY v RANGE BETWEEN 0.15 PRECEDING AND CURRENT ROW) c FROM VALUES (1.0),(1.2) AS t(v) ORDER BY v", "c")).toEqual(["1", "2"]);
    // 1.9 as INT is 1.
    expect(await column("SELECT count(*) OVER (ORDER BY v RANGE BETWEEN 1.9 PRECEDING AND CURRENT ROW) c FROM VALUES (1),(2),(4) AS t(v) ORDER BY v", "c")).toEqual(["1", "2", "1"]);
  });

  test("a ROWS frame refuses a fractional bound", async () => {
    await expect(async () => spark.sql("SELECT count(*) OVER (ORDER BY v ROWS BETWEEN 1.5 PRECEDING AND CURRENT ROW) c FROM VALUES (1) AS t(v)").collect())
      .rejects.toThrow(/SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE/);
  });
});
