import { describe, expect, test } from "vitest";
import { Session, col, expr } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

/** `timestamp ± INTERVAL` in the forms stream–stream join conditions use. */
describe("timestamp ± INTERVAL (day-time)", () => {
  test("in SQL and through expr(), either operand order for +", async () => {
    const rows = await spark.sql(`SELECT TIMESTAMP '2026-01-01 10:00:00' + INTERVAL 1 HOUR AS a,
      TIMESTAMP '2026-01-01 10:00:00' - interval 5 seconds AS b,
      INTERVAL '1 day 2 hours' + TIMESTAMP '2026-01-01 10:00:00' AS c`).collect();
    expect(rows).toEqual([{
      a: new Date("2026-01-01T11:00:00Z"), b: new Date("2026-01-01T09:59:55Z"), c: new Date("2026-01-02T12:00:00Z"),
    }]);
  });

  test("in the DataFrame API: col(t).minus(expr(\"interval 5 seconds\"))", async () => {
    const df = spark.sql("SELECT TIMESTAMP '2026-01-01 10:00:00' AS t");
    const rows = await df.select(col("t").minus(expr("interval 5 seconds")).as("early"), col("t").plus(expr("interval 90 minutes")).as("late")).collect();
    expect(rows).toEqual([{ early: new Date("2026-01-01T09:59:55Z"), late: new Date("2026-01-01T11:30:00Z") }]);
  });
});
