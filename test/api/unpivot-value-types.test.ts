import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().appName("unpivot-value-types").getOrCreate();

// Dataset.unpivot / melt gathers its value columns as SQL's UNPIVOT does: into their least
// common type without string promotion (Spark's UnpivotCoercion), or Spark's error.
describe("Dataset.unpivot value types", () => {
  const df = spark.sql("SELECT * FROM VALUES (1, 10, 2.5D, 'x') AS t(id, a, d, s)");

  test("an INT and a DOUBLE column gather as DOUBLE, as in SQL", async () => {
    const unpivoted = df.unpivot(["id"], ["a", "d"], "var", "val");
    expect(unpivoted.schema.fields.map((f) => [f.name, f.dataType.kind]))
      .toEqual([["id", "int"], ["var", "string"], ["val", "double"]]);
    expect((await unpivoted.collect()).map((r) => ({ ...r }))).toEqual([{ id: 1, var: "a", val: 10 }, { id: 1, var: "d", val: 2.5 }]);
    const sql = await spark.sql("SELECT * FROM (SELECT * FROM VALUES (1, 10, 2.5D) AS t(id, a, d)) UNPIVOT (val FOR var IN (a, d))").collect();
    expect(sql.map((r) => ({ ...r }))).toEqual([{ id: 1, var: "a", val: 10 }, { id: 1, var: "d", val: 2.5 }]);
  });

  test("an INT and a STRING column are refused with Spark's error, in both forms", () => {
    expect(() => df.unpivot(["id"], ["a", "s"], "var", "val")).toThrow(/\[UNPIVOT_VALUE_DATA_TYPE_MISMATCH\].*"INT" \(a\), "STRING" \(s\)/);
    expect(() => df.melt(["id"], ["a", "s"], "var", "val")).toThrow(/UNPIVOT_VALUE_DATA_TYPE_MISMATCH/);
  });
});
