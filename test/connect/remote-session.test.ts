import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { tableFromArrays, tableToIPC, type Table } from "apache-arrow";
import { afterEach, describe, expect, test } from "vitest";
import { AnalysisError, Session, StructType, col, type DataFrame, type RemoteSession } from "../../src/index.ts";
import { ErrorInfoSchema } from "../../src/connect/gen/google/rpc/error_info_pb.ts";
import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";

const servers: FakeSparkConnectServer[] = [];
const sessions: Session<any>[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  delete process.env.SPARK_REMOTE;
});

async function serve(handlers: ConstructorParameters<typeof FakeSparkConnectServer>[0] = {}): Promise<FakeSparkConnectServer> {
  const server = await new FakeSparkConnectServer(handlers).start();
  servers.push(server);
  return server;
}

function remoteSession(url: string): RemoteSession {
  const spark = Session.builder().appName("remote-test").remote(url).getOrCreate();
  sessions.push(spark);
  return spark;
}

const base = { sessionId: "s", serverSideSessionId: "srv-1", operationId: "op" };
function rows(responseId: string, columns: Record<string, number[] | string[]>) {
  const data = tableToIPC(tableFromArrays(columns as Record<string, number[]>) as Table, "stream");
  return { ...base, responseId, responseType: { case: "arrowBatch" as const, value: { rowCount: BigInt(Object.values(columns)[0]!.length), data } } };
}
const complete = (responseId: string) => ({ ...base, responseId, responseType: { case: "resultComplete" as const, value: {} } });

