import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

/** ORDER BY <ordinal> after UNION / EXCEPT / INTERSECT names the set operation's output column (spark.sql.orderByOrdinal). */
const spark = Session.builder().appName("set-operation-order-by").getOrCreate();
const rows = async (q: string): Promise<unknown[][]> => (await spark.sql(q).collect()).map((r) => Object.values(r));
const threeOne = "SELECT x FROM VALUES (3), (1) AS t(x)";

describe("ORDER BY ordinal after a set operation", () => {
  test("sorts UNION ALL / UNION / EXCEPT / INTERSECT by the numbered output column", async () => {
    expect(await rows(`${threeOne} UNION ALL SELECT 2 ORDER BY 1`)).toEqual([[1], [2], [3]]);
    expect(await rows(`${threeOne} UNION SELECT 2 ORDER BY 1 DESC`)).toEqual([[3], [2], [1]]);
    expect(await rows(`SELECT x, 10 - x AS y FROM VALUES (3), (1) AS t(x) UNION ALL SELECT 2, 8 ORDER BY 2`)).toEqual([[3, 7], [2, 8], [1, 9]]);
    expect(await rows(`${threeOne} EXCEPT SELECT 2 ORDER BY 1`)).toEqual([[1], [3]]);
    expect(await rows(`SELECT x FROM VALUES (3), (1), (2) AS t(x) INTERSECT SELECT x FROM VALUES (2), (3) AS u(x) ORDER BY 1 DESC`)).toEqual([[3], [2]]);
  });

  test("with LIMIT keeps the first rows of that order", async () => {
    expect(await rows(`${threeOne} UNION ALL SELECT 2 ORDER BY 1 DESC LIMIT 1`)).toEqual([[3]]);
    expect(await rows(`${threeOne} UNION ALL SELECT 2 ORDER BY 1 LIMIT 2`)).toEqual([[1], [2]]);
    expect(await rows(`${threeOne} UNION ALL SELECT 2 ORDER BY 1 LIMIT 1 OFFSET 1`)).toEqual([[2]]);
  });

  test("the DataFrame form sorts the same union by name", async () => {
    const a = spark.sql(threeOne);
    const b = spark.sql("SELECT 2 AS x");
    expect((await a.unionAll(b).orderBy("x").limit(2).collect()).map((r) => r.x)).toEqual([1, 2]);
  });

  test("a position out of range is Spark's ORDER_BY_POS_OUT_OF_RANGE", () => {
    expect(() => spark.sql(`${threeOne} UNION ALL SELECT 2 ORDER BY 2`)).toThrow(/^\[ORDER_BY_POS_OUT_OF_RANGE\] ORDER BY position 2 is not in select list \(valid range is \[1, 1\]\)/);
  });

  test("with spark.sql.orderByOrdinal=false the number is a constant and sorts nothing", async () => {
    const s = spark.newSession();
    s.conf.set("spark.sql.orderByOrdinal", "false");
    expect((await s.sql(`${threeOne} UNION ALL SELECT 2 ORDER BY 1 DESC`).collect()).map((r) => r.x)).toEqual([3, 1, 2]);
    expect((await s.sql(`SELECT x FROM VALUES (3), (1), (2) AS t(x) ORDER BY 1`).collect()).map((r) => r.x)).toEqual([3, 1, 2]);
  });
});
