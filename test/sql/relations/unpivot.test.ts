import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col } from "../../../src/index.ts";
import { unpivot } from "../../../src/plan/unpivot.ts";
import { LocalDataset } from "../../../src/api/local/local-dataset.ts";

/** UNPIVOT (Spark 3.4+): columns into rows, in SQL, over a plan, and on a stream. */
const spark = Session.builder().appName("unpivot").getOrCreate();
spark.createDataFrame([{ id: 1, q1: 10, q2: null, q3: 30 }, { id: 2, q1: null, q2: null, q3: null }], "id INT, q1 INT, q2 INT, q3 BIGINT")
  .createOrReplaceTempView("unp_sales");
const sql = async (q: string): Promise<unknown[]> => spark.sql(q).collect();

describe("UNPIVOT", () => {
  test("single value column: ids first, names (or aliases), values in the least common type; EXCLUDE NULLS by default", async () => {
    const df = spark.sql("SELECT * FROM unp_sales UNPIVOT (val FOR quarter IN (q1, q2 AS second, q3))");
    expect(df.schema.simpleString()).toBe("struct<id:int,quarter:string,val:bigint>");
    expect(await df.collect()).toEqual([{ id: 1, quarter: "q1", val: 10 }, { id: 1, quarter: "q3", val: 30 }]);
    expect(await sql("SELECT * FROM unp_sales UNPIVOT EXCLUDE NULLS (val FOR quarter IN (q1, q2 AS second, q3))"))
      .toEqual([{ id: 1, quarter: "q1", val: 10 }, { id: 1, quarter: "q3", val: 30 }]);
  });

  test("INCLUDE NULLS keeps the all-null rows; an alias qualifies the result", async () => {
    expect(await sql("SELECT u.id, u.quarter, u.val FROM unp_sales UNPIVOT INCLUDE NULLS (val FOR quarter IN (q1, q2 AS second)) AS u ORDER BY u.id, u.quarter")).toEqual([
      { id: 1, quarter: "q1", val: 10 }, { id: 1, quarter: "second", val: null },
      { id: 2, quarter: "q1", val: null }, { id: 2, quarter: "second", val: null },
    ]);
  });

  test("several value columns: a set without an alias is named by its columns joined with _", async () => {
    const df = spark.sql("SELECT * FROM unp_sales UNPIVOT ((a, b) FOR pair IN ((q1, q2) AS first, (q2, q3)))");
    expect(df.schema.simpleString()).toBe("struct<id:int,pair:string,a:int,b:bigint>");
    expect(await df.collect()).toEqual([{ id: 1, pair: "first", a: 10, b: null }, { id: 1, pair: "q2_q3", a: null, b: 30 }]);
  });

  test("over a subquery, with WHERE, GROUP BY and ORDER BY around it", async () => {
    expect(await sql("SELECT quarter, sum(val) AS total FROM (SELECT * FROM unp_sales WHERE id = 1) UNPIVOT (val FOR quarter IN (q1, q3)) GROUP BY quarter ORDER BY quarter"))
      .toEqual([{ quarter: "q1", total: 10 }, { quarter: "q3", total: 30 }]);
  });

  test("Spark's errors: sets of the wrong size, values without a common type", () => {
    expect(() => spark.sql("SELECT * FROM unp_sales UNPIVOT (val FOR q IN ((q1, q2), q3))"))
      .toThrow("[UNPIVOT_VALUE_SIZE_MISMATCH] All unpivot value columns must have the same size as there are value column names (1). SQLSTATE: 428C4");
    expect(() => spark.sql("SELECT * FROM (SELECT id, q1, 'x' AS s FROM unp_sales) UNPIVOT (val FOR q IN (q1, s))"))
      .toThrow(/^\[UNPIVOT_VALUE_DATA_TYPE_MISMATCH\] Unpivot value columns must share a least common type, some types do not: \["INT" \(q1\), "STRING" \(s\)\]/);
    expect(() => spark.sql("SELECT * FROM unp_sales UNPIVOT (val FOR q IN (q1, nope))")).toThrow(/UNRESOLVED_COLUMN.WITH_SUGGESTION.*`nope`/);
  });

  test("the plan function Dataset.unpivot/melt is built on: given ids, several value columns, nulls kept", async () => {
    const input = spark.table("unp_sales");
    const plan = unpivot(input.plan, {
      ids: [col("id").expr], values: [{ columns: [col("q1").expr], name: "q1" }, { columns: [col("q3").expr], name: "q3" }],
      variableColumnName: "variable", valueColumnNames: ["value"], includeNulls: true,
    });
    const rows = await new LocalDataset(spark, plan).orderBy("id", "variable").collect();
    expect(rows).toEqual([
      { id: 1, variable: "q1", value: 10 }, { id: 1, variable: "q3", value: 30 },
      { id: 2, variable: "q1", value: null }, { id: 2, variable: "q3", value: null },
    ]);
  });

  test("on a stream, batch by batch", async () => {
    const input = new MemoryStream<{ id: number; a: number | null; b: number | null }>(spark, "id INT, a INT, b INT");
    input.toDF().createOrReplaceTempView(`unp_stream_${process.pid}`);
    const name = `unp_out_${process.pid}`;
    const query = spark.sql(`SELECT * FROM unp_stream_${process.pid} UNPIVOT (v FOR k IN (a, b))`)
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    input.addData([{ id: 1, a: 1, b: null }]);
    await query.processAllAvailable();
    input.addData([{ id: 2, a: 3, b: 4 }]);
    await query.processAllAvailable();
    await query.stop();
    expect(await spark.sql(`SELECT * FROM ${name} ORDER BY id, k`).collect()).toEqual([
      { id: 1, k: "a", v: 1 }, { id: 2, k: "a", v: 3 }, { id: 2, k: "b", v: 4 },
    ]);
  });
});
