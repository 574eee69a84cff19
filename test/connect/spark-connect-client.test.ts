import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { tableFromArrays, tableToIPC, type Table } from "apache-arrow";
import { afterEach, describe, expect, test } from "vitest";
import { AnalysisError, ExecutionError } from "../../src/common/errors.ts";
import { ConnectChannel } from "../../src/connect/channel.ts";
import { parseConnectionString } from "../../src/connect/connection-string.ts";
import { ErrorInfoSchema } from "../../src/connect/gen/google/rpc/error_info_pb.ts";
import { SparkConnectClient } from "../../src/connect/spark-connect-client.ts";
import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";

const servers: FakeSparkConnectServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.stop())); });
const FAST_RETRIES = { maxRetries: 3, initialBackoffMs: 20, maxBackoffMs: 200, multiplier: 2 };

async function serve(handlers: ConstructorParameters<typeof FakeSparkConnectServer>[0] = {}): Promise<FakeSparkConnectServer> {
  const server = await new FakeSparkConnectServer(handlers).start();
  servers.push(server);
  return server;
}

function clientFor(url: string): SparkConnectClient {
  return new SparkConnectClient(new ConnectChannel(parseConnectionString(url, "1.2.3"), FAST_RETRIES));
}

/** One ExecutePlanResponse carrying rows as Spark sends them: an Arrow IPC stream per batch. */
function arrowResponse(responseId: string, columns: Record<string, number[] | string[]>) {
  const data = tableToIPC(tableFromArrays(columns as Record<string, number[]>) as Table, "stream");
  return { sessionId: "s", serverSideSessionId: "srv-1", operationId: "op", responseId, responseType: { case: "arrowBatch" as const, value: { rowCount: BigInt(Object.values(columns)[0]!.length), data } } };
}
const complete = (responseId: string) => ({ sessionId: "s", serverSideSessionId: "srv-1", operationId: "op", responseId, responseType: { case: "resultComplete" as const, value: {} } });

