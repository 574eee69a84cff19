import { describe, expect, it } from "vitest";
import { Alias, Cast, Literal } from "../../src/expr/expression.ts";
import { registerFunctions } from "../../src/expr/functions/registry.ts";
import { constantVec } from "../../src/expr/vec-ops.ts";
import { optimize, DEFAULT_RULES } from "../../src/optimizer/optimizer.ts";
import { PushFilterIntoScan } from "../../src/optimizer/push-filter-into-scan.ts";
import type { LogicalPlan, Scan } from "../../src/plan/logical-plan.ts";
import { filter, project, scan, withWatermark } from "../../src/plan/plan-builder.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { DoubleType, StringType, TimestampType } from "../../src/types/data-types.ts";
import { and, call, col, eq, fakeSource, gt, lit, long, plan, runPlan } from "./helpers.ts";

registerFunctions([{
  name: "test_random_pf",
  deterministic: false,
  resolve: () => ({ args: [], dataType: DoubleType }),
  evaluate: (_args, n) => constantVec(Math.random(), DoubleType, n),
}]);

const logs = (streaming = false) => scan(fakeSource(), streaming);
const push = (p: LogicalPlan) => planString(PushFilterIntoScan.rewrite(p));
const str = (s: string) => Literal.create(s, StringType);
const JAN_1_2026 = Date.UTC(2026, 0, 1) * 1000;

function scanOf(p: LogicalPlan): Scan {
  if (p.kind === "Scan") return p;
  if (p.kind === "Filter" || p.kind === "Project" || p.kind === "EventTimeWatermark") return scanOf(p.input);
  throw new Error(`no scan under ${p.kind}`);
}

