import { describe, expect, test } from "vitest";
import { Session, col, expr } from "../../src/index.ts";
import type { Join } from "../../src/plan/logical-plan.ts";
import { stateValueWatermark } from "../../src/plan/streaming-join/state-watermark.ts";
import { MemoryStream } from "../../src/testing/index.ts";

const spark = Session.builder().getOrCreate();
const S = 1_000_000;

/** The Join of `l` (time lt, watermarked) and `r` (time rt, watermarked) on `condition`. */
function joinOn(condition: string): Join {
  const a = new MemoryStream(spark, "k INT, lt TIMESTAMP");
  const b = new MemoryStream(spark, "rk INT, rt TIMESTAMP");
  const plan = a.toDF().withWatermark("lt", "10 seconds").join(b.toDF().withWatermark("rt", "10 seconds"), expr(condition)).plan;
  expect(plan.kind).toBe("Join");
  return plan as Join;
}

const bound = (join: Join, side: "left" | "right", watermark: number): number | null => stateValueWatermark(join.condition, {
  columns: [...join.left.output, ...join.right.output],
  isStateSide: (i) => (side === "left" ? i < join.left.output.length : i >= join.left.output.length),
}, watermark);

/** Spark's StreamingJoinHelperSuite, in µs: the state watermark each range predicate gives, for an event watermark of 10 s. */
describe("stateValueWatermark (Spark's StreamingJoinHelper)", () => {
  test("strict and non-strict bounds, either operand order", () => {
    expect(bound(joinOn("k = rk AND lt > rt"), "left", 10 * S)).toBe(10 * S);
    expect(bound(joinOn("k = rk AND lt >= rt"), "left", 10 * S)).toBe(10 * S - 1000);
    expect(bound(joinOn("k = rk AND rt < lt"), "left", 10 * S)).toBe(10 * S);
    expect(bound(joinOn("k = rk AND rt <= lt"), "left", 10 * S)).toBe(10 * S - 1000);
    // lt > rt bounds the left state only.
    expect(bound(joinOn("k = rk AND lt > rt"), "right", 10 * S)).toBeNull();
  });

  test("interval offsets on either side", () => {
    expect(bound(joinOn("k = rk AND lt > rt + interval 5 seconds"), "left", 10 * S)).toBe(15 * S);
    expect(bound(joinOn("k = rk AND lt - interval 5 seconds > rt"), "left", 10 * S)).toBe(15 * S);
    expect(bound(joinOn("k = rk AND lt + interval 1 minute > rt"), "left", 120 * S)).toBe(60 * S);
  });

  test("BETWEEN bounds both sides; the tightest of several predicates wins", () => {
    const j = joinOn("k = rk AND lt BETWEEN rt - interval 5 seconds AND rt + interval 5 seconds");
    expect(bound(j, "left", 20 * S)).toBe(15 * S - 1000);
    expect(bound(j, "right", 20 * S)).toBe(15 * S - 1000);
    expect(bound(joinOn("k = rk AND lt > rt AND lt > rt - interval 3 seconds"), "left", 10 * S)).toBe(7 * S);
  });

  test("no bound from equalities, non-time columns or two columns of one side", () => {
    expect(bound(joinOn("k = rk"), "left", 10 * S)).toBeNull();
    expect(bound(joinOn("k = rk AND k > rk"), "left", 10 * S)).toBeNull();
    const a = new MemoryStream(spark, "k INT, lt TIMESTAMP, lt2 TIMESTAMP");
    const b = new MemoryStream(spark, "rk INT, rt TIMESTAMP");
    const plan = a.toDF().withWatermark("lt", "1 second").join(b.toDF().withWatermark("rt", "1 second"), col("k").equalTo(col("rk")).and(expr("lt > lt2"))).plan as Join;
    expect(bound(plan, "left", 10 * S)).toBeNull();
  });
});
