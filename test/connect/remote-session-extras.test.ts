import { afterEach, describe, expect, test } from "vitest";
import { Session, Window, row_number, sum, type RemoteSession } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";
import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";

const servers: FakeSparkConnectServer[] = [];
const sessions: RemoteSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const base = { sessionId: "s", serverSideSessionId: "srv-1" };
const field = (name: string, kind: string) => ({ name, dataType: { kind: { case: kind, value: {} } }, nullable: true });
const attr = (name: string, planId: string) => ({ unresolvedAttribute: { unparsedIdentifier: name, planId } });
const fn = (functionName: string, ...args: unknown[]) => ({ unresolvedFunction: { functionName, arguments: args, isInternal: false } });

function never(): RemoteSession {
  return Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
}

describe("groupBy(…).sum() and friends without column names on a remote session", () => {
  test("aggregate every numeric column of the input, learnt from the server's schema first (as PySpark's Connect client)", async () => {
    const server = await new FakeSparkConnectServer({
      analyzePlan: async (request) => {
        if (request.analyze.case === "sparkVersion") return { ...base, result: { case: "sparkVersion", value: { version: "4.0.1" } } };
        return { ...base, result: { case: "schema", value: { schema: { kind: { case: "struct", value: { fields: [
          field("action", "string"), field("bytes", "long"), field("ms", "double"), field("time", "timestamp"),
        ] } } } } } } as never;
      },
    }).start();
    servers.push(server);
    const spark = Session.builder().remote(server.url).getOrCreate();
    sessions.push(spark);
    const events = spark.read.table("events");
    const grouped = events.groupBy("action");
    const sums = await grouped.sum();
    const avgs = await grouped.avg();
    const named = grouped.max("bytes");

    const planId: string = (toConnectPlan(events) as any).root.common.planId;
    const aggregates = (df: object) => (toConnectPlan(df) as any).root.aggregate.aggregateExpressions;
    expect(aggregates(sums)).toEqual([fn("sum", attr("bytes", planId)), fn("sum", attr("ms", planId))]);
    expect(aggregates(avgs)).toEqual([fn("avg", attr("bytes", planId)), fn("avg", attr("ms", planId))]);
    expect(aggregates(named)).toEqual([fn("max", attr("bytes", planId))]);
    // The schema asked for is the grouped DataFrame's input.
    const asked = server.requests("analyzePlan").filter((r) => r.analyze.case === "schema");
    expect(asked).toHaveLength(2);
    expect(String(asked[0].analyze.value.plan.opType.value.common.planId)).toBe(planId);
  });
});

describe("window frames on a remote session: Spark 4.0's WindowSpec frame", () => {
  test("rowsBetween: integer offsets, currentRow, unbounded; rangeBetween: long offsets", () => {
    const events = never().read.table("events");
    const byUser = Window.partitionBy("user").orderBy("time");
    const df = events.select(
      sum("bytes").over(byUser.rowsBetween(-3, Window.currentRow)).as("last4"),
      sum("bytes").over(byUser.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)).as("all"),
      sum("bytes").over(Window.partitionBy("user").orderBy("ts").rangeBetween(-3600, 0)).as("lastHour"),
      row_number().over(byUser).as("n"),
    );
    const [last4, all, lastHour, n] = (toConnectPlan(df) as any).root.project.expressions.map((e: any) => e.alias.expr.window);
    expect(last4.frameSpec).toEqual({ frameType: "FRAME_TYPE_ROW", lower: { value: { literal: { integer: -3 } } }, upper: { currentRow: true } });
    expect(all.frameSpec).toEqual({ frameType: "FRAME_TYPE_ROW", lower: { unbounded: true }, upper: { unbounded: true } });
    expect(lastHour.frameSpec).toEqual({ frameType: "FRAME_TYPE_RANGE", lower: { value: { literal: { long: "-3600" } } }, upper: { currentRow: true } });
    expect(n.frameSpec).toBeUndefined();
    expect(last4.partitionSpec).toEqual([{ unresolvedAttribute: { unparsedIdentifier: "user" } }]);
    expect(() => toConnectPlan(events.select(sum("bytes").over(byUser.rowsBetween(-1.5, 0)))))
      .toThrow(/^\[INVALID_BOUNDARY\.START\]/);
  });
});

describe("newSession() on a remote session", () => {
  test("a new session id on the same server; the first session keeps its own", async () => {
    const server = await new FakeSparkConnectServer({
      async *executePlan() { yield { ...base, operationId: "op", responseId: "r1", responseType: { case: "resultComplete" as const, value: {} } }; },
    }).start();
    servers.push(server);
    const spark = Session.builder().remote(server.url).getOrCreate();
    const other = spark.newSession();
    sessions.push(spark, other);
    expect(other.remoteUrl).toBe(spark.remoteUrl);
    await spark.range(1).createOrReplaceTempView("a");
    await other.range(1).createOrReplaceTempView("b");
    const [first, second] = server.requests("executePlan").map((r) => r.sessionId as string);
    expect(first).not.toBe(second);
    expect(second).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
