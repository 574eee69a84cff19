import { randomBytes } from "node:crypto";
import { Logger } from "../../common/log.ts";
import { SPARK_FLUME_PROTOCOL, type EventBatch, type FlumeEvent } from "../protocol/flume-protocols.ts";
import { AvroRpcServer } from "../rpc/avro-rpc-server.ts";
import type { ComponentParams } from "./agent-config.ts";
import type { Channel, ChannelTransaction } from "./channel.ts";
import type { AgentComponent } from "./component.ts";

const log = new Logger("rivulet.flume.spark-sink");

export interface SparkSinkOptions {
  readonly hostname: string;
  readonly port: number;
  /** Spark's `timeout` (s): a batch not acked in time is rolled back. */
  readonly timeoutS: number;
  /** Spark's `backoffInterval` (ms): how long getEventBatch waits for events before answering with an error message. */
  readonly backoffIntervalMs: number;
}

export function sparkSinkOptionsOf(params: ComponentParams): SparkSinkOptions {
  return {
    hostname: params.required("hostname"),
    port: params.int("port", 0, 0),
    timeoutS: params.int("timeout", 60, 1),
    backoffIntervalMs: params.int("backoffInterval", 200, 1),
  };
}

/**
 * Spark's SparkSink (`org.apache.spark.streaming.flume.sink.SparkSink`): serves
 * SparkFlumeProtocol so that a polling receiver pulls batches. Each batch is one channel
 * transaction, committed on ack and rolled back on nack or when no ack comes in time.
 */
export class SparkSink implements AgentComponent {
  #server: AvroRpcServer | null = null;
  readonly #pending = new Map<string, { tx: ChannelTransaction; timer: NodeJS.Timeout }>();
  readonly #prefix = randomBytes(4).toString("hex");
  #counter = 0;

  constructor(readonly name: string, readonly options: SparkSinkOptions, readonly channel: Channel) {}

  get port(): number {
    return this.#server?.port ?? this.options.port;
  }

  async start(): Promise<void> {
    this.#server = await AvroRpcServer.listen({
      host: this.options.hostname, port: this.options.port, protocol: SPARK_FLUME_PROTOCOL, compression: "none",
      name: `spark sink ${this.name}`,
      handlers: {
        getEventBatch: (req) => this.#getEventBatch((req as { n: number }).n),
        ack: (req) => this.#finish((req as { sequenceNumber: string }).sequenceNumber, true),
        nack: (req) => this.#finish((req as { sequenceNumber: string }).sequenceNumber, false),
      },
    });
  }

  async stop(): Promise<void> {
    await this.#server?.close();
    this.#server = null;
    for (const seq of [...this.#pending.keys()]) await this.#finish(seq, false);
  }

  async #getEventBatch(n: number): Promise<EventBatch> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const tx = this.channel.transaction();
      const events: FlumeEvent[] = [];
      for (let e = n > 0 ? tx.take() : null; e !== null; e = events.length < n ? tx.take() : null) events.push(e);
      if (events.length > 0) {
        const sequenceNumber = `${this.#prefix}-${this.#counter++}`;
        const timer = setTimeout(() => {
          log.warn(`spark sink ${this.name}: batch ${sequenceNumber} was not acked within ${this.options.timeoutS} s; rolling it back`);
          void this.#finish(sequenceNumber, false);
        }, this.options.timeoutS * 1000);
        this.#pending.set(sequenceNumber, { tx, timer });
        return { errorMsg: "", sequenceNumber, events };
      }
      await tx.rollback();
      if (attempt === 0) await this.channel.waitForEvents(this.options.backoffIntervalMs);
    }
    return { errorMsg: "Tried several times, but did not get any events from the channel!", sequenceNumber: "", events: [] };
  }

  async #finish(sequenceNumber: string, commit: boolean): Promise<null> {
    const p = this.#pending.get(sequenceNumber);
    if (p === undefined) return null;
    this.#pending.delete(sequenceNumber);
    clearTimeout(p.timer);
    if (commit) await p.tx.commit();
    else await p.tx.rollback();
    return null;
  }
}
