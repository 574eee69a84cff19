import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, sum } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";

const spark = Session.builder().getOrCreate();
// Spark's DataFramePivotSuite data.
const courseSales = spark.createDataFrame([
  { course: "dotNET", year: 2012, earnings: 10000 },
  { course: "Java", year: 2012, earnings: 20000 },
  { course: "dotNET", year: 2012, earnings: 5000 },
  { course: "dotNET", year: 2013, earnings: 48000 },
  { course: "Java", year: 2013, earnings: 30000 },
], "course STRING, year INT, earnings INT");

describe("groupBy(…).pivot(column[, values]) (Spark's RelationalGroupedDataset.pivot)", () => {
  test("with values: one column per value, in the values' order; a value with no rows is NULL", async () => {
    const df = courseSales.groupBy("year").pivot("course", ["dotNET", "Java", "Scala"]).sum("earnings").orderBy("year");
    expect(df.columns).toEqual(["year", "dotNET", "Java", "Scala"]);
    expect(await df.collect()).toEqual([
      { year: 2012, dotNET: 15000, Java: 20000, Scala: null },
      { year: 2013, dotNET: 48000, Java: 30000, Scala: null },
    ]);
  });

  test("without values: the column's distinct values, sorted (a query, so awaited); several aggregates name value_aggregate", async () => {
    const grouped = await courseSales.groupBy(col("year")).pivot("course");
    const df = grouped.agg(sum("earnings").as("s"), count("*")).orderBy("year");
    expect(df.columns).toEqual(["year", "Java_s", "Java_count(1)", "dotNET_s", "dotNET_count(1)"]);
    expect(await df.collect()).toEqual([
      { year: 2012, Java_s: 20000, "Java_count(1)": 1, dotNET_s: 15000, "dotNET_count(1)": 2 },
      { year: 2013, Java_s: 30000, "Java_count(1)": 1, dotNET_s: 48000, "dotNET_count(1)": 1 },
    ]);
    // A numeric pivot column: values named by their text, compared after a cast to the column's type.
    const byYear = courseSales.groupBy("course").pivot("year", [2012, 2013.5]).agg(sum("earnings")).orderBy("course");
    expect(byYear.columns).toEqual(["course", "2012", "2013.5"]);
    expect(await byYear.collect()).toEqual([{ course: "Java", 2012: 20000, "2013.5": 30000 }, { course: "dotNET", 2012: 15000, "2013.5": 48000 }]);
  });

  test("a streaming DataFrame refuses pivot without values, in Spark's words; pivot after pivot or rollup is refused", async () => {
    const input = new MemoryStream<{ k: string; v: number }>(spark, "k STRING, v INT");
    await expect(input.toDF().groupBy("k").pivot("v")).rejects.toThrow("[_LEGACY_ERROR_TEMP_3063] pivot is not supported on a streaming DataFrames/Datasets");
    expect(() => courseSales.rollup("year").pivot("course", ["Java"])).toThrow("pivot is only supported after a groupBy");
    expect(() => (courseSales.groupBy("year").pivot("course", ["Java"]) as any).pivot("year", [2012])).toThrow("repeated pivots are not supported");
  });

  test("SQL and DataFrame give the same answer", async () => {
    courseSales.createOrReplaceTempView("course_sales");
    const sql = await spark.sql("SELECT * FROM course_sales PIVOT (sum(earnings) AS total FOR course IN ('dotNET', 'Java')) ORDER BY year").collect();
    const api = await courseSales.groupBy("year").pivot("course", ["dotNET", "Java"]).agg(sum("earnings").as("total")).orderBy("year").collect();
    expect(sql).toEqual(api);
  });

  test("a remote session sends Spark Connect's Aggregate with GROUP_TYPE_PIVOT (no values: the server collects them)", async () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const df = remote.createDataFrame([], "course STRING, year INT, earnings INT");
    const root = (toConnectPlan(df.groupBy("year").pivot("course", ["dotNET", "Java"]).sum("earnings")) as any).root;
    expect(root.aggregate.groupType).toBe("GROUP_TYPE_PIVOT");
    expect(root.aggregate.pivot.values).toEqual([{ string: "dotNET" }, { string: "Java" }]);
    expect(root.aggregate.pivot.col.unresolvedAttribute.unparsedIdentifier).toBe("course");
    const all = (toConnectPlan((await df.groupBy("year").pivot("course")).count()) as any).root;
    expect(all.aggregate.pivot.values ?? []).toEqual([]);
  });
});
