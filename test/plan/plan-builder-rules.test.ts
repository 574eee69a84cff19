import { describe, expect, it } from "vitest";
import { batchToRows, rowsToBatch } from "../../src/columnar/values.ts";
import { RuntimeConfig } from "../../src/common/config.ts";
import { AnalysisError } from "../../src/common/errors.ts";
import type { OutputMode } from "../../src/connectors/sink.ts";
import { AggregateCall, Alias, Call, ColumnRef, Literal, SortOrder, Star, WindowTime, type Expression } from "../../src/expr/expression.ts";
import { planPhysical } from "../../src/physical/planner.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import {
  aggregate, deduplicate, filter, join, limit, localRelation, project, sort, subqueryAlias, union, withWatermark,
} from "../../src/plan/plan-builder.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { checkStreamingPlan } from "../../src/plan/unsupported-operations.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { UTC } from "../../src/common/time-zone.ts";

const S = 1_000_000;
const col = (name: string, qualifier: string | null = null): Expression => ColumnRef.create(name, qualifier);
const lit = (v: unknown): Expression => Literal.create(v, null);
const call = (name: string, ...args: Expression[]): Expression => Call.create(name, args);
const agg = (name: string, ...args: Expression[]): Expression => AggregateCall.create(name, args);
const countStar = (): Expression => agg("count", Star.create());

const LOGS = "time TIMESTAMP, action STRING, bytes BIGINT, code INT";
const ROWS = [
  { time: new Date(1_000), action: "click", bytes: 100, code: 1 },
  { time: new Date(2_000), action: "click", bytes: 50, code: 2 },
  { time: new Date(3_000), action: "view", bytes: 7, code: 1 },
];
const batchTable = (ddl = LOGS, rows: readonly unknown[] = ROWS): LogicalPlan =>
  localRelation("logs", parseSchema(ddl), () => [rowsToBatch(parseSchema(ddl), rows, "logs")]);
const stream = (ddl = LOGS): LogicalPlan => localRelation("events", parseSchema(ddl), () => [], true);

async function run(plan: LogicalPlan): Promise<Record<string, unknown>[]> {
  const { root } = planPhysical(plan, new RuntimeConfig());
  const out = await root.execute({
    batchId: 0, eval: { batchTimestampMicros: 0, timeZoneId: UTC.id }, sourceData: new Map(),
    watermarkMicros: -Infinity, outputMode: "append", streaming: false,
  });
  return out.flatMap(batchToRows);
}

function analysisError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AnalysisError);
    return (e as Error).message;
  }
  throw new Error("expected an AnalysisError");
}

