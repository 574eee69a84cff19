import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().appName("percentile-within-group-only").getOrCreate();

describe("percentile_cont and percentile_disc are WITHIN GROUP forms only (Spark 3.5)", () => {
  test("called as plain functions: [UNRESOLVED_ROUTINE], as Spark 3.5's registry has no such function", () => {
    for (const call of ["percentile_cont(x, 0.5)", "PERCENTILE_DISC(x, 0.5)", "percentile_cont(x, 0.5, true)"]) {
      expect(() => spark.sql(`SELECT ${call} FROM VALUES (1), (3) AS t(x)`)).toThrow(/^\[UNRESOLVED_ROUTINE\] Cannot resolve routine `percentile_(cont|disc)` on search path \[`system`\.`builtin`, `system`\.`session`, `spark_catalog`\.`default`\]/i);
    }
  });

  test("the WITHIN GROUP forms still answer", async () => {
    const rows = await spark.sql(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS c, percentile_disc(0.5) WITHIN GROUP (ORDER BY x DESC) AS d
      FROM VALUES (1), (2), (3), (4) AS t(x)`).collect();
    expect(rows).toEqual([{ c: 2.5, d: 3 }]);
  });
});
