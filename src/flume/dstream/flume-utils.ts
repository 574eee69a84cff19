import type { DStream } from "../../dstream/dstream.ts";
import type { StreamingContext } from "../../dstream/streaming-context.ts";
import type { SinkAddress } from "../source/flume-polling-source.ts";
import { FlumePollingReceiver, FlumePushReceiver, type SparkFlumeEvent } from "./flume-receivers.ts";

export interface FlumeStreamOptions {
  /** Spark's enableDecompression: the avro sink uses compression-type deflate. */
  readonly enableDecompression?: boolean;
  readonly storageLevel?: string;
}

export interface FlumePollingOptions {
  /** Events asked for per poll (Spark's maxBatchSize, default 1000). */
  readonly maxBatchSize?: number;
  readonly storageLevel?: string;
}

/** Spark's FlumeUtils: DStreams of `{ headers, body }` from Flume's avro sink (push) or Spark sink (pull). */
export const FlumeUtils = {
  createStream(ssc: StreamingContext, host: string, port: number, options: FlumeStreamOptions = {}): DStream<SparkFlumeEvent> {
    return ssc.receiverStream(new FlumePushReceiver(host, port, options.enableDecompression === true ? "deflate" : "none"));
  },

  createPollingStream(ssc: StreamingContext, addresses: readonly SinkAddress[], options: FlumePollingOptions = {}): DStream<SparkFlumeEvent> {
    return ssc.receiverStream(new FlumePollingReceiver(addresses, options.maxBatchSize ?? 1000));
  },
};