describe("aggregate", () => {
  it("rewrites expressions over aggregates and grouping columns", async () => {
    const q = aggregate(batchTable(), [col("action")], [
      call("add", countStar(), lit(1)),
      Alias.create(call("multiply", agg("sum", col("bytes")), lit(2)), "double_bytes"),
      call("upper", col("action")),
    ]);
    expect(q.output.map((c) => c.name)).toEqual(["action", "(count(1) + 1)", "double_bytes", "upper(action)"]);
    expect(planString(q)).toContain("Aggregate [action], [action, (count(1) + CAST(1 AS BIGINT)) AS (count(1) + 1), (sum(bytes) * CAST(2 AS BIGINT)) AS double_bytes, upper(action)]");
    expect(await run(q)).toEqual([
      { action: "click", "(count(1) + 1)": 3, double_bytes: 300, "upper(action)": "CLICK" },
      { action: "view", "(count(1) + 1)": 2, double_bytes: 14, "upper(action)": "VIEW" },
    ]);
  });

  it("computes an aggregate used twice once", () => {
    const q = aggregate(batchTable(), [col("action")], [agg("sum", col("bytes")), call("add", agg("sum", col("bytes")), agg("max", col("bytes")))]);
    expect(q.aggregates.map((a) => a.name)).toEqual(["sum", "max"]);
  });

  it("groups by an expression and matches it in the results", async () => {
    const q = aggregate(batchTable(), [call("mod", col("code"), lit(2))], [countStar()], false);
    expect(await run(q)).toEqual([{ "count(1)": 2 }, { "count(1)": 1 }]);
  });

  it("rejects a column that is neither grouped nor aggregated", () => {
    expect(analysisError(() => aggregate(batchTable(), [col("action")], [col("bytes")]))).toBe(
      '[MISSING_AGGREGATION] The non-aggregating expression "bytes" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(bytes)" if you do not care about which of the values within a group is returned.',
    );
  });

  it("rejects nested aggregates and aggregates in GROUP BY", () => {
    // Spark: "It is not allowed to use an aggregate function in the argument of another aggregate function."
    expect(analysisError(() => aggregate(batchTable(), [], [agg("sum", agg("count", col("bytes")))]))).toContain(
      "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function.",
    );
    expect(analysisError(() => aggregate(batchTable(), [agg("max", col("bytes"))], [countStar()]))).toContain("aggregate functions are not allowed in GROUP BY");
  });

  it("select with an aggregate is a global aggregation", async () => {
    const q = project(batchTable(), [countStar(), agg("max", col("code"))]);
    expect(q.kind).toBe("Aggregate");
    expect(await run(q)).toEqual([{ "count(1)": 3, "max(code)": 2 }]);
  });

  it("a window grouping over a watermarked column carries the watermark", () => {
    const q = aggregate(withWatermark(stream(), "time", "10 minutes"), [WindowTime.create(col("time"), 60 * S, 60 * S, 0)], [countStar()]);
    expect(q.output[0]).toMatchObject({ name: "window", eventTimeDelayMicros: 600 * S, nullable: false });
  });
});

describe("withWatermark", () => {
  it("marks the event-time column with its delay, and only that column", () => {
    const once = withWatermark(stream(), "time", "10 seconds");
    expect(once.output.map((c) => c.eventTimeDelayMicros)).toEqual([10 * S, undefined, undefined, undefined]);
  });

  it("checks the delay first, then the column, then its type", () => {
    // Spark's words: Dataset.withWatermark's require(…).
    expect(analysisError(() => withWatermark(stream(), "nope", "-1 second"))).toBe("requirement failed: delay threshold (-1 second) should not be negative.");
    expect(analysisError(() => withWatermark(stream(), "action", "-1 second"))).toBe("requirement failed: delay threshold (-1 second) should not be negative.");
    expect(analysisError(() => withWatermark(stream(), "value", "-1 year"))).toBe("requirement failed: delay threshold (-1 year) should not be negative.");
    expect(analysisError(() => withWatermark(stream(), "time", "1 month -32 days"))).toBe("requirement failed: delay threshold (1 month -32 days) should not be negative.");
    expect(analysisError(() => withWatermark(stream(), "nope", "1 second"))).toContain("[UNRESOLVED_COLUMN.WITH_SUGGESTION]");
    expect(analysisError(() => withWatermark(stream(), "action", "1 second"))).toBe(
      "Event time must be defined on a window or a timestamp, but action is of type string",
    );
    expect(analysisError(() => withWatermark(stream(), "time", "soon"))).toContain("cannot parse delay threshold 'soon'");
  });

  it("months and years count 31 days a month, as Spark's IntervalUtils.getDuration", () => {
    expect(withWatermark(stream(), "time", "1 year").delayMicros).toBe(12 * 31 * 86_400 * S);
    expect(withWatermark(stream(), "time", "2 months 1 day").delayMicros).toBe(63 * 86_400 * S);
  });
});

