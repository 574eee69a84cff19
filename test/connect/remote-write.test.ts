import { toJson } from "@bufbuild/protobuf";
import { afterEach, describe, expect, test } from "vitest";
import { AnalysisError, Session, col, type RemoteSession } from "../../src/index.ts";
import { CommandSchema } from "../../src/connect/gen/spark/connect/commands_pb.ts";
import { sparkError } from "./fake-streaming-handlers.ts";
import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";

const servers: FakeSparkConnectServer[] = [];
const sessions: RemoteSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const base = { sessionId: "s", serverSideSessionId: "srv-1", operationId: "op" };

/** A server that accepts every command (ResultComplete and nothing else, as Spark answers a WriteOperation). */
async function writeServer(fail?: () => Error): Promise<{ server: FakeSparkConnectServer; spark: RemoteSession }> {
  const server = await new FakeSparkConnectServer({
    async *executePlan() {
      if (fail !== undefined) throw fail();
      yield { ...base, responseId: "r1", responseType: { case: "resultComplete" as const, value: {} } };
    },
  }).start();
  servers.push(server);
  const spark = Session.builder().remote(server.url).getOrCreate();
  sessions.push(spark);
  return { server, spark };
}

/** The WriteOperations the server received, as proto3 JSON. */
function writesSent(server: FakeSparkConnectServer): Record<string, any>[] {
  return server.requests("executePlan")
    .filter((r) => r.plan.opType.case === "command")
    .map((r) => toJson(CommandSchema, r.plan.opType.value) as Record<string, any>)
    .map((c) => c.writeOperation);
}

describe("df.write on a remote session: one WriteOperation, as Spark's Scala client sends it", () => {
  test("save(path) with format, mode, options and partitionBy; the default mode is error-if-exists", async () => {
    const { server, spark } = await writeServer();
    const events = spark.read.table("events").filter(col("bytes").gt(1024));
    await events.write.format("parquet").mode("overwrite").option("compression", "zstd").partitionBy("day", "action")
      .save("s3a://bucket/out/big");
    await events.write.json("s3a://bucket/out/json");

    const [first, second] = writesSent(server);
    expect(first!.input.filter).toBeDefined();
    expect({ ...first, input: undefined }).toEqual({
      source: "parquet", path: "s3a://bucket/out/big", mode: "SAVE_MODE_OVERWRITE",
      partitioningColumns: ["day", "action"], options: { compression: "zstd" },
    });
    expect({ ...second, input: undefined }).toEqual({ source: "json", path: "s3a://bucket/out/json", mode: "SAVE_MODE_ERROR_IF_EXISTS" });
  });

  test("save() without a path sends neither path nor table, nor a source never named", async () => {
    const { server, spark } = await writeServer();
    await spark.range(10).write.mode("append").option("path", "/data/ids").save();
    expect({ ...writesSent(server)[0], input: undefined }).toEqual({ mode: "SAVE_MODE_APPEND", options: { path: "/data/ids" } });
  });

  test("saveAsTable with bucketBy/sortBy, insertInto, clusterBy: the table and its save method", async () => {
    const { server, spark } = await writeServer();
    const df = spark.read.table("events");
    await df.write.format("delta").mode("ignore").bucketBy(8, "user").sortBy("time").saveAsTable("events_by_user");
    await df.write.mode("overwrite").insertInto("events_copy");
    await df.write.clusterBy("day").saveAsTable("events_clustered");

    const [saved, inserted, clustered] = writesSent(server).map((w) => ({ ...w, input: undefined }));
    expect(saved).toEqual({
      source: "delta", table: { tableName: "events_by_user", saveMethod: "TABLE_SAVE_METHOD_SAVE_AS_TABLE" },
      mode: "SAVE_MODE_IGNORE", sortColumnNames: ["time"], bucketBy: { bucketColumnNames: ["user"], numBuckets: 8 },
    });
    expect(inserted).toEqual({ table: { tableName: "events_copy", saveMethod: "TABLE_SAVE_METHOD_INSERT_INTO" }, mode: "SAVE_MODE_OVERWRITE" });
    expect(clustered).toEqual({
      table: { tableName: "events_clustered", saveMethod: "TABLE_SAVE_METHOD_SAVE_AS_TABLE" }, mode: "SAVE_MODE_ERROR_IF_EXISTS", clusteringColumns: ["day"],
    });
  });

  test("an unknown save mode fails at the call, as Spark's; a server error comes back as AnalysisError with its class", async () => {
    const { spark } = await writeServer(() => sparkError("[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `t` because it already exists.", {
      classes: ["org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException", "org.apache.spark.sql.AnalysisException"],
      errorClass: "TABLE_OR_VIEW_ALREADY_EXISTS", sqlState: "42P07", messageParameters: { relationName: "`t`" },
    }));
    expect(() => spark.range(1).write.mode("sometimes")).toThrow(/^\[INVALID_SAVE_MODE\]/);
    const error = await spark.range(1).write.saveAsTable("t").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as AnalysisError).message).toBe("[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `t` because it already exists.");
    expect((error as any).sparkError).toMatchObject({ errorClass: "TABLE_OR_VIEW_ALREADY_EXISTS", sqlState: "42P07", messageParameters: { relationName: "`t`" } });
  });
});
