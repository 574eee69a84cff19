import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, expr, lit, split } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();
const view = `extract_values_${process.pid}`;
spark.createDataFrame(
  [
    { k: 1, arr: [10, 20, 30], m: new Map([["a", 1], ["b", 2]]), im: new Map([[1, "one"], [2, "two"]]), s: { name: "ann", tags: ["x", "y"] } },
    { k: 2, arr: [], m: new Map(), im: new Map([[0, "zero"]]), s: null },
    { k: 3, arr: null, m: null, im: null, s: { name: "bob", tags: null } },
  ],
  "k INT, arr ARRAY<INT>, m MAP<STRING, INT>, im MAP<INT, STRING>, s STRUCT<name: STRING, tags: ARRAY<STRING>>",
).createOrReplaceTempView(view);

describe("x[i] / x[key] (Spark's ExtractValue) and Column.getItem", () => {
  test("SQL: 0-based array elements, null outside the array; map values, null for a missing key; struct fields by name", async () => {
    const rows = await spark.sql(`SELECT k, arr[0], arr[2], arr[3], arr[-1], m['a'], m['zz'], im[1], s['name'], s['NAME'] AS upper_name, s.tags[1] AS tag
      FROM ${view} ORDER BY k`).collect();
    expect(rows).toEqual([
      { k: 1, "arr[0]": 10, "arr[2]": 30, "arr[3]": null, "arr[-1]": null, "m[a]": 1, "m[zz]": null, "im[1]": "one", "s[name]": "ann", upper_name: "ann", tag: "y" },
      { k: 2, "arr[0]": null, "arr[2]": null, "arr[3]": null, "arr[-1]": null, "m[a]": null, "m[zz]": null, "im[1]": null, "s[name]": null, upper_name: null, tag: null },
      { k: 3, "arr[0]": null, "arr[2]": null, "arr[3]": null, "arr[-1]": null, "m[a]": null, "m[zz]": null, "im[1]": null, "s[name]": "bob", upper_name: "bob", tag: null },
    ]);
  });

  test("SQL: subscripts chain and take expressions: split(...)[1], an index from a column, get()", async () => {
    const rows = await spark.sql(`SELECT split('GET /index.html HTTP/1.1', ' ')[1] AS path, array(array(1, 2), array(3))[1][0] AS nested,
      arr[k - 1] AS by_column, get(arr, 1) AS got, map('x', named_struct('n', 5))['x'].n AS field FROM ${view} WHERE k = 1`).collect();
    expect(rows).toEqual([{ path: "/index.html", nested: 3, by_column: 10, got: 20, field: 5 }]);
  });

  test("DataFrame: getItem is 0-based on arrays and looks a map's key up as given (an integer key is not shifted)", async () => {
    const df = spark.table(view).where(col("k").lt(3)).orderBy("k");
    const rows = await df.select(col("arr").getItem(1).as("second"), col("im").getItem(1).as("one"), col("im").getItem(0).as("zero"),
      col("arr").getItem(col("k")).as("by_column"), col("m").getItem("b").as("b"), split(lit("a,b,c"), ",").getItem(2).as("c")).collect();
    expect(rows).toEqual([
      { second: 20, one: "one", zero: null, by_column: 20, b: 2, c: "c" },
      { second: null, one: null, zero: "zero", by_column: null, b: null, c: "c" },
    ]);
    expect(spark.table(view).select(col("arr").getItem(0)).columns).toEqual(["arr[0]"]);
  });

  test("subscripting a value that is not an array, map or struct names the problem", () => {
    expect(() => spark.sql(`SELECT k[0] FROM ${view}`)).toThrow("[INVALID_EXTRACT_BASE_FIELD_TYPE]");
    expect(() => spark.sql(`SELECT s['missing'] FROM ${view}`)).toThrow("[FIELD_NOT_FOUND] No such struct field `missing` in `name`, `tags`.");
    // The same error for a dotted name through a struct, in SQL and in the DataFrame API.
    expect(() => spark.sql(`SELECT s.nope FROM ${view}`)).toThrow("[FIELD_NOT_FOUND] No such struct field `nope` in `name`, `tags`.");
    expect(() => spark.table(view).select("s.nope")).toThrow("[FIELD_NOT_FOUND] No such struct field `nope` in `name`, `tags`.");
    expect(() => spark.sql("SELECT named_struct('a`b', 1).nope")).toThrow("[FIELD_NOT_FOUND] No such struct field `nope` in `a``b`.");
    expect(() => spark.sql(`SELECT arr[0 FROM ${view}`)).toThrow("PARSE_SYNTAX_ERROR");
  });

  test("a stream's map column by key, as bus sources give them (fields['v'])", async () => {
    const input = new MemoryStream<{ fields: Map<string, string> }>(spark, "fields MAP<STRING, STRING>");
    const name = `extract_stream_${process.pid}`;
    const query = input.toDF().selectExpr("fields['action'] AS action").groupBy("action").count()
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    input.addData([{ fields: new Map([["action", "GET"]]) }, { fields: new Map([["action", "PUT"]]) }, { fields: new Map([["other", "x"]]) }]);
    await query.processAllAvailable();
    input.addData([{ fields: new Map([["action", "GET"], ["v", "1"]]) }]);
    await query.processAllAvailable();
    await query.stop();
    const rows = await spark.sql(`SELECT * FROM ${name} ORDER BY action NULLS FIRST`).collect();
    expect(rows).toEqual([{ action: null, count: 1 }, { action: "GET", count: 2 }, { action: "PUT", count: 1 }]);
    expect((await spark.range(1).select(expr("map('a', 1)['a']").as("v")).collect())).toEqual([{ v: 1 }]);
  });
});
