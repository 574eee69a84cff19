import { describe, expect, test } from "vitest";
import { AnalysisError, Session, col, grouping, grouping_id, sum } from "../../src/index.ts";
import { planString } from "../../src/plan/plan-string.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";

/** GROUPING SETS, ROLLUP, CUBE, grouping(), grouping_id(), GROUP BY ALL and HAVING's name resolution, as Spark 3.5. */
const spark = Session.builder().appName("grouping").getOrCreate();
const dealer = spark.createDataFrame([
  { city: "SF", car: "Honda", n: 10 }, { city: "SF", car: "Toyota", n: 5 }, { city: "LA", car: "Honda", n: 3 }, { city: null, car: "Honda", n: 1 },
], "city STRING, car STRING, n INT");
dealer.createOrReplaceTempView("dealer");

const rowsOf = async (q: string): Promise<unknown[][]> => (await spark.sql(q).collect()).map((r) => Object.values(r as object));

describe("grouping sets", () => {
  test("GROUPING SETS: one row per group of each set, left-out columns NULL (a NULL key stays a group of its own)", async () => {
    expect(await rowsOf("SELECT city, car, sum(n) AS s FROM dealer GROUP BY GROUPING SETS ((city, car), (city), ()) ORDER BY city, car, s")).toEqual([
      [null, null, 1], [null, null, 19], [null, "Honda", 1], ["LA", null, 3], ["LA", "Honda", 3], ["SF", null, 15], ["SF", "Honda", 10], ["SF", "Toyota", 5],
    ]);
  });

  test("ROLLUP, WITH ROLLUP and rollup() in the DataFrame API agree; grouping() and grouping_id() tell the sets apart", async () => {
    const sql = await rowsOf("SELECT city, car, sum(n) AS s, grouping(city) AS gc, grouping_id() AS gid FROM dealer GROUP BY ROLLUP(city, car) ORDER BY gid, city, car");
    expect(sql).toEqual([
      [null, "Honda", 1, 0, 0], ["LA", "Honda", 3, 0, 0], ["SF", "Honda", 10, 0, 0], ["SF", "Toyota", 5, 0, 0],
      [null, null, 1, 0, 1], ["LA", null, 3, 0, 1], ["SF", null, 15, 0, 1], [null, null, 19, 1, 3],
    ]);
    expect(await rowsOf("SELECT city, car, sum(n) AS s, grouping(city) AS gc, grouping_id() AS gid FROM dealer GROUP BY city, car WITH ROLLUP ORDER BY gid, city, car")).toEqual(sql);
    const df = await dealer.rollup("city", "car").agg(sum("n").as("s"), grouping("city").as("gc"), grouping_id().as("gid")).orderBy("gid", "city", "car").collect();
    expect(df.map((r) => Object.values(r as object))).toEqual(sql);
  });

  test("CUBE with HAVING and ORDER BY ordinals; cube() in the DataFrame API", async () => {
    expect(await rowsOf("SELECT city, car, sum(n) FROM dealer GROUP BY CUBE(city, car) HAVING sum(n) > 4 ORDER BY 1, 2")).toEqual([
      [null, null, 19], [null, "Honda", 14], [null, "Toyota", 5], ["SF", null, 15], ["SF", "Honda", 10], ["SF", "Toyota", 5],
    ]);
    const df = await dealer.cube("car").agg(sum("n").as("s")).orderBy(col("car").asc_nulls_first()).collect();
    expect(df).toEqual([{ car: null, s: 19 }, { car: "Honda", s: 14 }, { car: "Toyota", s: 5 }]);
    expect(spark.sql("SELECT car, sum(n) FROM dealer GROUP BY CUBE(car)").columns).toEqual(["car", "sum(n)"]);
  });

  test("a plain grouping column times a ROLLUP; groupingSets in the DataFrame API", async () => {
    expect(await rowsOf("SELECT city, car, sum(n) AS s FROM dealer WHERE city IS NOT NULL GROUP BY city, ROLLUP(car) ORDER BY city, car")).toEqual([
      ["LA", null, 3], ["LA", "Honda", 3], ["SF", null, 15], ["SF", "Honda", 10], ["SF", "Toyota", 5],
    ]);
    const df = await dealer.groupingSets([["car"], []], "car").agg(sum("n").as("s")).orderBy("s").collect();
    expect(df).toEqual([{ car: "Toyota", s: 5 }, { car: "Honda", s: 14 }, { car: null, s: 19 }]);
  });

  test("Spark's plan: one Aggregate over an Expand that carries spark_grouping_id", () => {
    const plan = planString((spark.sql("SELECT city, sum(n) FROM dealer GROUP BY ROLLUP(city)") as unknown as { plan: LogicalPlan }).plan);
    expect(plan).toMatch(/^Aggregate \[city, spark_grouping_id\], \[city, sum\(n\)\]\n\+- Expand /);
    expect(plan.match(/Aggregate/g)).toHaveLength(1);
  });

  test("grouping() needs grouping sets", () => {
    expect(() => spark.sql("SELECT city, grouping(city) FROM dealer GROUP BY city")).toThrow(
      "[UNSUPPORTED_GROUPING_EXPRESSION] grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup.");
    expect(() => spark.sql("SELECT city, grouping(car) FROM dealer GROUP BY ROLLUP(city)")).toThrow(AnalysisError);
  });
});

