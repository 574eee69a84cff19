import { describe, expect, it } from "vitest";
import { rowsToBatch } from "../../src/columnar/values.ts";
import { InternalError } from "../../src/common/errors.ts";
import { AggregateCall, Alias, Literal, Star } from "../../src/expr/expression.ts";
import type { OptimizerRule } from "../../src/optimizer/optimizer-rule.ts";
import { DEFAULT_RULES, optimize } from "../../src/optimizer/optimizer.ts";
import { aggregate, filter, join, localRelation, project, scan, subqueryAlias } from "../../src/plan/plan-builder.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { BooleanType, StringType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { and, call, col, eq, fakeSource, gt, lit, long, plan, runPlan } from "./helpers.ts";

const EVENTS = parseSchema("action STRING, bytes LONG, user STRING, ratio DOUBLE");
const events = localRelation("events", EVENTS, () => [rowsToBatch(EVENTS, [
  ["open", 10, "ann", 0.5],
  ["click", 120, "bob", 1.5],
  ["click", 300, "ann", null],
  ["close", 80, null, 2.5],
  [null, 900, "cid", 0.1],
], "events")]);
const USERS = parseSchema("name STRING, country STRING");
const users = localRelation("users", USERS, () => [rowsToBatch(USERS, [["ann", "NL"], ["bob", "FR"], ["cid", "NL"]], "users")]);

describe("optimize", () => {
  it("folds, simplifies, pushes filters and prunes columns into the scan", () => {
    const q = project(
      filter(
        project(filter(scan(fakeSource(), true), and(eq(lit(1), lit(1)), gt(col("bytes"), call("add", lit(50), lit(50))))), [col("action"), col("bytes"), col("user")]),
        call("not", eq(col("action"), lit("close"))),
      ),
      [col("action")],
    );
    const { plan: optimized, firedRules } = optimize(q);
    expect(planString(optimized)).toBe(plan(`
      Project [action]
      +- Filter ((bytes > 100) AND (action != close))
         +- StreamingScan json logs/ [action, bytes], PushedFilters: [GreaterThan(bytes,100), Not(EqualTo(action,close))]
    `));
    expect(firedRules).toEqual([
      "constant_folding", "boolean_simplification", "push_down_filter", "push_filter_into_scan", "column_pruning", "remove_noop_project", "combine_filters",
    ]);
    expect(optimized.output.map((c) => c.name)).toEqual(["action"]);
  });

  it("leaves an optimal plan alone", () => {
    const q = filter(events, gt(col("bytes"), long(1)));
    expect(optimize(q)).toEqual({ plan: q, firedRules: [] });
  });

  it("executes filters and projections over a local relation to the same rows as the unoptimized plan", async () => {
    const step1 = filter(events, and(Literal.create(true, BooleanType), gt(col("bytes"), call("multiply", lit(5), lit(10)))));
    const step2 = project(step1, [col("user"), Alias.create(call("multiply", col("bytes"), lit(2)), "b2"), col("action"), col("ratio")]);
    const step3 = filter(step2, and(call("not", call("isnull", col("user"))), call("lessthan", col("b2"), lit(1000))));
    const q = project(step3, [Alias.create(call("upper", col("user")), "who"), col("b2")]);
    const { plan: optimized } = optimize(q);
    expect(planString(optimized)).toBe(plan(`
      Project [upper(user) AS who, b2]
      +- Project [user, (bytes * 2) AS b2]
         +- Filter (((bytes > 50) AND (user IS NOT NULL)) AND ((bytes * 2) < 1000))
            +- LocalRelation events [action, bytes, user, ratio]
    `));
    const expected = await runPlan(q);
    expect(expected).toEqual([{ who: "BOB", b2: 240 }, { who: "ANN", b2: 600 }]);
    expect(await runPlan(optimized)).toEqual(expected);
  });

  it("executes an optimized join with an aggregation to the same rows", async () => {
    const joined = join(subqueryAlias(events, "e"), subqueryAlias(users, "u"), eq(col("user", "e"), col("name", "u")), "inner");
    const q = filter(
      aggregate(filter(joined, and(eq(col("country"), lit("NL")), gt(col("bytes"), lit(5)))), [col("country"), col("action")], [Alias.create(AggregateCall.create("sum", [col("bytes")]), "total"), AggregateCall.create("count", [Star.create()])]),
      and(eq(col("action"), lit("click")), gt(col("total"), lit(0))),
    );
    const { plan: optimized } = optimize(q);
    expect(planString(optimized)).toBe(plan(`
      Filter (total > 0)
      +- Aggregate [country, action], [country, action, sum(bytes) AS total, count(1)]
         +- Join inner, (user = name)
            :- Filter ((bytes > 5) AND (action = click))
            :  +- LocalRelation events [action, bytes, user, ratio]
            +- Filter (country = NL)
               +- LocalRelation users [name, country]
    `));
    const expected = await runPlan(q);
    expect(expected).toEqual([{ country: "NL", action: "click", total: 300, "count(1)": 1 }]);
    expect(await runPlan(optimized)).toEqual(expected);
  });

  it("reads only the needed columns from a source and gets the same rows", async () => {
    const rows = [{ time: new Date(0), action: "a", bytes: 5, user: "x" }, { time: new Date(1), action: "b", bytes: 500, user: "y" }];
    const source = fakeSource({ rows });
    const q = project(filter(scan(source, false), gt(col("bytes"), long(100))), [col("user")]);
    const expected = await runPlan(q);
    const { plan: optimized } = optimize(q);
    expect(await runPlan(optimized)).toEqual(expected);
    expect(expected).toEqual([{ user: "y" }]);
    expect(source.requests.map((r) => r.columns)).toEqual([["time", "action", "bytes", "user"], ["bytes", "user"]]);
  });

  it("throws InternalError when a rule changes the output schema", () => {
    const broken: OptimizerRule = {
      name: "broken",
      rewrite: (p: LogicalPlan) => (p.output[0]!.dataType === StringType ? Object.freeze({ ...p, output: [{ ...p.output[0]!, name: "renamed" }, ...p.output.slice(1)] }) : p),
    };
    expect(() => optimize(events, [...DEFAULT_RULES, broken])).toThrow(InternalError);
    expect(() => optimize(events, [broken])).toThrow(/broken changed the plan's output schema from \[action: string/);
  });

  it("stops after the iteration limit when rules do not converge", () => {
    let calls = 0;
    const restless: OptimizerRule = { name: "restless", rewrite: (p) => { calls++; return Object.freeze({ ...p }); } };
    const { firedRules } = optimize(events, [restless]);
    expect(firedRules).toEqual(["restless"]);
    expect(calls).toBe(100);
  });
});
