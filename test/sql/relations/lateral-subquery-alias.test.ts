import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** `LATERAL (subquery) AS s` (Spark 3.2+): the subquery's columns are found as s.x too. */
const spark = Session.builder().appName("lateral-subquery-alias").getOrCreate();
spark.createDataFrame([{ a: 1, b: 2 }, { a: 3, b: 4 }], "a INT, b INT").createOrReplaceTempView("lat_alias_t");
const rows = async (q: string): Promise<unknown[]> => spark.sql(q).collect();

describe("an aliased LATERAL subquery", () => {
  test("FROM t, LATERAL (…) AS s: s.x and x name its column; t's columns keep their qualifier", async () => {
    expect(await rows("SELECT t.a, s.x FROM lat_alias_t t, LATERAL (SELECT t.a * 2 AS x) AS s ORDER BY t.a")).toEqual([{ a: 1, x: 2 }, { a: 3, x: 6 }]);
    expect(await rows("SELECT * FROM lat_alias_t, LATERAL (SELECT a + b AS x WHERE a > 1) s")).toEqual([{ a: 3, b: 4, x: 7 }]);
    expect(await rows("SELECT s.*, u.z FROM lat_alias_t, LATERAL (SELECT a + b AS x) s, LATERAL (SELECT s.x * 10 AS z) u ORDER BY s.x")).toEqual([{ x: 3, z: 30 }, { x: 7, z: 70 }]);
    expect(() => spark.sql("SELECT lat_alias_t.x FROM lat_alias_t, LATERAL (SELECT a AS x) s")).toThrow(/UNRESOLVED_COLUMN/);
  });

  test("a column list renames its columns: LATERAL (…) AS s(c1, c2); the count must match", async () => {
    expect(await rows("SELECT s.c1, c2 FROM lat_alias_t, LATERAL (SELECT a * 2, b * 2) AS s(c1, c2) ORDER BY c1")).toEqual([{ c1: 2, c2: 4 }, { c1: 6, c2: 8 }]);
    expect(() => spark.sql("SELECT * FROM lat_alias_t, LATERAL (SELECT a, b) AS s(c1)")).toThrow(
      "Number of column aliases does not match number of columns. Number of column aliases: 1; number of columns: 2.");
  });

  test("JOIN LATERAL (…) s ON s.x …, inner and left", async () => {
    expect(await rows("SELECT a, s.x FROM lat_alias_t t JOIN LATERAL (SELECT t.a + t.b AS x) s ON s.x > 3")).toEqual([{ a: 3, x: 7 }]);
    expect(await rows("SELECT a, s.x FROM lat_alias_t t CROSS JOIN LATERAL (SELECT t.a * 10 AS x) AS s ORDER BY a")).toEqual([{ a: 1, x: 10 }, { a: 3, x: 30 }]);
    expect(await rows("SELECT t.a, s.x FROM lat_alias_t t LEFT JOIN LATERAL (SELECT t.b * 10 AS x) s ON s.x > 30 ORDER BY t.a")).toEqual([{ a: 1, x: null }, { a: 3, x: 40 }]);
  });
});
