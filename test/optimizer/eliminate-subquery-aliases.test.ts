import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { optimize } from "../../src/optimizer/optimizer.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { EliminateSubqueryAliases } from "../../src/optimizer/eliminate-subquery-aliases.ts";

describe("eliminate_subquery_aliases", () => {
  test("removes aliases, so `FROM t` qualifies columns yet plans like the DataFrame form", async () => {
    const spark = Session.builder().getOrCreate();
    spark.createDataFrame([{ action: "click", bytes: 5 }], "action STRING, bytes INT").createOrReplaceTempView("esa_logs");
    const sql = spark.sql("SELECT esa_logs.action FROM esa_logs WHERE esa_logs.bytes > 1");
    expect(planString(sql.plan)).toContain("SubqueryAlias esa_logs");
    const df = spark.table("esa_logs").filter("bytes > 1").select("action");
    expect(planString(optimize(sql.plan).plan)).toBe(planString(optimize(df.plan).plan));
    expect(EliminateSubqueryAliases.rewrite(optimize(df.plan).plan)).toBe(optimize(df.plan).plan);
    expect(await sql.collect()).toEqual([{ action: "click" }]);
  });
});
