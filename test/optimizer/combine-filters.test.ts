import { describe, expect, it } from "vitest";
import { registerFunctions } from "../../src/expr/functions/registry.ts";
import { constantVec } from "../../src/expr/vec-ops.ts";
import { CombineFilters } from "../../src/optimizer/combine-filters.ts";
import { filter, scan } from "../../src/plan/plan-builder.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { DoubleType } from "../../src/types/data-types.ts";
import { call, col, eq, fakeSource, gt, lit, long, plan } from "./helpers.ts";

registerFunctions([{
  name: "test_random2",
  deterministic: false,
  resolve: () => ({ args: [], dataType: DoubleType }),
  evaluate: (_args, n) => constantVec(Math.random(), DoubleType, n),
}]);

const logs = () => scan(fakeSource(), false);

describe("CombineFilters", () => {
  it("merges stacked filters into one conjunction, inner first", () => {
    const q = filter(filter(filter(logs(), gt(col("bytes"), long(1))), eq(col("action"), lit("a"))), gt(col("bytes"), long(1)));
    expect(planString(CombineFilters.rewrite(q))).toBe(plan(`
      Filter ((bytes > 1) AND (action = a))
      +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("keeps a non-deterministic inner filter apart", () => {
    const q = filter(filter(logs(), gt(call("test_random2"), lit(0.5))), gt(col("bytes"), long(1)));
    expect(CombineFilters.rewrite(q)).toBe(q);
  });

  it("returns the same plan without stacked filters", () => {
    const q = filter(logs(), gt(col("bytes"), long(1)));
    expect(CombineFilters.rewrite(q)).toBe(q);
  });
});
