import { describe, expect, test } from "vitest";
import { Session, col, explode } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";

// A remote session that is never contacted: toConnectPlan shows what would be sent.
const remote = () => Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();

describe("toConnectPlan: generators", () => {
  test("explode(col).alias(k, v) is Spark's unresolved explode under one alias with both names (MultiAlias)", () => {
    const df = remote().createDataFrame([], "m MAP<STRING, INT>");
    const [item] = (toConnectPlan(df.select(explode(col("m")).alias("k", "v"))) as any).root.project.expressions;
    expect(item.alias.name).toEqual(["k", "v"]);
    expect(item.alias.expr.unresolvedFunction.functionName).toBe("explode");
    expect(item.alias.expr.unresolvedFunction.arguments).toEqual([{ unresolvedAttribute: { unparsedIdentifier: "m" } }]);
  });
});
