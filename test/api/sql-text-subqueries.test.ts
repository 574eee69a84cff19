import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate().newSession();
const t1 = spark.createDataFrame([{ id: 1, a: 1 }, { id: 2, a: 2 }, { id: null, a: 3 }, { id: 3, a: 4 }], "id INT, a INT");
spark.createDataFrame([{ x: 2, k: 1 }, { x: null, k: 1 }, { x: 3, k: 4 }], "x INT, k INT").createOrReplaceTempView("subq_t2");
const byId = (rows: Record<string, unknown>[]) => [...rows].sort((p, q) => Number(p.id ?? -1) - Number(q.id ?? -1));

describe("subqueries in SQL text given to the DataFrame API (filter, where, selectExpr)", () => {
  test("selectExpr(\"id IN (SELECT …) AS hit\"): IN's three-valued value, next to * and plain items", async () => {
    const hits = await t1.selectExpr("*", "id IN (SELECT x FROM subq_t2) AS hit", "a + 1 AS b").collect();
    expect(byId(hits)).toEqual([
      { id: null, a: 3, hit: null, b: 4 },
      { id: 1, a: 1, hit: null, b: 2 },
      { id: 2, a: 2, hit: true, b: 3 },
      { id: 3, a: 4, hit: true, b: 5 },
    ]);
    const named = await t1.selectExpr("id", "EXISTS (SELECT 1 FROM subq_t2 WHERE k = a)").collect();
    expect(byId(named).map((r) => Object.values(r))).toEqual([[null, false], [1, true], [2, false], [3, true]]);
  });

  test("filter and where with IN / EXISTS under OR and NOT, correlated too, and a scalar subquery", async () => {
    expect(byId(await t1.filter("a = 1 OR id IN (SELECT x FROM subq_t2)").collect()).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(byId(await t1.where("NOT EXISTS (SELECT 1 FROM subq_t2 WHERE k = a) OR id IS NULL").collect()).map((r) => r.id)).toEqual([null, 2]);
    expect(byId(await t1.filter("id IN (SELECT x FROM subq_t2 WHERE k = a)").collect()).map((r) => r.id)).toEqual([3]);
    expect(byId(await t1.filter("a > (SELECT avg(k) FROM subq_t2)").collect()).map((r) => r.id)).toEqual([null, 3]);
  });
});
