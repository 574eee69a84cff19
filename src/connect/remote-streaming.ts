import type { StreamingQueryManager } from "../session/streaming-query-manager.ts";
import type { WriteStreamOperationStart } from "./gen/spark/connect/commands_pb.ts";
import { RemoteStreamingQueryManager } from "./remote-streaming-query-manager.ts";
import type { RemoteStreamingQuery } from "./remote-streaming-query.ts";
import type { SparkConnectClient } from "./spark-connect-client.ts";

/**
 * The remote streaming query handle and manager as the rest of the remote backend reaches
 * them. One manager per client: queries start through it so that its listeners hear each
 * query's start event (Spark delivers it before `start()` returns), and `spark.stop()` closes
 * its listener bus before the session is released.
 */
const managers = new WeakMap<SparkConnectClient, RemoteStreamingQueryManager>();

function managerOf(client: SparkConnectClient): RemoteStreamingQueryManager {
  let manager = managers.get(client);
  if (manager === undefined) managers.set(client, (manager = new RemoteStreamingQueryManager(client)));
  return manager;
}

export function startRemoteQuery(client: SparkConnectClient, start: WriteStreamOperationStart): Promise<RemoteStreamingQuery> {
  return managerOf(client).startQuery(start);
}

export function remoteStreams(client: SparkConnectClient): StreamingQueryManager {
  return managerOf(client) as unknown as StreamingQueryManager;
}

/** Closes the client's listener bus, if it ever opened one. */
export async function closeRemoteStreams(client: SparkConnectClient): Promise<void> {
  await managers.get(client)?.close();
}
