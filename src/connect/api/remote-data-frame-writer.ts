import { DataFrameWriter } from "../../api/data-frame-writer.ts";
import type { WriteOperation } from "../gen/spark/connect/commands_pb.ts";
import { writeOperation, type WriteDestination } from "../plan/write-operation.ts";
import type { RemoteDataset } from "./remote-dataset.ts";

/**
 * A remote session's DataFrameWriter: `save`, `insertInto` and `saveAsTable` send one
 * WriteOperation command, and Spark writes the rows (paths and tables are the cluster's).
 */
export class RemoteDataFrameWriter<T> extends DataFrameWriter<T> {
  constructor(readonly remote: RemoteDataset<T>) {
    super();
  }

  /** @internal The command the call sends, without sending it. */
  command(destination: WriteDestination = null): WriteOperation {
    return writeOperation(this.remote.relation, this.settings, destination);
  }

  save(path?: string): Promise<void> {
    return this.#send(path === undefined ? null : { path });
  }

  insertInto(tableName: string, overwrite?: boolean): Promise<void> {
    // PySpark's form: the flag sets the save mode the command carries.
    if (overwrite !== undefined) this.mode(overwrite ? "overwrite" : "append");
    return this.#send({ tableName, method: "insertInto" });
  }

  saveAsTable(tableName: string): Promise<void> {
    return this.#send({ tableName, method: "saveAsTable" });
  }

  async #send(destination: WriteDestination): Promise<void> {
    await this.remote.backend.execute({ opType: { case: "command", value: { commandType: { case: "writeOperation", value: this.command(destination) } } } });
  }
}
