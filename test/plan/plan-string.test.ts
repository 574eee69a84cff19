import { describe, expect, it } from "vitest";
import { AggregateCall, Alias, SortOrder, Star, WindowTime } from "../../src/expr/expression.ts";
import {
  aggregate, deduplicate, filter, join, limit, localRelation, project, scan, sort, subqueryAlias, union, withWatermark,
} from "../../src/plan/plan-builder.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { call, col, eq, fakeSource, gt, lit, long, plan } from "../optimizer/helpers.ts";

const HOUR = 3_600_000_000;

describe("planString", () => {
  it("prints a Spark-like tree with the scan's read columns", () => {
    const s = scan(fakeSource(), true);
    const pruned = Object.freeze({ ...s, columns: [0, 1, 2], output: s.output.slice(0, 3) });
    const q = aggregate(
      filter(pruned, gt(col("bytes"), long(100))),
      [col("action"), WindowTime.create(col("time"), HOUR, HOUR, 0)],
      [Alias.create(AggregateCall.create("count", [Star.create()]), "count")],
    );
    expect(planString(q)).toBe(plan(`
      Aggregate [action, window(time, 1 hours)], [action, window, count(1) AS count]
      +- Filter (bytes > 100)
         +- StreamingScan json logs/ [time, action, bytes]
    `));
  });

  it("prints aggregate results in terms of the groupings and aggregates they denote", () => {
    const s = scan(fakeSource(), false);
    const q = aggregate(s, [call("upper", col("action"))], [
      Alias.create(call("add", AggregateCall.create("sum", [col("bytes")]), lit(1)), "total"),
      AggregateCall.create("max", [col("bytes")]),
    ], false);
    expect(planString(q)).toBe(plan(`
      Aggregate [upper(action)], [(sum(bytes) + CAST(1 AS BIGINT)) AS total, max(bytes)]
      +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("prints binary nodes with :- and continuation bars", () => {
    const users = localRelation("users", parseSchema("user STRING, country STRING"), () => []);
    const logs = withWatermark(scan(fakeSource(), true), "time", "10 minutes");
    const q = limit(sort(project(
      join(subqueryAlias(logs, "l"), subqueryAlias(filter(users, eq(col("country"), lit("NL"))), "u"), eq(col("user", "l"), col("user", "u")), "inner"),
      [col("action"), Alias.create(col("country"), "c")],
    ), [SortOrder.create(col("action"), false)]), 5);
    expect(planString(q)).toBe(plan(`
      Limit 5
      +- Sort [action DESC NULLS LAST]
         +- Project [action, country AS c]
            +- Join inner, (user = user)
               :- SubqueryAlias l
               :  +- EventTimeWatermark time, 10 minutes
               :     +- StreamingScan json logs/ [time, action, bytes, user]
               +- SubqueryAlias u
                  +- Filter (country = NL)
                     +- LocalRelation users [user, country]
    `));
  });

  it("prints Union, Deduplicate and using-joins", () => {
    const a = localRelation("a", parseSchema("k INT, v STRING"), () => []);
    const b = localRelation("b", parseSchema("k INT, w STRING"), () => []);
    const q = union([deduplicate(a, ["k"]), join(a, b, ["k"], "left_outer")].map((p) => project(p, [col("k"), col("v")])));
    expect(planString(q)).toBe(plan(`
      Union
      :- Project [k, v]
      :  +- Deduplicate [k]
      :     +- LocalRelation a [k, v]
      +- Project [k, v]
         +- Project [k, v, w]
            +- Join left_outer, (k = k)
               :- LocalRelation a [k, v]
               +- LocalRelation b [k, w]
    `));
  });
});
