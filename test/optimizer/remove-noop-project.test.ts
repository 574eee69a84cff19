import { describe, expect, it } from "vitest";
import { Alias } from "../../src/expr/expression.ts";
import { RemoveNoopProject } from "../../src/optimizer/remove-noop-project.ts";
import { filter, project, scan } from "../../src/plan/plan-builder.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { col, fakeSource, gt, long, plan } from "./helpers.ts";

const logs = () => scan(fakeSource({ schema: "action STRING, bytes LONG" }), false);

describe("RemoveNoopProject", () => {
  it("removes a projection of exactly the input columns", () => {
    const q = project(filter(project(logs(), [col("action"), Alias.create(col("bytes"), "bytes")]), gt(col("bytes"), long(1))), [col("action"), col("bytes")]);
    expect(planString(RemoveNoopProject.rewrite(q))).toBe(plan(`
      Filter (bytes > 1)
      +- Scan json logs/ [action, bytes]
    `));
  });

  it("keeps projections that reorder, rename, drop or compute", () => {
    for (const exprs of [[col("bytes"), col("action")], [col("action"), Alias.create(col("bytes"), "b")], [col("action")]]) {
      const q = project(logs(), exprs);
      expect(RemoveNoopProject.rewrite(q)).toBe(q);
    }
  });
});
