import { AvroProtocol } from "./avro-protocol.ts";

/**
 * The protocols rivulet speaks, as JSON text in the form Java's `Protocol.toString()`
 * renders them (field "name" before "type", nested names unqualified), so that their
 * MD5 matches a Java peer's and the handshake ends in BOTH rather than CLIENT.
 */

/** Flume's `AvroSourceProtocol` (flume-ng-sdk): what an `avro` sink sends to an `avro` source. */
export const AVRO_SOURCE_PROTOCOL = AvroProtocol.parse(JSON.stringify({
  protocol: "AvroSourceProtocol",
  namespace: "org.apache.flume.source.avro",
  types: [
    { type: "enum", name: "Status", symbols: ["OK", "FAILED", "UNKNOWN"] },
    {
      type: "record", name: "AvroFlumeEvent",
      fields: [{ name: "headers", type: { type: "map", values: "string" } }, { name: "body", type: "bytes" }],
    },
  ],
  messages: {
    append: { request: [{ name: "event", type: "AvroFlumeEvent" }], response: "Status" },
    appendBatch: { request: [{ name: "events", type: { type: "array", items: "AvroFlumeEvent" } }], response: "Status" },
  },
}));

/** Spark's `SparkFlumeProtocol` (spark-streaming-flume-sink): what the polling receiver asks the Spark sink. */
export const SPARK_FLUME_PROTOCOL = AvroProtocol.parse(JSON.stringify({
  protocol: "SparkFlumeProtocol",
  namespace: "org.apache.spark.flume",
  types: [
    {
      type: "record", name: "SparkSinkEvent",
      fields: [{ name: "headers", type: { type: "map", values: "string" } }, { name: "body", type: "bytes" }],
    },
    {
      type: "record", name: "EventBatch",
      fields: [
        { name: "errorMsg", type: "string", default: "" },
        { name: "sequenceNumber", type: "string" },
        { name: "events", type: { type: "array", items: "SparkSinkEvent" } },
      ],
    },
  ],
  messages: {
    getEventBatch: { request: [{ name: "n", type: "int" }], response: "EventBatch" },
    ack: { request: [{ name: "sequenceNumber", type: "string" }], response: "null" },
    nack: { request: [{ name: "sequenceNumber", type: "string" }], response: "null" },
  },
}));

/** Flume's `Status` enum, the answer to append/appendBatch. */
export type FlumeStatus = "OK" | "FAILED" | "UNKNOWN";

/** An event as both protocols carry it (`AvroFlumeEvent`, `SparkSinkEvent`). */
export interface FlumeEvent {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Spark's `EventBatch`: `errorMsg` non-empty means no events could be given. */
export interface EventBatch {
  readonly errorMsg: string;
  readonly sequenceNumber: string;
  readonly events: readonly FlumeEvent[];
}