describe("union", () => {
  it("widens column types to a common type by position and names columns after the first input", async () => {
    const a = batchTable("x INT, s STRING", [{ x: 1, s: "a" }]);
    const b = batchTable("y BIGINT, t STRING", [{ y: 2 ** 40, t: "b" }]);
    const u = union([a, b]);
    expect(u.output.map((c) => [c.name, c.dataType.kind])).toEqual([["x", "long"], ["s", "string"]]);
    expect(await run(u)).toEqual([{ x: 1, s: "a" }, { x: 2 ** 40, s: "b" }]);
  });

  it("rejects a different number of columns and incompatible types", () => {
    expect(analysisError(() => union([batchTable("x INT"), batchTable("x INT"), batchTable("x INT, y INT")]))).toBe(
      "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has 1 columns and the third input has 2 columns.",
    );
    expect(analysisError(() => union([batchTable("x INT"), batchTable("x BOOLEAN")]))).toBe(
      "[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on tables with compatible column types. The 1st column of the second table is \"BOOLEAN\" type which is not compatible with \"INT\" at the same column of the first table.",
    );
  });
});

describe("join", () => {
  const users = batchTable("user STRING, country STRING", [{ user: "u1", country: "NL" }]);
  const events = batchTable("user STRING, action STRING", [{ user: "u1", action: "click" }, { user: "u2", action: "view" }]);

  it("USING columns appear once, first, then the other columns of each side", () => {
    expect(join(events, users, ["user"], "inner").output.map((c) => c.name)).toEqual(["user", "action", "country"]);
    expect(join(events, users, ["USER"], "left_semi").output.map((c) => c.name)).toEqual(["user", "action"]);
  });

  it("outer joins make the other side's columns nullable", () => {
    const j = join(events, users, ["user"], "left_outer");
    expect(j.output.map((c) => c.nullable)).toEqual([true, true, true]);
  });

  it("rejects an unknown USING column, naming the side", () => {
    expect(analysisError(() => join(events, users, ["action"], "inner"))).toBe(
      "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `action` cannot be resolved on the right side of the join. The right-side columns: [`user`, `country`].",
    );
  });

  it("rejects a non-boolean join condition", () => {
    expect(analysisError(() => join(subqueryAlias(events, "e"), subqueryAlias(users, "u"), col("country"), "inner"))).toContain("is not a boolean");
  });
});

