import { describe, expect, it } from "vitest";
import { AggregateCall, Alias, SortOrder, WindowTime } from "../../src/expr/expression.ts";
import { registerFunctions } from "../../src/expr/functions/registry.ts";
import { constantVec } from "../../src/expr/vec-ops.ts";
import { rowsToBatch } from "../../src/columnar/values.ts";
import { PushDownFilter } from "../../src/optimizer/push-down-filter.ts";
import {
  aggregate, deduplicate, filter, join, limit, localRelation, project, scan, sort, subqueryAlias, union, withWatermark,
} from "../../src/plan/plan-builder.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { DoubleType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { and, call, col, eq, fakeSource, gt, lit, long, plan, runPlan } from "./helpers.ts";

registerFunctions([{
  name: "test_random3",
  deterministic: false,
  resolve: () => ({ args: [], dataType: DoubleType }),
  evaluate: (_args, n) => constantVec(Math.random(), DoubleType, n),
}]);

const logs = (streaming = false) => scan(fakeSource(), streaming);
const push = (p: LogicalPlan) => planString(PushDownFilter.rewrite(p));

describe("PushDownFilter", () => {
  it("pushes below a Project, substituting its expressions", () => {
    const q = filter(project(logs(), [col("action"), Alias.create(call("multiply", col("bytes"), long(2)), "b2")]), gt(col("b2"), long(10)));
    expect(push(q)).toBe(plan(`
      Project [action, (bytes * 2) AS b2]
      +- Filter ((bytes * 2) > 10)
         +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("keeps conjuncts over non-deterministic projections above, and moves the rest", () => {
    const q = filter(
      project(logs(), [col("action"), Alias.create(call("test_random3"), "r")]),
      and(gt(col("r"), lit(0.5)), eq(col("action"), lit("a"))),
    );
    expect(push(q)).toBe(plan(`
      Filter (r > 0.5)
      +- Project [action, test_random3() AS r]
         +- Filter (action = a)
            +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("moves only the deterministic conjuncts before a non-deterministic one", () => {
    const q = filter(sort(logs(), [SortOrder.create(col("bytes"), true)]), and(and(
      eq(col("action"), lit("a")), gt(call("test_random3"), lit(0.5))), gt(col("bytes"), long(1))));
    expect(push(q)).toBe(plan(`
      Filter ((test_random3() > 0.5) AND (bytes > 1))
      +- Sort [bytes ASC NULLS FIRST]
         +- Filter (action = a)
            +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("pushes into every input of a Union, and through SubqueryAlias and Sort", () => {
    const a = localRelation("a", parseSchema("k INT, v STRING"), () => []);
    const b = localRelation("b", parseSchema("id INT, w STRING"), () => []);
    const q = filter(subqueryAlias(union([a, sort(b, [col("w")])]), "u"), gt(col("k", "u"), lit(1)));
    expect(push(q)).toBe(plan(`
      SubqueryAlias u
      +- Union
         :- Filter (k > 1)
         :  +- LocalRelation a [k, v]
         +- Sort [w ASC NULLS FIRST]
            +- Filter (id > 1)
               +- LocalRelation b [id, w]
    `));
  });

  it("pushes single-side conjuncts into both sides of an inner join", () => {
    const users = subqueryAlias(localRelation("users", parseSchema("id STRING, country STRING"), () => []), "u");
    const q = filter(join(logs(), users, eq(col("user"), col("id")), "inner"), and(and(
      eq(col("country"), lit("NL")), gt(col("bytes"), long(1))), call("or", eq(col("action"), col("country")), gt(col("bytes"), long(2)))));
    expect(push(q)).toBe(plan(`
      Filter ((action = country) OR (bytes > 2))
      +- Join inner, (user = id)
         :- Filter (bytes > 1)
         :  +- Scan json logs/ [time, action, bytes, user]
         +- SubqueryAlias u
            +- Filter (country = NL)
               +- LocalRelation users [id, country]
    `));
  });

  it("pushes only into the preserved side of an outer join", () => {
    const users = localRelation("users", parseSchema("id STRING, country STRING"), () => []);
    const cond = and(eq(col("country"), lit("NL")), gt(col("bytes"), long(1)));
    expect(push(filter(join(logs(), users, eq(col("user"), col("id")), "left_outer"), cond))).toBe(plan(`
      Filter (country = NL)
      +- Join left_outer, (user = id)
         :- Filter (bytes > 1)
         :  +- Scan json logs/ [time, action, bytes, user]
         +- LocalRelation users [id, country]
    `));
    const full = filter(join(logs(), users, eq(col("user"), col("id")), "full_outer"), cond);
    expect(PushDownFilter.rewrite(full)).toBe(full);
  });

  it("re-indexes right-side columns so the pushed filter reads the right rows", async () => {
    const left = localRelation("l", parseSchema("k INT, a STRING"), () => [rowsToBatch(parseSchema("k INT, a STRING"), [[1, "x"], [2, "y"]], "t")]);
    const right = localRelation("r", parseSchema("rk INT, b INT"), () => [rowsToBatch(parseSchema("rk INT, b INT"), [[1, 10], [2, 20]], "t")]);
    const q = filter(join(left, right, eq(col("k"), col("rk")), "inner"), gt(col("b"), lit(15)));
    const pushed = PushDownFilter.rewrite(q);
    expect(planString(pushed)).toBe(plan(`
      Join inner, (k = rk)
      :- LocalRelation l [k, a]
      +- Filter (b > 15)
         +- LocalRelation r [rk, b]
    `));
    expect(await runPlan(pushed)).toEqual(await runPlan(q));
    expect(await runPlan(pushed)).toEqual([{ k: 2, a: "y", rk: 2, b: 20 }]);
  });

  it("does not push a conjunct on the event-time column below the watermark", () => {
    const q = filter(withWatermark(logs(true), "time", "10 minutes"), and(gt(col("time"), lit("2024-01-01 00:00:00")), gt(col("bytes"), long(1))));
    expect(push(q)).toBe(plan(`
      Filter (time > CAST(2024-01-01 00:00:00 AS TIMESTAMP))
      +- EventTimeWatermark time, 10 minutes
         +- Filter (bytes > 1)
            +- StreamingScan json logs/ [time, action, bytes, user]
    `));
  });

  it("pushes through Aggregate only conjuncts on plain grouping columns", () => {
    const agg = aggregate(logs(), [col("action"), WindowTime.create(col("time"), 3_600_000_000, 3_600_000_000, 0)], [Alias.create(AggregateCall.create("sum", [col("bytes")]), "total")]);
    const q = filter(agg, and(and(eq(col("action"), lit("a")), gt(col("total"), long(5))), call("isnotnull", col("window"))));
    expect(push(q)).toBe(plan(`
      Filter ((total > 5) AND (window IS NOT NULL))
      +- Aggregate [action, window(time, 1 hours)], [action, window, sum(bytes) AS total]
         +- Filter (action = a)
            +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("does not push a constant conjunct below a global aggregation", () => {
    const q = filter(aggregate(logs(), [], [AggregateCall.create("count", [])]), eq(lit(1), lit(2)));
    expect(PushDownFilter.rewrite(q)).toBe(q);
  });

  it("never pushes below Deduplicate or Limit", () => {
    const d = filter(deduplicate(logs(), ["action"]), eq(col("action"), lit("a")));
    const l = filter(limit(logs(), 3), eq(col("action"), lit("a")));
    expect(PushDownFilter.rewrite(d)).toBe(d);
    expect(PushDownFilter.rewrite(l)).toBe(l);
  });

  it("pushes through several levels at once", () => {
    const q = filter(project(sort(project(logs(), [col("action"), col("bytes")]), [col("bytes")]), [col("action")]), eq(col("action"), lit("a")));
    expect(push(q)).toBe(plan(`
      Project [action]
      +- Sort [bytes ASC NULLS FIRST]
         +- Project [action, bytes]
            +- Filter (action = a)
               +- Scan json logs/ [time, action, bytes, user]
    `));
  });
});