describe("a remote session over Spark Connect", () => {
  test("getOrCreate() contacts nobody; the first action sends the plan its calls built and decodes the Arrow rows", async () => {
    const server = await serve({
      async *executePlan() {
        yield rows("r1", { action: ["buy", "view"], n: [2, 5] });
        yield complete("r2");
      },
    });
    const spark = remoteSession(`${server.url}/;user_id=etl`);
    const df = spark.read.table("events").filter(col("bytes").gt(1024)).groupBy("action").count();
    expect(server.calls).toEqual([]);
    expect(await df.collect()).toEqual([{ action: "buy", n: 2 }, { action: "view", n: 5 }]);
    const [execute] = server.requests("executePlan");
    expect(execute.userContext.userId).toBe("etl");
    const root = execute.plan.opType.value;
    expect(root.relType.case).toBe("aggregate");
    expect(root.relType.value.input.relType.case).toBe("filter");
    expect(server.calls.map((c) => c.method)).toEqual(["analyzePlan", "executePlan", "releaseExecute"]);
  });

  test("schema, columns, dtypes and isStreaming are AnalyzePlan answers, as promises", async () => {
    const server = await serve({
      analyzePlan: async (request) => {
        if (request.analyze.case === "sparkVersion") return { ...base, result: { case: "sparkVersion", value: { version: "4.0.1" } } };
        if (request.analyze.case === "isStreaming") return { ...base, result: { case: "isStreaming", value: { isStreaming: true } } };
        return {
          ...base,
          result: {
            case: "schema",
            value: { schema: { kind: { case: "struct", value: { fields: [
              { name: "time", dataType: { kind: { case: "timestamp", value: {} } }, nullable: true },
              { name: "bytes", dataType: { kind: { case: "long", value: {} } }, nullable: false },
            ] } } } },
          },
        } as never;
      },
    });
    const spark = remoteSession(server.url);
    const df = spark.readStream.schema("time TIMESTAMP, bytes BIGINT").json("/logs");
    const schema = await df.schema;
    expect(schema).toBeInstanceOf(StructType);
    expect(schema.toDDL()).toBe("time TIMESTAMP, bytes BIGINT NOT NULL");
    expect(await df.columns).toEqual(["time", "bytes"]);
    expect(await df.dtypes).toEqual([["time", "timestamp"], ["bytes", "bigint"]]);
    expect(await df.isStreaming).toBe(true);
  });

  test("count() runs groupBy().count() on Spark; take(n) a Limit", async () => {
    const server = await serve({
      async *executePlan(request) {
        const rel = request.plan!.opType.value as any;
        if (rel.relType.case === "aggregate") yield rows("r1", { count: [42] });
        else yield rows("r1", { id: [7] });
        yield complete("r2");
      },
    });
    const spark = remoteSession(server.url);
    const df = spark.createDataFrame([{ id: 7 }], "id INT");
    expect(await df.count()).toBe(42);
    expect(await df.take(1)).toEqual([{ id: 7 }]);
    const plans = server.requests("executePlan").map((r) => r.plan.opType.value.relType.case);
    expect(plans).toEqual(["aggregate", "limit"]);
  });

  test("showString is Spark's ShowString; explain() an AnalyzePlan explain, as promises", async () => {
    const table = "+---+\n| id|\n+---+\n|  1|\n+---+\n";
    const server = await serve({
      async *executePlan() { yield rows("r1", { show_string: [table] }); yield complete("r2"); },
      analyzePlan: async (request) => {
        if (request.analyze.case === "sparkVersion") return { ...base, result: { case: "sparkVersion", value: { version: "4.0.0" } } };
        return { ...base, result: { case: "explain", value: { explainString: "== Physical Plan ==\nRange (0, 1, step=1)" } } } as never;
      },
    });
    const spark = remoteSession(server.url);
    const df = spark.range(1);
    expect(await df.showString(5, false)).toBe(table);
    const show = server.requests("executePlan")[0].plan.opType.value.relType;
    expect(show.case).toBe("showString");
    expect(show.value).toMatchObject({ numRows: 5, truncate: 0, vertical: false });
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => { written.push(chunk); return true; }) as typeof process.stdout.write;
    try { await (df.explain(true) as unknown as Promise<void>); } finally { process.stdout.write = write; }
    expect(written.join("")).toBe("== Physical Plan ==\nRange (0, 1, step=1)\n");
    const explain = server.requests("analyzePlan").find((r) => r.analyze.case === "explain");
    expect(explain.analyze.value.explainMode).toBe(2); // EXPLAIN_MODE_EXTENDED
  });

  test("spark.sql(text) is a SqlCommand; its result relation becomes the DataFrame", async () => {
    const server = await serve({
      async *executePlan(request) {
        const cmd = request.plan!.opType;
        if (cmd.case === "command") {
          yield { ...base, responseId: "r1", responseType: { case: "sqlCommandResult" as const, value: { relation: { relType: { case: "sql", value: { query: "SELECT 1 AS one" } } } } } };
        } else {
          yield rows("r1", { one: [1] });
        }
        yield complete("r2");
      },
    });
    const spark = remoteSession(server.url);
    const df = await (spark.sql("SELECT 1 AS one") as unknown as Promise<DataFrame>);
    expect(await df.collect()).toEqual([{ one: 1 }]);
    const [command, query] = server.requests("executePlan");
    expect(command.plan.opType.value.commandType.value.input.relType.value.query).toBe("SELECT 1 AS one");
    expect(query.plan.opType.value.relType.case).toBe("sql");
  });

  test("Spark's AnalysisException comes back as AnalysisError with its class", async () => {
    const server = await serve({
      // eslint-disable-next-line require-yield
      async *executePlan() {
        throw new ConnectError("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column with name `bytez` cannot be resolved.", Code.Internal, undefined, [{
          desc: ErrorInfoSchema,
          value: create(ErrorInfoSchema, { reason: "org.apache.spark.sql.AnalysisException", metadata: { classes: '["org.apache.spark.sql.AnalysisException"]', errorClass: "UNRESOLVED_COLUMN.WITH_SUGGESTION" } }),
        }]);
      },
    });
    const spark = remoteSession(server.url);
    const failed = spark.read.table("events").select("bytez").collect();
    await expect(failed).rejects.toBeInstanceOf(AnalysisError);
    await expect(failed).rejects.toThrow("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column with name `bytez` cannot be resolved.");
  });

  test("spark.stop() sends ReleaseSession; SPARK_REMOTE makes a builder without remote() remote", async () => {
    const server = await serve({ async *executePlan() { yield rows("r1", { id: [1] }); yield complete("r2"); } });
    process.env.SPARK_REMOTE = server.url;
    const spark = Session.builder().getOrCreate();
    expect(spark.remoteUrl).toBe(server.url);
    await spark.range(3).collect();
    await spark.stop();
    expect(server.requests("releaseSession")).toHaveLength(1);
    expect(server.requests("releaseSession")[0].sessionId).toBe(server.requests("executePlan")[0].sessionId);
  });

  test("a builder without remote() gives a local session even while a remote one is active", async () => {
    const remote = remoteSession("sc://127.0.0.1:15002");
    const local = Session.builder().getOrCreate();
    sessions.push(local);
    expect(local).not.toBe(remote);
    expect(local.remoteUrl).toBeNull();
    expect(await local.createDataFrame([{ a: 1 }], "a INT").collect()).toEqual([{ a: 1 }]);
  });

  test("a malformed URL fails in remote(), the token hidden", () => {
    expect(() => Session.builder().remote("sc://host:abc/")).toThrow("[INVALID_CONNECT_URL] sc://host:abc/: the port must be a number");
    expect(() => Session.builder().remote("sc://host/;token=s3cr3t")).toThrow(/token=\*\*\*.*use_ssl=true/);
  });
});

describe("spark.* settings of a remote session", () => {
  test("go to the server as a Config set before the next call", async () => {
    const server = await serve({ async *executePlan() { yield rows("r1", { id: [1] }); yield complete("r2"); } });
    const spark = remoteSession(server.url);
    spark.conf.set("spark.sql.session.timeZone", "Europe/Paris");
    expect(server.calls).toEqual([]);
    await spark.range(1).collect();
    expect(server.calls.map((c) => c.method)).toEqual(["analyzePlan", "config", "executePlan", "releaseExecute"]);
    expect(server.requests("config")[0].operation.opType.value.pairs).toEqual([expect.objectContaining({ key: "spark.sql.session.timeZone", value: "Europe/Paris" })]);
  });
});