describe("checkStreamingPlan", () => {
  const wm = (): LogicalPlan => withWatermark(stream(), "time", "10 seconds");
  const windowed = (input: LogicalPlan): LogicalPlan => aggregate(input, [WindowTime.create(col("time"), 60 * S, 60 * S, 0)], [countStar()]);
  const byAction = (input: LogicalPlan): LogicalPlan => aggregate(input, [col("action")], [countStar()]);
  const check = (plan: LogicalPlan, mode: OutputMode): string | null => {
    try {
      checkStreamingPlan(plan, mode);
      return null;
    } catch (e) {
      expect(e).toBeInstanceOf(AnalysisError);
      return (e as Error).message;
    }
  };

  it("complete mode needs a streaming aggregation", () => {
    expect(check(filter(stream(), call("greaterthan", col("bytes"), lit(1))), "complete")).toBe(
      "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets",
    );
    expect(check(byAction(stream()), "complete")).toBeNull();
  });

  it("append mode with an aggregation needs a watermark on a grouping key", () => {
    expect(check(byAction(stream()), "append")).toBe(
      "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark",
    );
    expect(check(byAction(wm()), "append")).toContain("without watermark");
    expect(check(windowed(wm()), "append")).toBeNull();
    expect(check(byAction(stream()), "update")).toBeNull();
  });

  it("allows several streaming aggregations in append mode only, each grouping by event time (Spark 3.4+)", () => {
    const twice = aggregate(windowed(wm()), [col("count(1)")], [countStar()]);
    expect(check(twice, "update")).toBe("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets");
    expect(check(twice, "complete")).toBe("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets");
    expect(check(twice, "append")).toBe("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark");
    const byWindow = aggregate(windowed(wm()), [col("window")], [countStar()]);
    expect(check(byWindow, "append")).toBeNull();
  });

  it("sorting needs an aggregation in complete mode", () => {
    expect(check(sort(stream(), [SortOrder.create(col("bytes"), true)]), "append")).toBe(
      "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode",
    );
    const sortedAgg = sort(byAction(stream()), [SortOrder.create(col("count(1)"), false)]);
    expect(check(sortedAgg, "complete")).toBeNull();
    expect(check(sortedAgg, "update")).toContain("Sorting is not supported");
  });

  it("limit is not supported in update mode", () => {
    expect(check(limit(stream(), 5), "update")).toBe("Limits are not supported on streaming DataFrames/Datasets in Update output mode");
    expect(check(limit(stream(), 5), "append")).toBeNull();
  });

  it("distinct aggregations are not supported", () => {
    const q = aggregate(stream(), [col("action")], [AggregateCall.create("count", [col("bytes")], true)]);
    expect(check(q, "update")).toBe("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.");
  });

  it("stream-static joins: inner, and outer only with the stream on the preserved side", () => {
    const staticUsers = batchTable("user STRING, country STRING", []);
    const s = stream("user STRING, action STRING");
    expect(check(join(s, staticUsers, ["user"], "inner"), "append")).toBeNull();
    expect(check(join(s, staticUsers, ["user"], "left_outer"), "append")).toBeNull();
    expect(check(join(s, staticUsers, ["user"], "left_anti"), "append")).toBeNull();
    expect(check(join(s, staticUsers, ["user"], "right_outer"), "append")).toBe(
      "RIGHT OUTER join with a streaming DataFrame/Dataset on the left and a static DataFrame/Dataset on the right is not supported",
    );
    expect(check(join(staticUsers, s, ["user"], "left_outer"), "append")).toBe(
      "LEFT OUTER join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported",
    );
    expect(check(join(s, staticUsers, ["user"], "full_outer"), "append")).toContain("FULL OUTER join");
    expect(check(join(s, stream("user STRING, n INT"), ["user"], "inner"), "append")).toBeNull();
    expect(check(join(s, stream("user STRING, n INT"), ["user"], "inner"), "update")).toBe(
      "Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode",
    );
  });

  it("a second withWatermark on the same stream is rejected, with Spark's sentence and its config", () => {
    expect(check(withWatermark(wm(), "time", "1 minute"), "append")).toBe(
      "Redefining watermark is disallowed. You can set the config 'spark.sql.streaming.statefulOperator.allowMultiple' to 'false' "
      + "to restore the previous behavior. Note that multiple stateful operators will be disallowed.",
    );
  });

  it("with spark.sql.streaming.statefulOperator.allowMultiple=false: a watermark may be redefined, one stateful operator at most", () => {
    const legacy = (plan: LogicalPlan): string | null => {
      try {
        checkStreamingPlan(plan, "append", { allowMultipleStatefulOperators: false });
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(legacy(windowed(withWatermark(wm(), "time", "1 minute")))).toBeNull();
    expect(legacy(deduplicate(windowed(wm()), null))).toBe(
      "Multiple stateful operators are disallowed when 'spark.sql.streaming.statefulOperator.allowMultiple' is 'false'",
    );
  });

  it("a stateful operator after an aggregation needs append mode", () => {
    const dedupAfterAgg = deduplicate(byAction(stream()), null);
    expect(check(dedupAfterAgg, "update")).toBe("dropDuplicates after a streaming aggregation is only supported in append output mode");
  });

  it("batch plans, and the static side of a stream-static join, are not checked", () => {
    const b = batchTable();
    expect(check(limit(sort(b, [col("bytes")]), 1), "update")).toBeNull();
    expect(check(aggregate(aggregate(b, [col("action")], [countStar()]), [], [countStar()]), "update")).toBeNull();
    expect(check(aggregate(b, [col("action")], [AggregateCall.create("count", [col("bytes")], true)]), "append")).toBeNull();
    const staticSide = limit(sort(aggregate(batchTable("user STRING, n INT", []), [col("user")], [AggregateCall.create("count", [col("n")], true)]), [col("user")]), 10);
    expect(check(join(stream("user STRING, action STRING"), staticSide, ["user"], "inner"), "update")).toBeNull();
  });
});
