import { describe, expect, it } from "vitest";
import { Session, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("map-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("map functions", () => {
  it("keys, values, entries, contains_key", async () => {
    expect(await values("SELECT map_keys(map(1, 'a', 2, 'b')), map_values(map(1, 'a', 2, 'b')), map_entries(map(1, 'a', 2, 'b')), map_contains_key(map(1, 'a'), 1), map_contains_key(map(1, 'a'), 2), map_keys(cast(null as map<int, int>))"))
      .toEqual([[1, 2], ["a", "b"], [{ key: 1, value: "a" }, { key: 2, value: "b" }], true, false, null]);
    // As Spark: an untyped NULL is not a map.
    expect(() => spark.sql("SELECT map_keys(null)").columns).toThrow(/UNEXPECTED_INPUT_TYPE.*requires the "MAP" type/);
  });

  it("building maps: concat, from_arrays, from_entries fail on duplicate and null keys", async () => {
    expect(await values("SELECT map_concat(map(1, 'a', 2, 'b'), map(3, 'c')), map_from_arrays(array(1, 3), array('2', '4')), map_from_entries(array(struct(1, 'a'), struct(2, 'b'))), map_from_entries(array(struct(1, 'a'), null))"))
      .toEqual([new Map([[1, "a"], [2, "b"], [3, "c"]]), new Map([[1, "2"], [3, "4"]]), new Map([[1, "a"], [2, "b"]]), null]);
    await expect(spark.sql("SELECT map_concat(map(1, 'a'), map(1, 'b'))").collect()).rejects.toThrow(/DUPLICATED_MAP_KEY/);
    await expect(spark.sql("SELECT map_from_arrays(array(1, null), array(1, 2))").collect()).rejects.toThrow(/NULL_MAP_KEY/);
    await expect(spark.sql("SELECT map_from_arrays(array(1), array(1, 2))").collect()).rejects.toThrow(/same length/);
  });

  it("str_to_map splits on regex delimiters; a missing value is null", async () => {
    expect(await values("SELECT str_to_map('a:1,b:2,c:3', ',', ':'), str_to_map('a'), str_to_map('a=1;b=2', ';', '='), str_to_map(null)"))
      .toEqual([new Map([["a", "1"], ["b", "2"], ["c", "3"]]), new Map([["a", null]]), new Map([["a", "1"], ["b", "2"]]), null]);
  });

  it("the DataFrame forms", async () => {
    const df = spark.sql("SELECT map('x', 1, 'y', 2) AS m, array('p', 'q') AS k, array(7, 8) AS v");
    const [r] = await df.select(F.map_keys("m").alias("ks"), F.map_values("m").alias("vs"), F.map_contains_key("m", "y").alias("c"), F.map_from_arrays("k", "v").alias("fa"), F.str_to_map(F.lit("a:1")).alias("s")).collect();
    expect(r).toEqual({ ks: ["x", "y"], vs: [1, 2], c: true, fa: new Map([["p", 7], ["q", 8]]), s: new Map([["a", "1"]]) });
  });
});
