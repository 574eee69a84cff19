import { randomUUID } from "node:crypto";
import { tableToIPC } from "apache-arrow";
import { toArrowTable } from "../columnar/arrow-convert.ts";
import { rowsToBatch } from "../columnar/values.ts";
import { ExecutionError } from "../common/errors.ts";
import type { DataFrame } from "../api/dataset.ts";
import type { Session } from "../session/session.ts";
import { sqlArgumentsOf, type LocalOnlyFeature, type SessionBackend, type SourceRead, type SqlArgs } from "../session/session-backend.ts";
import { registerRemoteBackend } from "../session/remote-backend.ts";
import { Column } from "../api/column.ts";
import { lit } from "../api/functions.ts";
import { columnToProto } from "./plan/column-to-proto.ts";
import type { StreamingQueryManager } from "../session/streaming-query-manager.ts";
import type { StructType } from "../types/data-types.ts";
import { parseSchema } from "../types/ddl.ts";
import { RemoteDataset } from "./api/remote-dataset.ts";
import { ConnectChannel } from "./channel.ts";
import type { ConnectionString } from "./connection-string.ts";
import type { Relation } from "./gen/spark/connect/relations_pb.ts";
import { sparkDdl, sparkSchemaJson } from "./plan/data-types.ts";
import { RelationBuilder } from "./plan/relations.ts";
import { closeRemoteStreams, remoteStreams } from "./remote-streaming.ts";
import { SparkConnectClient, type ExecuteResult } from "./spark-connect-client.ts";
import { RemoteCatalog } from "./remote-catalog.ts";
import { RemoteRuntimeConfig } from "./remote-runtime-config.ts";
import { dstreamsRefused, localOnly } from "./unsupported.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { AnalyzePlanRequestSchema, AnalyzePlanResponse, PlanSchema } from "./gen/spark/connect/base_pb.ts";