describe("GROUP BY ALL, ordinals, aliases and HAVING", () => {
  const hv = spark.createDataFrame([{ a: 1, b: 20 }, { a: 30, b: 5 }, { a: 2, b: 20 }], "a INT, b INT");
  hv.createOrReplaceTempView("hv");

  test("GROUP BY ALL groups by every select item without an aggregate", async () => {
    expect(await rowsOf("SELECT city, upper(car) AS c, sum(n) AS total FROM dealer GROUP BY ALL ORDER BY total")).toEqual([
      [null, "HONDA", 1], ["LA", "HONDA", 3], ["SF", "TOYOTA", 5], ["SF", "HONDA", 10],
    ]);
  });

  test("HAVING reads a grouping column before a select alias of the same name", async () => {
    expect(await rowsOf("SELECT SUM(a) AS b FROM hv GROUP BY b HAVING b > 10")).toEqual([[3]]);
    expect(await rowsOf("SELECT SUM(a) AS s FROM hv GROUP BY b HAVING s > 10")).toEqual([[30]]);
  });

  test("GROUP BY an ordinal or a select alias", async () => {
    expect(await rowsOf("SELECT b AS k, SUM(a) AS s FROM hv GROUP BY k ORDER BY k")).toEqual([[5, 30], [20, 3]]);
    expect(await rowsOf("SELECT b + 1, SUM(a) FROM hv GROUP BY 1 ORDER BY 1")).toEqual([[6, 30], [21, 3]]);
  });
});

describe("spark.sql.groupByOrdinal and spark.sql.groupByAliases", () => {
  test("off, GROUP BY 1 groups by the constant 1 and GROUP BY alias does not see select aliases", async () => {
    const s = spark.newSession();
    s.createDataFrame([{ a: 1, b: 20 }, { a: 30, b: 5 }, { a: 2, b: 20 }], "a INT, b INT").createOrReplaceTempView("hv2");
    s.conf.set("spark.sql.groupByOrdinal", "false");
    expect((await s.sql("SELECT sum(a) AS s FROM hv2 GROUP BY 1").collect())).toEqual([{ s: 33 }]);
    s.conf.set("spark.sql.groupByAliases", "false");
    expect(() => s.sql("SELECT b AS k, sum(a) FROM hv2 GROUP BY k")).toThrow(/\[UNRESOLVED_COLUMN.WITH_SUGGESTION\]/);
    s.conf.set("spark.sql.groupByAliases", "true");
    expect((await s.sql("SELECT b AS k, sum(a) AS s FROM hv2 GROUP BY k ORDER BY k").collect())).toEqual([{ k: 5, s: 30 }, { k: 20, s: 3 }]);
  });
});
