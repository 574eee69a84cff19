import { describe, expect, test } from "vitest";
import { Session, array, coalesce, col, lit, map, when } from "../../src/index.ts";
import { ddlTypeName } from "../../src/types/data-types.ts";

const spark = Session.builder().getOrCreate();

async function typeAndRows(sql: string): Promise<[string, unknown[]]> {
  const df = spark.sql(sql);
  return [ddlTypeName(df.schema.fields[0]!.dataType), (await df.collect()).map((r) => r.x)];
}

describe("arrays, maps and structs of different element types meet at a common type, as Spark's findWiderTypeForTwo", () => {
  test("array() is ARRAY<VOID> and map() MAP<VOID, VOID>", async () => {
    expect(await spark.sql("SELECT typeof(array()) AS a, typeof(map()) AS m").collect()).toEqual([{ a: "array<void>", m: "map<void,void>" }]);
  });

  test.each([
    ["SELECT coalesce(CAST(NULL AS ARRAY<STRING>), array()) AS x", "ARRAY<STRING>", [[]]],
    ["SELECT if(true, array('a'), array()) AS x", "ARRAY<STRING>", [["a"]]],
    ["SELECT CASE WHEN false THEN array('a') ELSE array() END AS x", "ARRAY<STRING>", [[]]],
    ["SELECT array('a') AS x UNION ALL SELECT array()", "ARRAY<STRING>", [["a"], []]],
    ["SELECT * FROM VALUES (array('a')), (array()) AS t(x)", "ARRAY<STRING>", [["a"], []]],
    ["SELECT * FROM VALUES (map('a', 1)), (map()) AS t(x)", "MAP<STRING, INT>", [new Map([["a", 1]]), new Map()]],
    ["SELECT coalesce(map(), map('k', 1)) AS x", "MAP<STRING, INT>", [new Map()]],
    ["SELECT array(array(1), array(), array(2L)) AS x", "ARRAY<ARRAY<BIGINT>>", [[[1], [], [2]]]],
    ["SELECT array() IN (array(1), array()) AS x", "BOOLEAN", [true]],
    ["SELECT array(named_struct('a', 1, 'b', array()), named_struct('A', 2L, 'b', array('x'))) AS x", "ARRAY<STRUCT<a: BIGINT, b: ARRAY<STRING>>>", [[{ a: 1, b: [] }, { a: 2, b: ["x"] }]]],
    ["SELECT map('a', array()) AS x UNION ALL SELECT map('b', array(2))", "MAP<STRING, ARRAY<INT>>", [new Map([["a", []]]), new Map([["b", [2]]])]],
  ])("%s", async (sql, type, rows) => {
    const [t, r] = await typeAndRows(sql);
    expect(t).toBe(type);
    expect(r).toEqual(rows);
  });

  test("structs whose field names differ, or element types with no common type, still fail", () => {
    expect(() => spark.sql("SELECT array(named_struct('a', 1), named_struct('b', 1)) AS x")).toThrow();
    expect(() => spark.sql("SELECT coalesce(array(1), array(true)) AS x")).toThrow("[DATATYPE_MISMATCH.DATA_DIFF_TYPES]");
  });

  test("the DataFrame forms: coalesce, when/otherwise, unionByName, lit of mixed numbers", async () => {
    const df = spark.sql("SELECT CAST(NULL AS ARRAY<STRING>) AS tags, CAST(NULL AS MAP<STRING, INT>) AS m");
    const [row] = await df.select(coalesce(col("tags"), array()).as("tags"), when(lit(false), col("m")).otherwise(map()).as("m"), lit([1, 2.5]).as("l")).collect();
    expect(row).toEqual({ tags: [], m: new Map(), l: [1, 2.5] });
    const union = spark.sql("SELECT array('a') AS x").unionByName(spark.sql("SELECT array() AS x"));
    expect(ddlTypeName(union.schema.fields[0]!.dataType)).toBe("ARRAY<STRING>");
    expect((await union.collect()).map((r) => r.x)).toEqual([["a"], []]);
  });
});
