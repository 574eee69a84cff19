import { describe, expect, it } from "vitest";
import type { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { AggregateCall, Alias, Star } from "../../src/expr/expression.ts";
import { ColumnPruning } from "../../src/optimizer/column-pruning.ts";
import {
  aggregate, deduplicate, filter, join, localRelation, project, scan, union, withWatermark,
} from "../../src/plan/plan-builder.ts";
import type { LogicalPlan, MapBatches } from "../../src/plan/logical-plan.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { call, col, eq, fakeSource, gt, lit, long, plan, runPlan } from "./helpers.ts";

const logs = (streaming = false, rows: Record<string, unknown>[] = []) => scan(fakeSource({ rows }), streaming);

function pruned(p: LogicalPlan): LogicalPlan {
  const out = ColumnPruning.rewrite(p);
  expect(out.output.map((c) => [c.name, c.dataType])).toEqual(p.output.map((c) => [c.name, c.dataType]));
  expect(ColumnPruning.rewrite(out)).toBe(out);
  return out;
}

describe("ColumnPruning", () => {
  it("narrows the scan to the columns a projection and a filter read", () => {
    const q = project(filter(logs(), gt(col("bytes"), long(100))), [col("action")]);
    expect(planString(pruned(q))).toBe(plan(`
      Project [action]
      +- Filter (bytes > 100)
         +- Scan json logs/ [action, bytes]
    `));
  });

  it("re-indexes references so the pruned plan reads the same values, and asks the source for those columns", async () => {
    const rows = [
      { time: new Date(0), action: "a", bytes: 50, user: "u1" },
      { time: new Date(1000), action: "b", bytes: 500, user: "u2" },
      { time: new Date(2000), action: "c", bytes: 700, user: "u3" },
    ];
    const source = fakeSource({ rows });
    const q = project(filter(scan(source, false), gt(col("bytes"), long(100))), [col("user"), Alias.create(call("upper", col("action")), "A")]);
    const optimized = pruned(q);
    expect(planString(optimized)).toContain("Scan json logs/ [action, bytes, user]");
    expect(await runPlan(optimized)).toEqual([{ user: "u2", A: "B" }, { user: "u3", A: "C" }]);
    expect(source.requests.at(-1)).toEqual({ columns: ["action", "bytes", "user"] });
    expect(await runPlan(q)).toEqual(await runPlan(optimized));
  });

  it("keeps what an aggregation reads, and one column for count(*)", () => {
    const byAction = aggregate(logs(), [col("action")], [Alias.create(AggregateCall.create("sum", [col("bytes")]), "total")]);
    expect(planString(pruned(byAction))).toBe(plan(`
      Aggregate [action], [action, sum(bytes) AS total]
      +- Scan json logs/ [action, bytes]
    `));
    const countAll = aggregate(logs(), [], [AggregateCall.create("count", [Star.create()])]);
    expect(planString(pruned(countAll))).toBe(plan(`
      Aggregate [], [count(1)]
      +- Scan json logs/ [time]
    `));
  });

  it("drops projection expressions that nothing above reads", () => {
    const inner = project(logs(), [col("action"), Alias.create(call("multiply", col("bytes"), long(2)), "b2"), col("user")]);
    const q = aggregate(inner, [col("user")], [AggregateCall.create("count", [Star.create()])]);
    expect(planString(pruned(q))).toBe(plan(`
      Aggregate [user], [user, count(1)]
      +- Project [user]
         +- Scan json logs/ [user]
    `));
  });

  it("keeps the event-time column of a watermark and re-indexes it", () => {
    const q = project(withWatermark(logs(true), "time", "10 minutes"), [col("user")]);
    const out = pruned(q);
    expect(planString(out)).toBe(plan(`
      Project [user]
      +- EventTimeWatermark time, 10 minutes
         +- StreamingScan json logs/ [time, user]
    `));
    const w = (out as { input: LogicalPlan }).input;
    expect(w.kind === "EventTimeWatermark" && w.column).toBe(0);
    expect(w.output[0]!.eventTimeDelayMicros).toBe(600_000_000);
  });

  it("keeps deduplication keys", () => {
    const q = project(deduplicate(logs(), ["user", "action"]), [col("action")]);
    expect(planString(pruned(q))).toBe(plan(`
      Project [action]
      +- Deduplicate [user, action]
         +- Scan json logs/ [action, user]
    `));
  });

  it("prunes both sides of a join, keeping the condition's columns", async () => {
    const l = localRelation("l", parseSchema("k INT, a STRING"), () => []);
    const q = project(join(logs(), l, eq(col("user"), col("a")), "inner"), [col("action"), col("k")]);
    expect(planString(pruned(q))).toBe(plan(`
      Project [action, k]
      +- Join inner, (user = a)
         :- Scan json logs/ [action, user]
         +- LocalRelation l [k, a]
    `));
  });

  it("does not prune below a Union or an opaque MapBatches, but still prunes inside their inputs", () => {
    const u = union([project(logs(), [col("action"), col("bytes")]), project(logs(), [col("user"), col("bytes")])]);
    expect(planString(pruned(project(u, [col("action")])))).toBe(plan(`
      Project [action]
      +- Union
         :- Project [action, bytes]
         :  +- Scan json logs/ [action, bytes]
         +- Project [user, bytes]
            +- Scan json logs/ [bytes, user]
    `));
    const input = logs();
    const m: MapBatches = Object.freeze({ kind: "MapBatches", input, name: "f", fn: (b: ColumnBatch) => b, output: input.output, isStreaming: false });
    const q = project(m, [col("action")]);
    expect(ColumnPruning.rewrite(q)).toBe(q);
  });

  it("keeps the root's output whole", () => {
    const q = filter(logs(), eq(col("action"), lit("a")));
    expect(ColumnPruning.rewrite(q)).toBe(q);
  });
});
