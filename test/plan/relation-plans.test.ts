import { describe, expect, it } from "vitest";
import { Session } from "../../src/index.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { physicalPlanString, planPhysical } from "../../src/physical/planner.ts";

/** How set operations and subqueries are planned: as Spark's rewrites into joins and aggregations. */
const spark = Session.builder().appName("relation-plans").getOrCreate();
spark.createDataFrame([{ k: 1 }], "k INT").createOrReplaceTempView("l");
spark.createDataFrame([{ k: 1 }], "k INT").createOrReplaceTempView("r");
const plan = (sql: string): string => planString(spark.sql(sql).plan);
const text = (s: string): string => s.trim().split("\n").map((l) => l.replace(/^ {6}/, "")).join("\n");

describe("set operations", () => {
  it("INTERSECT is a left semi join on null-safe equality, then distinct", () => {
    expect(plan("SELECT k FROM l INTERSECT SELECT k FROM r")).toBe(text(`
      Deduplicate [k]
      +- Join left_semi, (k <=> k)
         :- Project [k]
         :  +- SubqueryAlias l
         :     +- LocalRelation LocalRelation [k]
         +- Project [k]
            +- SubqueryAlias r
               +- LocalRelation LocalRelation [k]`));
  });

  it("EXCEPT ALL counts +1 / -1 per side and replicates what remains", () => {
    expect(plan("SELECT k FROM l EXCEPT ALL SELECT k FROM r")).toBe(text(`
      MapBatches exceptAll [k]
      +- Filter (__except_count > 0)
         +- Aggregate [k], [k, sum(__except_sign) AS __except_count]
            +- Union
               :- Project [k, 1 AS __except_sign]
               :  +- Project [k]
               :     +- SubqueryAlias l
               :        +- LocalRelation LocalRelation [k]
               +- Project [k, -1 AS __except_sign]
                  +- Project [k]
                     +- SubqueryAlias r
                        +- LocalRelation LocalRelation [k]`));
  });

  it("the null-safe keys are hash keys (no nested loop)", () => {
    const physical = physicalPlanString(planPhysical(spark.optimizePlan(spark.sql("SELECT k FROM l EXCEPT SELECT k FROM r").plan), spark.conf).root);
    expect(physical).toContain("HashJoin left_anti [k <=> k]");
  });
});

describe("subqueries", () => {
  it("uncorrelated NOT IN: a hash anti join, then the two null rules as joins with at most one row", () => {
    expect(plan("SELECT k FROM l WHERE k NOT IN (SELECT k FROM r)")).toBe(text(`
      Project [k]
      +- Join left_anti, (k IS NULL)
         :- Join left_anti, true
         :  :- Join left_anti, (k = k)
         :  :  :- SubqueryAlias l
         :  :  :  +- LocalRelation LocalRelation [k]
         :  :  +- Project [k]
         :  :     +- SubqueryAlias r
         :  :        +- LocalRelation LocalRelation [k]
         :  +- Limit 1
         :     +- Filter (k IS NULL)
         :        +- Project [k]
         :           +- SubqueryAlias r
         :              +- LocalRelation LocalRelation [k]
         +- Limit 1
            +- Project [k]
               +- SubqueryAlias r
                  +- LocalRelation LocalRelation [k]`));
  });

  it("a correlated scalar aggregate is grouped by the correlated column and left-outer joined", () => {
    expect(plan("SELECT k, (SELECT max(k) FROM r WHERE r.k = l.k) AS m FROM l")).toMatch(
      /Join left_outer, \(k = k\)\n[\s\S]*Aggregate \[k\], \[k, max\(k\)/);
  });
});
