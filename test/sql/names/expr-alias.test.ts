import { describe, expect, test } from "vitest";
import { Session, functions as F } from "../../../src/index.ts";

/** functions.expr reads a named expression, as Spark's parser does: an alias names the column. */
const spark = Session.builder().appName("expr-alias").getOrCreate();
const df = spark.createDataFrame([{ k: "a", v: 10 }, { k: "a", v: 20 }, { k: "b", v: 5 }], "k STRING, v INT");

describe("an alias inside expr() and selectExpr()", () => {
  test("expr('sum(v) AS s') names the aggregate, in select and in agg", async () => {
    const total = df.select(F.expr("sum(v) AS s"));
    expect(total.columns).toEqual(["s"]);
    expect(await total.collect()).toEqual([{ s: 35 }]);
    const perKey = df.groupBy("k").agg(F.expr("sum(v) AS s"), F.expr("count(*) n")).orderBy("k");
    expect(perKey.columns).toEqual(["k", "s", "n"]);
    expect(await perKey.collect()).toEqual([{ k: "a", s: 30, n: 2 }, { k: "b", s: 5, n: 1 }]);
  });

  test("expr('v + 1 as w'), with AS in any case or left out; a later alias() wins", async () => {
    expect(await df.select(F.expr("v + 1 as w")).collect()).toEqual([{ w: 11 }, { w: 21 }, { w: 6 }]);
    expect(df.select(F.expr("v * 2 doubled")).columns).toEqual(["doubled"]);
    expect(df.select(F.expr("v + 1 AS w").alias("x")).columns).toEqual(["x"]);
    expect(df.withColumn("w", F.expr("v + 1 AS ignored")).columns).toEqual(["k", "v", "w"]);
  });

  test("selectExpr takes the same aliases; expr without one keeps Spark's generated name", async () => {
    expect(await df.selectExpr("sum(v) AS s").collect()).toEqual([{ s: 35 }]);
    expect(df.selectExpr("v + 1 as w", "k").columns).toEqual(["w", "k"]);
    expect(df.select(F.expr("v + 1")).columns).toEqual(["(v + 1)"]);
  });

  test("an alias that is not a name is a syntax error with its position", () => {
    expect(() => F.expr("v + 1 AS 2")).toThrow(/\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'AS' \(line 1, pos 6\)/);
  });
});
