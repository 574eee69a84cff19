import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().appName("sort-by-tablesample").getOrCreate();
spark.sql("CREATE OR REPLACE TEMPORARY VIEW nums AS SELECT id, id % 3 AS k FROM range(20)");
const values = async (q: string) => (await spark.sql(q).collect()).map((r) => Object.values(r));

describe("SORT BY, CLUSTER BY, DISTRIBUTE BY (one partition)", () => {
  test("SORT BY sorts the one partition; CLUSTER BY x sorts by x; DISTRIBUTE BY keeps the rows; LIMIT applies after", async () => {
    expect((await values("SELECT k, id FROM nums SORT BY k DESC, id LIMIT 4"))).toEqual([[2, 2], [2, 5], [2, 8], [2, 11]]);
    expect((await values("SELECT k, id FROM nums CLUSTER BY k LIMIT 3"))).toEqual([[0, 0], [0, 3], [0, 6]]);
    expect((await values("SELECT id FROM nums DISTRIBUTE BY k SORT BY id DESC LIMIT 2"))).toEqual([[19], [18]]);
    expect(await spark.sql("SELECT id FROM nums DISTRIBUTE BY k").count()).toBe(20);
    // A column the select list dropped, as ORDER BY.
    expect((await values("SELECT id FROM nums SORT BY k, id DESC LIMIT 2"))).toEqual([[18], [15]]);
    // `sort` and `cluster` stay names.
    expect(await spark.sql("SELECT 1 AS sort, 2 AS cluster").collect()).toEqual([{ sort: 1, cluster: 2 }]);
  });

  test("ORDER BY with any of them, or CLUSTER BY with SORT BY or DISTRIBUTE BY, fails as Spark", () => {
    const combination = "[UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES] The feature is not supported: Combination of ORDER BY/SORT BY/DISTRIBUTE BY/CLUSTER BY.";
    expect(() => spark.sql("SELECT id FROM nums ORDER BY id SORT BY id")).toThrow(combination);
    expect(() => spark.sql("SELECT id FROM nums CLUSTER BY k SORT BY id")).toThrow(combination);
    expect(() => spark.sql("SELECT id FROM nums CLUSTER BY k DISTRIBUTE BY k")).toThrow(combination);
  });
});

describe("TABLESAMPLE", () => {
  test("x PERCENT and BUCKET x OUT OF y keep the rows whose draw of rand(seed) is below the fraction; REPEATABLE (seed) repeats", async () => {
    const drawn = await values("SELECT id FROM nums WHERE rand(42) < 0.5");
    expect(await values("SELECT id FROM nums TABLESAMPLE (50 PERCENT) REPEATABLE (42)")).toEqual(drawn);
    expect(await values("SELECT id FROM nums TABLESAMPLE (50 PERCENT) REPEATABLE (42)")).toEqual(drawn);
    expect(await values("SELECT s.id FROM nums TABLESAMPLE (BUCKET 1 OUT OF 4) REPEATABLE (7) s")).toEqual(await values("SELECT id FROM nums WHERE rand(7) < 0.25"));
    expect(await spark.sql("SELECT * FROM nums TABLESAMPLE (100 PERCENT)").count()).toBe(20);
    expect(await spark.sql("SELECT * FROM nums TABLESAMPLE (0 PERCENT)").count()).toBe(0);
  });

  test("n ROWS is a LIMIT; Spark's errors for the forms it refuses", async () => {
    expect(await values("SELECT id FROM nums TABLESAMPLE (3 ROWS)")).toEqual([[0], [1], [2]]);
    expect(() => spark.sql("SELECT * FROM nums TABLESAMPLE (150 PERCENT)")).toThrow("Sampling fraction (1.5) must be on interval [0, 1]");
    expect(() => spark.sql("SELECT * FROM nums TABLESAMPLE ()")).toThrow("TABLESAMPLE does not accept empty inputs.");
    expect(() => spark.sql("SELECT * FROM nums TABLESAMPLE (100M)")).toThrow("TABLESAMPLE(byteLengthLiteral) is not supported.");
    expect(() => spark.sql("SELECT * FROM nums TABLESAMPLE (BUCKET 1 OUT OF 4 ON id)")).toThrow("TABLESAMPLE(BUCKET x OUT OF y ON colname) is not supported.");
  });
});
