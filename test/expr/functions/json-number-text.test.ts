import { describe, expect, test } from "vitest";
import { Session, col, get_json_object, json_tuple } from "../../../src/index.ts";

/** get_json_object and json_tuple give a JSON number's text as Spark's Jackson copy writes it. */
const spark = Session.builder().appName("json-number-text").getOrCreate();

describe("numbers in get_json_object and json_tuple", () => {
  test("a float token prints as Java's double (1.0, 100.0, 1.5), an integer as written", async () => {
    const [r] = await spark.sql(`SELECT get_json_object('{"a": 1.0}', '$.a') a, get_json_object('{"a": 1e2}', '$.a') e,
      get_json_object('{"a": [1.0, 2]}', '$.a') arr, get_json_object('{"a": {"x": 2.0}}', '$.a') obj, get_json_object('{"a": 1.50}', '$.a') f,
      get_json_object('{"a": 12345678901234567890}', '$.a') big, get_json_object('{"a": [{"b": 1.0}, {"b": 2}]}', '$.a[*].b') star,
      get_json_object('{"a": [ "x" , -0.5e-3 ]}', '$.a') mixed, get_json_object('{"a": null}', '$.a') n, get_json_object('{"a": "1.0"}', '$.a') s,
      get_json_object('[1, {"b": 3.25}]', '$[1].b') top`).collect();
    expect(r).toEqual({ a: "1.0", e: "100.0", arr: "[1.0,2]", obj: '{"x":2.0}', f: "1.5", big: "12345678901234567890", star: "[1.0,2]",
      mixed: '["x",-5.0E-4]', n: null, s: "1.0", top: "3.25" });
  });

  test("json_tuple agrees, also inside nested values", async () => {
    const [t] = await spark.sql(`SELECT json_tuple('{"a": 1.0, "b": [1.50, 1e2], "c": 7}', 'a', 'b', 'c')`).collect();
    expect(t).toEqual({ c0: "1.0", c1: "[1.5,100.0]", c2: "7" });
  });

  test("the DataFrame forms", async () => {
    const df = spark.createDataFrame([{ j: '{"a": 1e2, "b": {"x": 2.50}}' }, { j: "not json" }], "j STRING");
    expect(await df.select(get_json_object(col("j"), "$.a").as("a"), get_json_object(col("j"), "$.b").as("b")).collect())
      .toEqual([{ a: "100.0", b: '{"x":2.5}' }, { a: null, b: null }]);
    expect(await df.select(json_tuple(col("j"), "a")).collect()).toEqual([{ c0: "100.0" }, { c0: null }]);
  });
});
