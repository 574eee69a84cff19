import { describe, expect, test } from "vitest";
import { MemoryStream, Session } from "../../../src/index.ts";

/** LATERAL subqueries in FROM (Spark 3.2+): a SELECT over each row of the relations before it. */
const spark = Session.builder().appName("lateral-subquery").getOrCreate();
spark.createDataFrame([{ a: 1, b: 2 }, { a: 3, b: 4 }], "a INT, b INT").createOrReplaceTempView("lat_t");
const rows = async (q: string): Promise<unknown[]> => spark.sql(q).collect();

describe("LATERAL subqueries", () => {
  test("see the outer row's columns, qualified or not; WHERE keeps the rows it is true for", async () => {
    expect(await rows("SELECT * FROM lat_t, LATERAL (SELECT lat_t.a * 2 AS x)")).toEqual([{ a: 1, b: 2, x: 2 }, { a: 3, b: 4, x: 6 }]);
    expect(await rows("SELECT a, x, y FROM lat_t AS t, LATERAL (SELECT t.a * 2 AS x, b + 1 AS y WHERE t.a > 1)")).toEqual([{ a: 3, x: 6, y: 5 }]);
    expect(await rows("SELECT x, z FROM lat_t, LATERAL (SELECT a + b AS x), LATERAL (SELECT x * 10 AS z) ORDER BY x")).toEqual([{ x: 3, z: 30 }, { x: 7, z: 70 }]);
  });

  test("first in FROM it is a plain subquery; a column named lateral and LATERAL VIEW still work", async () => {
    expect(await rows("SELECT * FROM LATERAL (SELECT 1 AS one)")).toEqual([{ one: 1 }]);
    expect(await rows("SELECT lateral FROM (SELECT 1 AS lateral)")).toEqual([{ lateral: 1 }]);
    expect(await rows("SELECT v FROM lat_t LATERAL VIEW explode(array(a, b)) e AS v WHERE a = 1")).toEqual([{ v: 1 }, { v: 2 }]);
  });

  test("CROSS JOIN LATERAL and JOIN LATERAL … ON are the comma form, filtered by the condition", async () => {
    expect(await rows("SELECT * FROM lat_t CROSS JOIN LATERAL (SELECT a * 2 AS x) ORDER BY a")).toEqual([{ a: 1, b: 2, x: 2 }, { a: 3, b: 4, x: 6 }]);
    expect(await rows("SELECT a, x FROM lat_t t JOIN LATERAL (SELECT t.a + t.b AS x) ON x > 3")).toEqual([{ a: 3, x: 7 }]);
    expect(await rows("SELECT a, x FROM lat_t INNER JOIN LATERAL (SELECT a * 10 AS x WHERE b > 2) ON true")).toEqual([{ a: 3, x: 30 }]);
    expect(await rows("SELECT a, x FROM lat_t JOIN LATERAL (SELECT a + 1 AS x) ORDER BY a")).toEqual([{ a: 1, x: 2 }, { a: 3, x: 4 }]);
  });

  test("LEFT JOIN LATERAL keeps every row, with nulls where the subquery's WHERE or the condition does not hold", async () => {
    expect(await rows("SELECT a, x, y FROM lat_t LEFT JOIN LATERAL (SELECT a * 2 AS x, b AS y) ON x > 2 ORDER BY a")).toEqual([
      { a: 1, x: null, y: null }, { a: 3, x: 6, y: 4 },
    ]);
    expect(await rows("SELECT * FROM lat_t LEFT OUTER JOIN LATERAL (SELECT b - a AS d WHERE a = 1) ON true ORDER BY a")).toEqual([
      { a: 1, b: 2, d: 1 }, { a: 3, b: 4, d: null },
    ]);
    expect(await rows("SELECT a, x FROM lat_t LEFT JOIN LATERAL (SELECT a AS x) ON NULL ORDER BY a")).toEqual([{ a: 1, x: null }, { a: 3, x: null }]);
    expect(spark.sql("SELECT * FROM lat_t LEFT JOIN LATERAL (SELECT a * 2 AS x) ON x > 2").schema.toDDL()).toBe("a INT, b INT, x INT");
  });

  test("Spark's errors for the join types and criteria a LATERAL subquery cannot take", () => {
    for (const [written, name] of [["RIGHT", "RIGHT OUTER"], ["FULL OUTER", "FULL OUTER"], ["LEFT SEMI", "LEFT SEMI"], ["LEFT ANTI", "LEFT ANTI"]]) {
      expect(() => spark.sql(`SELECT * FROM lat_t ${written} JOIN LATERAL (SELECT a + b AS c) ON b = c`)).toThrow(
        `[INVALID_LATERAL_JOIN_TYPE] The ${name} JOIN with LATERAL correlation is not allowed because an OUTER subquery cannot correlate to its join partner. Remove the LATERAL correlation or use an INNER JOIN, or LEFT OUTER JOIN instead.`);
    }
    expect(() => spark.sql("SELECT * FROM lat_t JOIN LATERAL (SELECT a AS c) USING (a)")).toThrow("[UNSUPPORTED_FEATURE.LATERAL_JOIN_USING] The feature is not supported: JOIN USING with LATERAL correlation.");
    expect(() => spark.sql("SELECT * FROM lat_t NATURAL JOIN LATERAL (SELECT a AS c)")).toThrow("[UNSUPPORTED_FEATURE.LATERAL_NATURAL_JOIN] The feature is not supported: NATURAL join with LATERAL correlation.");
  });

  test("what rivulet does not plan is refused by name", () => {
    expect(() => spark.sql("SELECT * FROM lat_t, LATERAL (SELECT * FROM lat_t)")).toThrow(/LATERAL subquery that is one SELECT without FROM/);
    expect(() => spark.sql("SELECT * FROM lat_t, LATERAL (SELECT sum(a) AS s)")).toThrow(/LATERAL subquery that is one SELECT without FROM/);
    expect(() => spark.sql("SELECT * FROM lat_t LEFT JOIN LATERAL (SELECT * FROM lat_t) ON true")).toThrow(/LATERAL subquery that is one SELECT without FROM/);
  });

  test("on a stream", async () => {
    const input = new MemoryStream<{ a: number }>(spark, "a INT");
    input.toDF().createOrReplaceTempView(`lat_stream_${process.pid}`);
    const name = `lat_out_${process.pid}`;
    const query = spark.sql(`SELECT a, d FROM lat_stream_${process.pid} s, LATERAL (SELECT s.a * 2 AS d WHERE s.a > 0)`)
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    input.addData([{ a: 1 }, { a: -1 }, { a: 2 }]);
    await query.processAllAvailable();
    await query.stop();
    expect(await spark.sql(`SELECT * FROM ${name} ORDER BY a`).collect()).toEqual([{ a: 1, d: 2 }, { a: 2, d: 4 }]);
  });
});
