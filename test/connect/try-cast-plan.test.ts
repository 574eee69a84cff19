import { describe, expect, test } from "vitest";
import { Session, col } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";

// A remote session that is never contacted: toConnectPlan shows what would be sent.
const remote = () => Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();

describe("Column.try_cast over Spark Connect", () => {
  test("is a Cast with eval_mode TRY (Spark 4's client); cast sends no eval mode", () => {
    const df = remote().createDataFrame([], "d DOUBLE");
    const [tried, plain] = (toConnectPlan(df.select(col("d").try_cast("int"), col("d").cast("int"))) as any).root.project.expressions;
    expect(tried).toEqual({ cast: { expr: { unresolvedAttribute: { unparsedIdentifier: "d" } }, type: { integer: {} }, evalMode: "EVAL_MODE_TRY" } });
    expect(plain).toEqual({ cast: { expr: { unresolvedAttribute: { unparsedIdentifier: "d" } }, type: { integer: {} } } });
  });
});