describe("the Spark Connect client's calls", () => {
  test("every request carries the session, the user context, the client type and the headers of the URL", async () => {
    const server = await serve();
    const client = clientFor(`sc://127.0.0.1:${0}/;user_id=etl;x-trace=abc`.replace(":0/", `:${server.port}/`));
    expect(await client.sparkVersion()).toBe("4.0.0");
    const [request] = server.requests("analyzePlan");
    expect(request).toMatchObject({ sessionId: client.sessionId, userContext: { userId: "etl" }, clientType: "rivulet/1.2.3" });
    const headers = server.calls[0]!.headers;
    expect(headers.get("x-trace")).toBe("abc");
    expect(headers.get("user-agent")).toContain("rivulet/1.2.3");
    expect(headers.get("authorization")).toBeNull();
  });

  test("a server older than Spark 4.0 is refused by its version", async () => {
    const server = await serve();
    server.sparkVersion = "3.5.1";
    await expect(clientFor(server.url).sparkVersion()).rejects.toThrow(
      `[UNSUPPORTED_SPARK_VERSION] the Spark Connect server at 127.0.0.1:${server.port} runs Spark 3.5.1; rivulet needs Spark 4.0 or newer`,
    );
  });

  test("nobody listening: retried with backoff, then CONNECT_UNAVAILABLE naming the server and how to start one", async () => {
    const server = await serve();
    const port = server.port;
    await server.stop();
    const started = Date.now();
    await expect(clientFor(`sc://127.0.0.1:${port}`).sparkVersion()).rejects.toThrow(
      new RegExp(`^\\[CONNECT_UNAVAILABLE\\] cannot reach the Spark Connect server at 127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED .*\\): is it running \\(\\$SPARK_HOME/sbin/start-connect-server\\.sh\\)\\?$`),
    );
    // 20 + 40 + 80 ms of backoff between the four attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("a server that comes up while the client retries is reached", async () => {
    const probe = await serve();
    const port = probe.port;
    await probe.stop();
    const client = new SparkConnectClient(new ConnectChannel(parseConnectionString(`sc://127.0.0.1:${port}`, "1"), { maxRetries: 8, initialBackoffMs: 50, maxBackoffMs: 400, multiplier: 2 }));
    const version = client.sparkVersion();
    await new Promise((r) => setTimeout(r, 120));
    const server = await new FakeSparkConnectServer().start(port);
    servers.push(server);
    expect(await version).toBe("4.0.0");
  });

  test("ExecutePlan: Arrow batches decoded; a stream cut mid-way is reattached from the last response, then released", async () => {
    const server = await serve({
      async *executePlan() {
        yield arrowResponse("r1", { id: [1, 2], name: ["a", "b"] });
        throw new ConnectError("connection reset", Code.Unavailable);
      },
      async *reattachExecute() {
        yield arrowResponse("r2", { id: [3], name: ["c"] });
        yield complete("r3");
      },
    });
    const client = clientFor(server.url);
    const result = await client.execute({ opType: { case: "root", value: { relType: { case: "sql", value: { query: "SELECT * FROM t" } } } } });
    expect(result.batches.flatMap((b) => b.toArray().map((r) => r.toJSON()))).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }]);
    const [execute] = server.requests("executePlan");
    expect(execute.operationId).toBe(result.operationId);
    expect(execute.requestOptions[0].requestOption).toMatchObject({ case: "reattachOptions", value: { reattachable: true } });
    expect(server.requests("reattachExecute")).toEqual([expect.objectContaining({ operationId: result.operationId, lastResponseId: "r1", clientObservedServerSideSessionId: "srv-1" })]);
    expect(server.requests("releaseExecute")).toEqual([expect.objectContaining({ operationId: result.operationId, release: { case: "releaseAll", value: expect.anything() } })]);
  });

  test("server errors keep Spark's error class, SQL state and parameters: AnalysisException → AnalysisError, others → ExecutionError", async () => {
    const info = (classes: string[], errorClass: string, sqlState: string, params: Record<string, string>) => create(ErrorInfoSchema, {
      reason: classes[0]!, domain: "org.apache.spark",
      metadata: { classes: JSON.stringify(classes), errorClass, sqlState, messageParameters: JSON.stringify(params) },
    });
    let fail = "analysis";
    const server = await serve({
      // eslint-disable-next-line require-yield
      async *executePlan() {
        if (fail === "analysis") {
          throw new ConnectError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `logs` cannot be found.", Code.Internal, undefined,
            [{ desc: ErrorInfoSchema, value: info(["org.apache.spark.sql.AnalysisException"], "TABLE_OR_VIEW_NOT_FOUND", "42P01", { relationName: "`logs`" }) }]);
        }
        throw new ConnectError("Job aborted", Code.Internal, undefined,
          [{ desc: ErrorInfoSchema, value: info(["org.apache.spark.SparkException"], "DIVIDE_BY_ZERO", "22012", {}) }]);
      },
    });
    const client = clientFor(server.url);
    const plan = { opType: { case: "root" as const, value: { relType: { case: "sql" as const, value: { query: "SELECT * FROM logs" } } } } };
    const analysis = await client.execute(plan).catch((e: unknown) => e);
    expect(analysis).toBeInstanceOf(AnalysisError);
    expect((analysis as Error).message).toBe("[TABLE_OR_VIEW_NOT_FOUND] The table or view `logs` cannot be found.");
    expect((analysis as AnalysisError & { sparkError: unknown }).sparkError).toEqual({
      errorClass: "TABLE_OR_VIEW_NOT_FOUND", sqlState: "42P01", messageParameters: { relationName: "`logs`" }, classes: ["org.apache.spark.sql.AnalysisException"],
    });
    fail = "execution";
    const execution = await client.execute(plan).catch((e: unknown) => e);
    expect(execution).toBeInstanceOf(ExecutionError);
    expect((execution as Error).message).toBe("[DIVIDE_BY_ZERO] Job aborted");
  });

  test("ReleaseSession is sent only for a session that contacted the server", async () => {
    const server = await serve();
    await clientFor(server.url).releaseSession();
    expect(server.requests("releaseSession")).toHaveLength(0);
    const client = clientFor(server.url);
    await client.sparkVersion();
    await client.releaseSession();
    expect(server.requests("releaseSession")).toEqual([expect.objectContaining({ sessionId: client.sessionId })]);
  });
});