const FLUME_FORMATS = ["flume", "flume-polling"];
/** `INSERT INTO sink SELECT … FROM STREAM(t)`: rivulet's streaming INSERT, which starts a query in this process. */
const STREAMING_INSERT = /^\s*INSERT\s[\s\S]*\bSTREAM\s*\(/i;

/**
 * Spark's `connect` side: DataFrames are the unresolved Relations their calls built
 * (plan ids from one counter per session), sent to a Spark Connect server when an
 * answer is needed. Making the session contacts nobody; the first call that needs the
 * server does.
 */
export class RemoteSessionBackend implements SessionBackend {
  readonly isRemote = true;
  readonly relations = new RelationBuilder();
  readonly client: SparkConnectClient;
  readonly catalog = new RemoteCatalog(this);
  #streams: StreamingQueryManager | null = null;
  #conf: RemoteRuntimeConfig | null = null;

  constructor(readonly session: Session, readonly connection: ConnectionString) {
    this.client = new SparkConnectClient(new ConnectChannel(connection));
  }

  createConf(): RemoteRuntimeConfig {
    this.#conf = new RemoteRuntimeConfig();
    return this.#conf;
  }

  requireLocal(feature: LocalOnlyFeature): void {
    throw feature === "DStreams" ? dstreamsRefused() : localOnly(feature);
  }

  /** ExecutePlan, after sending the `spark.*` settings made since the last call. */
  async execute(plan: MessageInitShape<typeof PlanSchema>): Promise<ExecuteResult> {
    await this.#sendConf();
    return this.client.execute(plan);
  }

  async analyze(analyze: MessageInitShape<typeof AnalyzePlanRequestSchema>["analyze"]): Promise<AnalyzePlanResponse> {
    await this.#sendConf();
    return this.client.analyze(analyze);
  }

  async #sendConf(): Promise<void> {
    const pending = this.#conf?.takePending() ?? [];
    if (pending.length > 0) await this.client.setConf(pending);
  }

  get streams(): StreamingQueryManager {
    this.#streams ??= remoteStreams(this.client);
    return this.#streams;
  }

  /** @internal A DataFrame of this session over `relation`. */
  dataset<T = any>(relation: Relation): RemoteDataset<T> {
    return new RemoteDataset<T>(this, relation);
  }

  /**
   * Format, schema as given, options and paths as written: the cluster's paths, never read here.
   * A schema string goes as written (the issue; PySpark and Scala's readStream do so, Scala's
   * batch reader would normalise it through toDDL). A StructType goes as Scala 4.0's client
   * sends it: `toDDL` for `read`, Spark's JSON for `readStream` ("DDL does not retain all the
   * attributes"; PySpark sends JSON for both).
   */
  readSource(read: SourceRead, streaming: boolean): RemoteDataset<any> {
    if (read.format !== null && FLUME_FORMATS.includes(read.format.toLowerCase())) this.requireLocal("Flume sources");
    const schema = read.schemaText
      ?? (read.schema === null ? undefined : streaming ? sparkSchemaJson(read.schema) : sparkDdl(read.schema));
    return this.dataset(this.relations.readDataSource({
      ...(read.format === null ? {} : { format: read.format }),
      ...(schema === undefined ? {} : { schema }),
      options: { ...read.options }, paths: read.paths,
    }, streaming));
  }

  readTable(name: string, options: Readonly<Record<string, string>>, streaming: boolean | null): RemoteDataset {
    return this.dataset(this.relations.readTable(name, { ...options }, streaming === true));
  }

  /** A LocalRelation: the schema as Spark's JSON, the rows as one Arrow IPC stream (none when there are none). */
  createDataFrame(rows: readonly unknown[], schema: StructType | string): RemoteDataset<any> {
    const s = typeof schema === "string" ? parseSchema(schema) : schema;
    const data = rows.length === 0 ? null : tableToIPC(toArrowTable(s, [rowsToBatch(s, rows, "createDataFrame")]), "stream");
    return this.dataset(this.relations.localRelation(sparkSchemaJson(s), data));
  }

  range(start: number, end: number, step: number, numPartitions?: number): RemoteDataset {
    return this.dataset(this.relations.range(start, end, step, numPartitions));
  }

  /** Spark Connect's newSession(): the same server and settings under a new session id (a new server-side session). */
  newSessionConnection(): ConnectionString {
    return { ...this.connection, sessionId: randomUUID() };
  }

  /** A SqlCommand: Spark parses the text (and runs DDL); its answer is the Relation of the result. */
  sql(sqlText: string, args?: SqlArgs): Promise<DataFrame<"remote">> {
    if (STREAMING_INSERT.test(sqlText)) this.requireLocal("streaming INSERT INTO … FROM STREAM(t)");
    return this.#sql(sqlText, args);
  }

  /** Arguments travel as expressions (`named_arguments` / `pos_arguments`), as Spark 4's client sends them. */
  async #sql(sqlText: string, args: SqlArgs | undefined): Promise<DataFrame<"remote">> {
    const { named, positional } = sqlArgumentsOf(args);
    const asProto = (v: unknown) => columnToProto(v instanceof Column ? v : lit(v));
    const query = {
      query: sqlText,
      namedArguments: named === null ? {} : Object.fromEntries([...named].map(([k, v]) => [k, asProto(v)])),
      posArguments: positional === null ? [] : positional.map(asProto),
    };
    const result = await this.execute({
      opType: { case: "command", value: { commandType: { case: "sqlCommand", value: { input: { relType: { case: "sql", value: query } } } } } },
    });
    const answer = result.results.find((r) => r.case === "sqlCommandResult");
    const relation = answer?.case === "sqlCommandResult" ? answer.value.relation : undefined;
    if (relation === undefined) throw new ExecutionError(`Spark answered the SQL command without a result relation: ${sqlText}`);
    return this.dataset(this.relations.adopt(relation));
  }

  /** ReleaseSession: Spark may free the session's state (only when it was ever contacted). */
  async stop(): Promise<void> {
    // As Spark's client: the listener bus closes before the session is released.
    await closeRemoteStreams(this.client);
    await this.client.releaseSession();
  }
}

// Session loads this module at the first remote session (session/remote-backend.ts), not at import.
registerRemoteBackend((session, connection) => new RemoteSessionBackend(session, connection));