describe("PushFilterIntoScan", () => {
  it("hands comparisons with literals to the scan and keeps the filter, flipping literal-first comparisons", () => {
    const q = filter(logs(), and(and(and(
      gt(col("bytes"), long(100)),
      call("lessthanorequal", long(5000), col("bytes"))),
      call("notequalto", col("action"), str("close"))),
      call("lessthan", col("time"), Literal.create(JAN_1_2026, TimestampType))));
    expect(push(q)).toBe(plan(`
      Filter ((((bytes > 100) AND (5000 <= bytes)) AND (action != close)) AND (time < TIMESTAMP '2026-01-01 00:00:00'))
      +- Scan json logs/ [time, action, bytes, user], PushedFilters: [GreaterThan(bytes,100), GreaterThanOrEqual(bytes,5000), Not(EqualTo(action,close)), LessThan(time,2026-01-01 00:00:00)]
    `));
    expect(scanOf(PushFilterIntoScan.rewrite(q)).pushedFilters).toEqual([
      { kind: "compare", column: "bytes", op: ">", value: 100 },
      { kind: "compare", column: "bytes", op: ">=", value: 5000 },
      { kind: "compare", column: "action", op: "!=", value: "close" },
      { kind: "compare", column: "time", op: "<", value: JAN_1_2026 },
    ]);
  });

  it("translates IS [NOT] NULL, IN (dropping null items), LIKE 'abc%', LIKE without wildcards and startswith", () => {
    const q = filter(logs(), and(and(and(and(and(
      call("isnull", col("user")),
      call("isnotnull", col("action"))),
      call("in", col("action"), str("view"), str("click"), Literal.create(null, StringType))),
      call("like", col("user"), str("u1\\_%"))),
      call("like", col("action"), str("view"))),
      call("startswith", col("user"), str("u"))));
    expect(push(q).split("\n")[1]).toBe(
      "+- Scan json logs/ [time, action, bytes, user], PushedFilters: [IsNull(user), IsNotNull(action), In(action, [view,click]), " +
        "StringStartsWith(user,u1_), EqualTo(action,view), StringStartsWith(user,u)]",
    );
  });

  it("leaves other shapes to the filter alone", () => {
    const q = filter(logs(), and(and(and(and(and(and(
      call("or", eq(col("action"), str("a")), eq(col("action"), str("b"))),
      eq(call("upper", col("action")), str("A"))),
      eq(col("action"), col("user"))),
      call("like", col("user"), str("%x"))),
      eq(col("action"), Literal.create(null, StringType))),
      gt(Cast.create(col("bytes"), DoubleType), Literal.create(1.5, DoubleType))),
      call("in", col("action"), str("a"), col("user"))));
    expect(push(q)).not.toContain("PushedFilters");
    expect(PushFilterIntoScan.rewrite(q)).toBe(q);
  });

  it("pushes only the deterministic conjuncts and each predicate once", () => {
    const q = filter(logs(), and(and(gt(col("bytes"), long(1)), gt(call("test_random_pf"), lit(0.5))), gt(col("bytes"), long(1))));
    expect(scanOf(PushFilterIntoScan.rewrite(q)).pushedFilters).toEqual([{ kind: "compare", column: "bytes", op: ">", value: 1 }]);
  });

  it("is idempotent, and touches only a filter directly over a scan", () => {
    const q = filter(logs(), gt(col("bytes"), long(1)));
    const once = PushFilterIntoScan.rewrite(q);
    expect(once).not.toBe(q);
    expect(PushFilterIntoScan.rewrite(once)).toBe(once);
    const overProject = filter(project(logs(), [col("action"), col("bytes")]), gt(col("bytes"), long(1)));
    expect(PushFilterIntoScan.rewrite(overProject)).toBe(overProject);
  });

  it("drops predicates from a scan that no longer has their filter above it", () => {
    const pushed = scanOf(PushFilterIntoScan.rewrite(filter(logs(), gt(col("bytes"), long(1)))));
    const q = project(pushed, [col("action")]);
    expect(push(q)).toBe(plan(`
      Project [action]
      +- Scan json logs/ [time, action, bytes, user]
    `));
    const changed = filter(pushed, eq(col("action"), str("a")));
    expect(scanOf(PushFilterIntoScan.rewrite(changed)).pushedFilters).toEqual([{ kind: "compare", column: "action", op: "=", value: "a" }]);
  });

  it("in the optimizer: lands on the scan after push-down, and pruning keeps the predicate's column", () => {
    const q = project(
      filter(project(withWatermark(logs(true), "time", "10 minutes"), [col("time"), col("action"), col("user")]), eq(col("user"), lit("u1"))),
      [col("time"), col("action")],
    );
    const { plan: optimized, firedRules } = optimize(q);
    expect(planString(optimized)).toBe(plan(`
      Project [time, action]
      +- EventTimeWatermark time, 10 minutes
         +- Filter (user = u1)
            +- StreamingScan json logs/ [time, action, user], PushedFilters: [EqualTo(user,u1)]
    `));
    expect(firedRules).toContain("push_filter_into_scan");
    expect(optimize(optimized).firedRules).toEqual([]);
  });

  it("gives the same rows with and without the rule, and passes the predicates in the read request", async () => {
    const rows = [
      { time: new Date(0), action: "a", bytes: 50, user: "u1" },
      { time: new Date(1000), action: "b", bytes: 500, user: null },
      { time: new Date(2000), action: "c", bytes: 700, user: "u3" },
    ];
    const source = fakeSource({ rows });
    const q = project(filter(scan(source, false), and(gt(col("bytes"), long(100)), call("isnotnull", col("user")))), [
      Alias.create(col("action"), "a"),
    ]);
    const withRule = optimize(q).plan;
    const withoutRule = optimize(q, DEFAULT_RULES.filter((r) => r.name !== "push_filter_into_scan")).plan;
    expect(planString(withoutRule)).not.toContain("PushedFilters");
    expect(await runPlan(withRule)).toEqual([{ a: "c" }]);
    expect(source.requests.at(-1)).toEqual({
      columns: ["action", "bytes", "user"],
      filters: [{ kind: "compare", column: "bytes", op: ">", value: 100 }, { kind: "isNotNull", column: "user" }],
    });
    expect(await runPlan(withoutRule)).toEqual([{ a: "c" }]);
    expect(source.requests.at(-1)).toEqual({ columns: ["action", "bytes", "user"] });
  });
});
