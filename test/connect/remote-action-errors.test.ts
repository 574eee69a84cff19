import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, test } from "vitest";
import { AnalysisError, ExecutionError, Session, col, type RemoteSession } from "../../src/index.ts";
import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";
import { sparkError } from "./fake-streaming-handlers.ts";

const servers: FakeSparkConnectServer[] = [];
const sessions: RemoteSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const ERROR_ID = "0b6f9c1e-2d3a-4b5c-8d7e-6f5a4b3c2d1e";
const ANALYSIS = ["org.apache.spark.sql.catalyst.ExtendedAnalysisException", "org.apache.spark.sql.AnalysisException", "java.lang.Exception", "java.lang.Throwable"];
const ARITHMETIC = ["org.apache.spark.SparkArithmeticException", "java.lang.ArithmeticException", "java.lang.RuntimeException", "java.lang.Throwable"];
const longName = "c".repeat(3000);

/** The server's full record of one error (what FetchErrorDetails answers for ERROR_ID). */
function fullError(request: { sessionId: string }, classes: string[], message: string, errorClass: string, sqlState: string, messageParameters: Record<string, string>) {
  return {
    sessionId: request.sessionId, serverSideSessionId: "srv-1", rootErrorIdx: 0,
    errors: [{ errorTypeHierarchy: classes, message, sparkThrowable: { errorClass, sqlState, messageParameters } }],
  };
}

async function session(server: FakeSparkConnectServer): Promise<RemoteSession> {
  servers.push(await server.start());
  const spark = Session.builder().remote(server.url).getOrCreate();
  sessions.push(spark);
  return spark;
}

describe("errors of DataFrame actions keep Spark's error class (status details, then FetchErrorDetails)", () => {
  test("collect(): an AnalysisException whose class and parameters did not fit the metadata comes back whole, as AnalysisError", async () => {
    const message = `[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name \`${longName}\` cannot be resolved. Did you mean one of the following? [\`action\`, \`bytes\`]. SQLSTATE: 42703`;
    const spark = await session(new FakeSparkConnectServer({
      // As Spark's ErrorUtils when the parameters are too long: no errorClass/messageParameters, the message cut, the errorId kept.
      async *executePlan() { throw sparkError(message.slice(0, 512), { classes: ANALYSIS, sqlState: "42703", errorId: ERROR_ID }); },
      fetchErrorDetails: async (request) => fullError(request, ANALYSIS, message, "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
        { objectName: `\`${longName}\``, proposal: "[`action`, `bytes`]" }),
    }));
    const error = await spark.read.table("events").select(col(longName)).collect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as Error).message).toBe(message);
    expect((error as any).sparkError).toMatchObject({
      errorClass: "UNRESOLVED_COLUMN.WITH_SUGGESTION", sqlState: "42703", errorId: ERROR_ID,
      messageParameters: { objectName: `\`${longName}\``, proposal: "[`action`, `bytes`]" },
    });
    const [fetched] = servers[0]!.requests("fetchErrorDetails");
    expect(fetched.errorId).toBe(ERROR_ID);
  });

  test("count() failing at run time: ExecutionError with the fetched class; df.schema: AnalysisError from AnalyzePlan", async () => {
    const divide = "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. SQLSTATE: 22012";
    const spark = await session(new FakeSparkConnectServer({
      async *executePlan() { throw sparkError(divide, { classes: ARITHMETIC, errorId: ERROR_ID }); },
      analyzePlan: async (request) => {
        if (request.analyze.case === "sparkVersion") return { sessionId: request.sessionId, serverSideSessionId: "srv-1", result: { case: "sparkVersion", value: { version: "4.0.1" } } };
        throw sparkError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. SQLSTATE: 42P01", {
          classes: ANALYSIS, errorClass: "TABLE_OR_VIEW_NOT_FOUND", sqlState: "42P01", messageParameters: { relationName: "`nope`" },
        });
      },
      fetchErrorDetails: async (request) => fullError(request, ARITHMETIC, divide, "DIVIDE_BY_ZERO", "22012", { config: "\"spark.sql.ansi.enabled\"" }),
    }));
    const failed = await spark.range(10).selectExpr("id / 0").count().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ExecutionError);
    expect(failed).not.toBeInstanceOf(AnalysisError);
    expect((failed as any).sparkError).toMatchObject({ errorClass: "DIVIDE_BY_ZERO", sqlState: "22012", messageParameters: { config: "\"spark.sql.ansi.enabled\"" } });

    const missing = await spark.table("nope").schema.catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AnalysisError);
    expect((missing as Error).message).toBe("[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. SQLSTATE: 42P01");
    expect((missing as any).sparkError).toMatchObject({ errorClass: "TABLE_OR_VIEW_NOT_FOUND", sqlState: "42P01", messageParameters: { relationName: "`nope`" } });
    // The AnalyzePlan error had no errorId: only the ExecutePlan error was fetched.
    expect(servers[0]!.requests("fetchErrorDetails")).toHaveLength(1);
  });

  test("a server that no longer has the error: the status details stand on their own", async () => {
    const spark = await session(new FakeSparkConnectServer({
      async *executePlan() { throw sparkError("[INTERNAL_ERROR] boom SQLSTATE: XX000", { classes: ["org.apache.spark.SparkException"], sqlState: "XX000", errorId: ERROR_ID }); },
      fetchErrorDetails: async () => { throw new ConnectError("gone", Code.NotFound); },
    }));
    const error = await spark.range(1).collect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionError);
    expect((error as Error).message).toBe("[INTERNAL_ERROR] boom SQLSTATE: XX000");
    expect((error as any).sparkError).toMatchObject({ errorClass: null, sqlState: "XX000", classes: ["org.apache.spark.SparkException"] });
  });
});
