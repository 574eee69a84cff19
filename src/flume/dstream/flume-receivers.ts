import { Logger } from "../../common/log.ts";
import { Receiver } from "../../dstream/receiver.ts";
import { AVRO_SOURCE_PROTOCOL, SPARK_FLUME_PROTOCOL, type EventBatch, type FlumeEvent, type FlumeStatus } from "../protocol/flume-protocols.ts";
import { AvroRpcClient } from "../rpc/avro-rpc-client.ts";
import { AvroRpcServer } from "../rpc/avro-rpc-server.ts";
import type { SinkAddress } from "../source/flume-polling-source.ts";
import type { CompressionType } from "../transport/frame-connection.ts";

const log = new Logger("rivulet.flume.dstream");

/** What the DStreams of FlumeUtils hold: Spark's SparkFlumeEvent as a plain object. */
export interface SparkFlumeEvent {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const plain = (e: FlumeEvent): SparkFlumeEvent => ({ headers: { ...e.headers }, body: e.body });

/**
 * Spark's FlumeReceiver: an AvroSourceProtocol server; a batch is answered OK once stored
 * with the receiver (kept with the next batch's write-ahead), as in Spark.
 */
export class FlumePushReceiver extends Receiver<SparkFlumeEvent> {
  #server: AvroRpcServer | null = null;

  constructor(readonly host: string, readonly port: number, readonly compression: CompressionType = "none") {
    super();
  }

  async onStart(): Promise<void> {
    const accept = (events: readonly FlumeEvent[]): FlumeStatus => {
      this.storeAll(events.map(plain));
      return "OK";
    };
    this.#server = await AvroRpcServer.listen({
      host: this.host, port: this.port, protocol: AVRO_SOURCE_PROTOCOL, compression: this.compression,
      name: `FlumeReceiver[${this.host}:${this.port}]`,
      handlers: {
        append: (req) => accept([(req as { event: FlumeEvent }).event]),
        appendBatch: (req) => accept((req as { events: FlumeEvent[] }).events),
      },
    });
  }

  async onStop(): Promise<void> {
    await this.#server?.close();
    this.#server = null;
  }

  /** The bound port (useful with port 0). */
  get boundPort(): number {
    return this.#server?.port ?? this.port;
  }
}

/** Spark's FlumePollingReceiver: pulls batches from Spark sinks, stores them, then acks. */
export class FlumePollingReceiver extends Receiver<SparkFlumeEvent> {
  #stopped = true;
  #loops: Promise<void>[] = [];
  readonly #clients = new Set<AvroRpcClient>();

  constructor(readonly addresses: readonly SinkAddress[], readonly maxBatchSize = 1000, readonly pollIntervalMs = 100) {
    super();
  }

  onStart(): void {
    this.#stopped = false;
    this.#loops = this.addresses.map((a) => this.#poll(a));
  }

  async onStop(): Promise<void> {
    this.#stopped = true;
    for (const c of this.#clients) c.close();
    await Promise.all(this.#loops);
  }

  async #poll(address: SinkAddress): Promise<void> {
    let client: AvroRpcClient | null = null;
    while (!this.#stopped) {
      try {
        if (client === null) {
          client = await AvroRpcClient.connect({ ...address, protocol: SPARK_FLUME_PROTOCOL, compression: "none" });
          this.#clients.add(client);
        }
        const batch = (await client.request("getEventBatch", { n: this.maxBatchSize })) as EventBatch;
        if (batch.errorMsg !== "") {
          await new Promise((r) => setTimeout(r, this.pollIntervalMs));
          continue;
        }
        this.storeAll(batch.events.map(plain));
        await client.request("ack", { sequenceNumber: batch.sequenceNumber });
      } catch (error) {
        if (this.#stopped) break;
        log.warn(`FlumePollingReceiver: polling ${address.host}:${address.port} failed, retrying: ${(error as Error).message}`);
        if (client !== null) { client.close(); this.#clients.delete(client); }
        client = null;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    if (client !== null) { client.close(); this.#clients.delete(client); }
  }
}
