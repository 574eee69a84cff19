import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { col, length } from "../../src/api/functions.ts";
import { toConnectPlan } from "../../src/connect/index.ts";

describe("toJSON (Spark's Dataset.toJSON)", () => {
  test("a Dataset<string> of one JSON object per row: null fields left out, timestamps in the session time zone", async () => {
    const spark = Session.builder().getOrCreate().newSession();
    spark.conf.set("spark.sql.session.timeZone", "America/New_York");
    const df = spark.sql("SELECT * FROM VALUES (1, 'a', timestamp'2020-01-01 10:00:00', NULL, array(1, 2)), (2, 'b\"q', NULL, 1.5, NULL) AS t(a, b, c, d, e)");
    const json = df.toJSON();
    expect(json.columns).toEqual(["value"]);
    expect(await json.collect()).toEqual([
      '{"a":1,"b":"a","c":"2020-01-01T10:00:00.000-05:00","e":[1,2]}',
      '{"a":2,"b":"b\\"q","d":1.5}',
    ]);
    // Still a Dataset<string> through filter, limit and first; a projection is a DataFrame again.
    expect(await json.filter(col("value").contains("1.5")).collect()).toEqual(['{"a":2,"b":"b\\"q","d":1.5}']);
    expect(await json.first()).toBe('{"a":1,"b":"a","c":"2020-01-01T10:00:00.000-05:00","e":[1,2]}');
    expect(await json.select(length(col("value")).as("n")).collect()).toEqual([{ n: 61 }, { n: 26 }]);
    expect(await spark.createDataFrame([], "a INT").toJSON().collect()).toEqual([]);
  });

  test("on a remote session it is Spark's client plan: to_json(struct(*)) AS value", () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const project = (toConnectPlan(remote.createDataFrame([], "a INT").toJSON()) as any).root.project;
    const call = project.expressions[0].alias.expr.unresolvedFunction;
    expect(project.expressions[0].alias.name).toEqual(["value"]);
    expect(call.functionName).toBe("to_json");
    expect(call.arguments[0].unresolvedFunction.functionName).toBe("struct");
    expect(call.arguments[0].unresolvedFunction.arguments[0]).toHaveProperty("unresolvedStar");
  });
});
