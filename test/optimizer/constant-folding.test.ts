import { describe, expect, it } from "vitest";
import { Alias, Case, Cast } from "../../src/expr/expression.ts";
import { registerFunctions } from "../../src/expr/functions/registry.ts";
import { constantVec } from "../../src/expr/vec-ops.ts";
import { ConstantFolding } from "../../src/optimizer/constant-folding.ts";
import { filter, project, scan } from "../../src/plan/plan-builder.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { DoubleType, StringType } from "../../src/types/data-types.ts";
import { call, col, fakeSource, gt, lit, plan } from "./helpers.ts";

registerFunctions([{
  name: "test_random",
  deterministic: false,
  resolve: () => ({ args: [], dataType: DoubleType }),
  evaluate: (_args, n) => constantVec(Math.random(), DoubleType, n),
}]);

const logs = () => scan(fakeSource(), false);
const fold = (p: Parameters<typeof ConstantFolding.rewrite>[0]) => planString(ConstantFolding.rewrite(p));

describe("ConstantFolding", () => {
  it("folds casts and calls over literals", () => {
    const q = filter(logs(), gt(col("bytes"), call("add", lit(40), call("multiply", lit(6), lit(10)))));
    expect(planString(q)).toBe(plan(`
      Filter (bytes > CAST((40 + (6 * 10)) AS BIGINT))
      +- Scan json logs/ [time, action, bytes, user]
    `));
    expect(fold(q)).toBe(plan(`
      Filter (bytes > 100)
      +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("keeps the column name of a folded projection", () => {
    const q = project(logs(), [call("multiply", col("bytes"), call("add", lit(2), lit(3))), Alias.create(call("upper", lit("ab")), "u")]);
    expect(q.output.map((c) => c.name)).toEqual(["(bytes * (2 + 3))", "u"]);
    const folded = ConstantFolding.rewrite(q);
    expect(planString(folded)).toBe(plan(`
      Project [(bytes * 5) AS (bytes * (2 + 3)), AB AS u]
      +- Scan json logs/ [time, action, bytes, user]
    `));
    expect(folded.output).toBe(q.output);
  });

  it("folds a null-intolerant call with a null argument to null", () => {
    const q = project(logs(), [Alias.create(call("add", col("bytes"), Cast.create(lit(null), DoubleType)), "x")]);
    expect(fold(q)).toBe(plan(`
      Project [NULL AS x]
      +- Scan json logs/ [time, action, bytes, user]
    `));
  });

  it("does not fold non-deterministic calls", () => {
    const q = filter(logs(), gt(call("test_random"), lit(0.5)));
    expect(ConstantFolding.rewrite(q)).toBe(q);
  });

  it("drops CASE branches with literal conditions", () => {
    const q = project(logs(), [Alias.create(Case.create([
      [gt(lit(1), lit(2)), lit("a")],
      [gt(col("bytes"), lit(0)), lit("b")],
      [gt(lit(2), lit(1)), lit("c")],
    ], lit("d")), "k")]);
    expect(fold(q)).toBe(plan(`
      Project [CASE WHEN (bytes > 0) THEN b ELSE c END AS k]
      +- Scan json logs/ [time, action, bytes, user]
    `));
    const folded = ConstantFolding.rewrite(ConstantFolding.rewrite(q));
    expect(folded).toBe(ConstantFolding.rewrite(folded));
  });

  it("returns the same plan when there is nothing to fold", () => {
    const q = project(filter(logs(), gt(col("bytes"), col("bytes"))), [col("action"), Alias.create(lit("x"), "s")]);
    expect(ConstantFolding.rewrite(q)).toBe(q);
    expect(q.output[1]!.dataType).toBe(StringType);
  });
});
