import { DataStreamWriter } from "../../api/data-stream-writer.ts";
import type { Dataset } from "../../api/dataset.ts";
import type { RemoteStreamingQuery } from "../remote-streaming-query.ts";
import type { WriteStreamOperationStart } from "../gen/spark/connect/commands_pb.ts";
import { writeStreamOperationStart, type SinkDestination } from "../plan/write-stream.ts";
import { startRemoteQuery } from "../remote-streaming.ts";
import { foreachBatchRefused, jdbcSinkRefused } from "../unsupported.ts";
import type { ForeachWriterLike } from "../../api/foreach-writer.ts";
import type { RemoteDataset } from "./remote-dataset.ts";

/**
 * A remote session's DataStreamWriter: `start()`/`toTable()` send a
 * WriteStreamOperationStart command and give a Promise of the query Spark started.
 * What only this process can run — foreachBatch functions, the JDBC sink — is refused
 * where it is written.
 */
export class RemoteDataStreamWriter<T> extends DataStreamWriter<T, "remote"> {
  constructor(readonly remote: RemoteDataset<T>) {
    super(remote);
  }

  override format(source: string): this {
    if (source.toLowerCase() === "jdbc") throw jdbcSinkRefused();
    return super.format(source);
  }

  override foreachBatch(_fn: (df: Dataset<T, any>, batchId: number) => unknown): this {
    throw foreachBatchRefused();
  }

  override foreach(_writer: ForeachWriterLike<T>): this {
    throw foreachBatchRefused("foreach");
  }

  /** @internal The command `start()` (or `toTable`) sends, without sending it. */
  command(destination: SinkDestination = null): WriteStreamOperationStart {
    return writeStreamOperationStart(this.remote.relation, this.settings, destination);
  }

  start(path?: string): Promise<RemoteStreamingQuery> {
    return this.#send(path === undefined ? null : { path });
  }

  toTable(tableName: string): Promise<RemoteStreamingQuery> {
    return this.#send({ tableName });
  }

  #send(destination: SinkDestination): Promise<RemoteStreamingQuery> {
    return startRemoteQuery(this.remote.backend.client, this.command(destination));
  }
}
