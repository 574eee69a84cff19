import { DataStreamWriter } from "../../api/data-stream-writer.ts";
import type { Dataset } from "../../api/dataset.ts";
import type { StreamingQuery } from "../../api/streaming-query.ts";
import type { WriteStreamOperationStart } from "../gen/spark/connect/commands_pb.ts";
import { writeStreamOperationStart, type SinkDestination } from "../plan/write-stream.ts";
import { startRemoteQuery } from "../remote-streaming.ts";
import { foreachBatchRefused, jdbcSinkRefused } from "../unsupported.ts";
import type { RemoteDataset } from "./remote-dataset.ts";

/**
 * A remote session's DataStreamWriter: `start()`/`toTable()` send a
 * WriteStreamOperationStart command and give a Promise of the query Spark started.
 * What only this process can run — foreachBatch functions, the JDBC sink — is refused
 * where it is written.
 */
export class RemoteDataStreamWriter<T> extends DataStreamWriter<T> {
  constructor(readonly remote: RemoteDataset<T>) {
    super(remote);
  }

  override format(source: string): this {
    if (source.toLowerCase() === "jdbc") throw jdbcSinkRefused();
    return super.format(source);
  }

  override foreachBatch(_fn: (df: Dataset<T>, batchId: number) => unknown): this {
    throw foreachBatchRefused();
  }

  /** @internal The command `start()` (or `toTable`) sends, without sending it. */
  command(destination: SinkDestination = null): WriteStreamOperationStart {
    return writeStreamOperationStart(this.remote.relation, this.settings, destination);
  }

  start(path?: string): StreamingQuery {
    return this.#send(path === undefined ? null : { path }) as unknown as StreamingQuery;
  }

  toTable(tableName: string): StreamingQuery {
    return this.#send({ tableName }) as unknown as StreamingQuery;
  }

  #send(destination: SinkDestination): Promise<StreamingQuery> {
    return startRemoteQuery(this.remote.backend.client, this.command(destination));
  }
}
