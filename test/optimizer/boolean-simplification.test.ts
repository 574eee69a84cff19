import { describe, expect, it } from "vitest";
import { Alias, Literal } from "../../src/expr/expression.ts";
import { BooleanSimplification } from "../../src/optimizer/boolean-simplification.ts";
import { filter, project, scan } from "../../src/plan/plan-builder.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { BooleanType } from "../../src/types/data-types.ts";
import { and, call, col, eq, fakeSource, gt, long, plan } from "./helpers.ts";

const TRUE = Literal.create(true, BooleanType);
const FALSE = Literal.create(false, BooleanType);
const logs = (streaming = false) => scan(fakeSource({ schema: "action STRING, bytes LONG, ratio DOUBLE" }), streaming);
const simplify = (p: LogicalPlan) => planString(BooleanSimplification.rewrite(p));

describe("BooleanSimplification", () => {
  it("drops true conjuncts and false disjuncts", () => {
    const q = filter(logs(), and(TRUE, call("or", gt(col("bytes"), long(100)), FALSE)));
    expect(simplify(q)).toBe(plan(`
      Filter (bytes > 100)
      +- Scan json logs/ [action, bytes, ratio]
    `));
  });

  it("short-circuits false AND x and x OR true", () => {
    const q = project(logs(), [
      Alias.create(and(gt(col("bytes"), long(1)), FALSE), "a"),
      Alias.create(call("or", gt(col("bytes"), long(1)), TRUE), "o"),
      Alias.create(and(gt(col("bytes"), long(1)), gt(col("bytes"), long(1))), "same"),
    ]);
    expect(simplify(q)).toBe(plan(`
      Project [false AS a, true AS o, (bytes > 1) AS same]
      +- Scan json logs/ [action, bytes, ratio]
    `));
  });

  it("removes double negation and negates comparisons", () => {
    const q = filter(logs(), and(
      call("not", call("not", gt(col("bytes"), long(1)))),
      and(call("not", eq(col("action"), Literal.create("x", null))), call("not", call("lessthan", col("bytes"), long(9)))),
    ));
    expect(simplify(q)).toBe(plan(`
      Filter ((bytes > 1) AND ((action != x) AND (bytes >= 9)))
      +- Scan json logs/ [action, bytes, ratio]
    `));
  });

  it("does not invert ordering comparisons on doubles (NaN)", () => {
    const q = filter(logs(), call("not", call("lessthan", col("ratio"), col("ratio"))));
    expect(BooleanSimplification.rewrite(q)).toBe(q);
  });

  it("removes a filter that is always true", () => {
    const q = filter(logs(), and(TRUE, TRUE));
    expect(simplify(q)).toBe("Scan json logs/ [action, bytes, ratio]");
  });

  it("replaces a batch filter that is always false or null by an empty relation", () => {
    const empty = BooleanSimplification.rewrite(filter(logs(), and(gt(col("bytes"), long(0)), FALSE)));
    expect(planString(empty)).toBe("LocalRelation empty [action, bytes, ratio]");
    expect(planString(BooleanSimplification.rewrite(filter(logs(), Literal.create(null, BooleanType))))).toBe("LocalRelation empty [action, bytes, ratio]");
  });

  it("keeps Filter false over a stream, which must still be read", () => {
    const q = filter(logs(true), Literal.create(null, BooleanType));
    const once = BooleanSimplification.rewrite(q);
    expect(planString(once)).toBe(plan(`
      Filter false
      +- StreamingScan json logs/ [action, bytes, ratio]
    `));
    expect(BooleanSimplification.rewrite(once)).toBe(once);
  });
});
