import { describe, expect, test } from "vitest";
import * as F from "../../src/api/functions.ts";
import { Session, col, lit } from "../../src/index.ts";

// The functions exports added for Spark's names whose SQL functions existed: each gives what
// the SQL form gives, and a few give the values Spark documents.
const spark = Session.builder().getOrCreate();
const df = spark.createDataFrame(
  [{ s: "Hello World", n: -2.5, i: 3, d: "2026-03-04", ts: "2026-03-04 05:06:07", u: 1700000000, j: '{"a":1,"b":[1,2]}', arr: "[1,2,3]", k: null }],
  "s STRING, n DOUBLE, i INT, d STRING, ts STRING, u BIGINT, j STRING, arr STRING, k INT",
).selectExpr("*", "CAST(d AS DATE) AS dt", "CAST(ts AS TIMESTAMP) AS t", "from_json(arr, 'ARRAY<INT>') AS xs");

const pairs: [string, F.ColOrName | ReturnType<typeof F.lit>, string][] = [
  ["ifnull", F.ifnull("k", "i"), "ifnull(k, i)"],
  ["nvl", F.nvl("k", "i"), "nvl(k, i)"],
  ["zeroifnull", F.zeroifnull("k"), "coalesce(k, 0)"],
  ["nullifzero", F.nullifzero(lit(0)), "nullif(0, 0)"],
  ["bround", F.bround("n"), "bround(n, 0)"],
  ["ceiling", F.ceiling("n"), "ceiling(n)"],
  ["ceiling2", F.ceiling("n", 1), "ceiling(n, 1)"],
  ["negative", F.negative("i"), "negative(i)"],
  ["negate", F.negate("i"), "negative(i)"],
  ["bitwise_not", F.bitwise_not("i"), "~i"],
  ["char", F.char(lit(65)), "char(65)"],
  ["char_length", F.char_length("s"), "char_length(s)"],
  ["character_length", F.character_length("s"), "character_length(s)"],
  ["initcap", F.initcap(lit("hello world")), "initcap('hello world')"],
  ["lcase", F.lcase("s"), "lcase(s)"],
  ["ucase", F.ucase("s"), "ucase(s)"],
  ["sha", F.sha("s"), "sha(s)"],
  ["contains", F.contains("s", "World"), "contains(s, 'World')"],
  ["startswith", F.startswith("s", "Hell"), "startswith(s, 'Hell')"],
  ["endswith", F.endswith("s", "x"), "endswith(s, 'x')"],
  ["instr", F.instr("s", "o"), "instr(s, 'o')"],
  ["locate", F.locate("o", "s", 6), "locate('o', s, 6)"],
  ["lpad", F.lpad("s", 14, "*"), "lpad(s, 14, '*')"],
  ["rpad", F.rpad("s", 3, "*"), "rpad(s, 3, '*')"],
  ["repeat", F.repeat(lit("ab"), 3), "repeat('ab', 3)"],
  ["replace", F.replace("s", "World", "There"), "replace(s, 'World', 'There')"],
  ["substr", F.substr("s", 7, 3), "substr(s, 7, 3)"],
  ["like", F.like("s", "Hello%"), "s LIKE 'Hello%'"],
  ["reverse", F.reverse("s"), "reverse(s)"],
  ["reverse_array", F.reverse("xs"), "reverse(xs)"],
  ["day", F.day("dt"), "day(dt)"],
  ["dayofyear", F.dayofyear("dt"), "dayofyear(dt)"],
  ["quarter", F.quarter("dt"), "quarter(dt)"],
  ["weekday", F.weekday("dt"), "weekday(dt)"],
  ["weekofyear", F.weekofyear("dt"), "weekofyear(dt)"],
  ["from_unixtime", F.from_unixtime("u"), "from_unixtime(u)"],
  ["from_unixtime_fmt", F.from_unixtime("u", "yyyy"), "from_unixtime(u, 'yyyy')"],
  ["to_timestamp_ntz", F.to_timestamp_ntz("ts"), "to_timestamp_ntz(ts)"],
  ["to_timestamp_ltz", F.to_timestamp_ltz("ts"), "to_timestamp_ltz(ts)"],
  ["trunc", F.trunc("dt", "month"), "trunc(dt, 'month')"],
  ["dayname", F.dayname("dt"), "date_format(dt, 'EEE')"],
  ["monthname", F.monthname("dt"), "date_format(dt, 'MMM')"],
  ["get", F.get("xs", 1), "get(xs, 1)"],
  ["named_struct", F.named_struct("a", "i", "b", "s"), "named_struct('a', i, 'b', s)"],
  ["create_map", F.create_map(lit("k"), "i"), "map('k', i)"],
  ["json_array_length", F.json_array_length("arr"), "json_array_length(arr)"],
  ["json_object_keys", F.json_object_keys("j"), "json_object_keys(j)"],
  ["bitmap_bit_position", F.bitmap_bit_position("i"), "bitmap_bit_position(i)"],
  ["call_udf", F.call_udf("upper", "s"), "upper(s)"],
] as never;

describe("the functions exports of SQL functions that were not exported", () => {
  test("each gives what its SQL form gives", async () => {
    const [byApi] = await df.select(...pairs.map(([name, c]) => (c as ReturnType<typeof F.lit>).alias(name))).collect();
    const [bySql] = await df.selectExpr(...pairs.map(([name, , text]) => `${text} AS ${name}`)).collect();
    expect(byApi).toEqual(bySql);
  });

  test("values as Spark documents them", async () => {
    const [row] = await df.select(
      F.initcap(lit("sPark sql")).alias("initcap"), F.lpad("s", 13, "*").alias("lpad"), F.dayname("dt").alias("dayname"), F.monthname("dt").alias("monthname"),
      F.nvl("k", "i").alias("nvl"), F.zeroifnull("k").alias("zero"), F.bround(lit(2.5)).alias("bround"), F.weekday("dt").alias("weekday"),
      F.json_array_length("arr").alias("len"), F.get("xs", 5).alias("out_of_range"), F.ceiling("n").alias("ceiling"), F.bitwise_not("i").alias("not"),
    ).collect();
    expect(row).toEqual({ initcap: "Spark Sql", lpad: "**Hello World", dayname: "Wed", monthname: "Mar", nvl: 3, zero: 0, bround: 2, weekday: 2, len: 3, out_of_range: null, ceiling: -2, not: -4 });
  });

  test("aggregates, sort orders and broadcast", async () => {
    const nums = spark.createDataFrame([{ g: 1, v: 2 }, { g: 1, v: 2 }, { g: 1, v: 5 }, { g: 2, v: null }], "g INT, v INT");
    expect(await nums.groupBy("g").agg(F.product("v").alias("p"), F.sum_distinct("v").alias("sd")).orderBy("g").collect())
      .toEqual([{ g: 1, p: 20, sd: 7 }, { g: 2, p: null, sd: null }]);
    expect((await nums.orderBy(F.asc_nulls_first("v")).collect()).map((r) => r.v)).toEqual([null, 2, 2, 5]);
    expect((await nums.orderBy(F.desc_nulls_last("v")).collect()).map((r) => r.v)).toEqual([5, 2, 2, null]);
    expect((await nums.orderBy(F.asc_nulls_last("v")).collect()).map((r) => r.v)).toEqual([2, 2, 5, null]);
    expect((await nums.orderBy(F.desc_nulls_first("v")).collect()).map((r) => r.v)).toEqual([null, 5, 2, 2]);
    expect(await nums.join(F.broadcast(nums.select(col("g").alias("h")).distinct()), col("g").equalTo(col("h"))).count()).toBe(4);
  });
});
