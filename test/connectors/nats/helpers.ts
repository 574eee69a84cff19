import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { connect, headers as natsHeaders, type NatsConnection } from "@nats-io/transport-node";

/** The shared JetStream server the tests run against (never restarted by them). */
export const NATS_URL = "nats://127.0.0.1:4222";

let counter = 0;
/** A stream name no other test (or concurrent run) uses. */
export function uniqueStreamName(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}`.toUpperCase();
}

/** A producer with the official client: makes streams, publishes, and removes what it made. */
export class TestProducer {
  readonly #made: string[] = [];
  private constructor(readonly nc: NatsConnection, readonly js: JetStreamClient, readonly jsm: JetStreamManager) {}

  static async open(): Promise<TestProducer> {
    const nc = await connect({ servers: NATS_URL });
    return new TestProducer(nc, jetstream(nc), await jetstreamManager(nc));
  }

  async createStream(name: string, subjects: string[], duplicateWindowMs?: number): Promise<void> {
    await this.jsm.streams.add({ name, subjects, ...(duplicateWindowMs === undefined ? {} : { duplicate_window: duplicateWindowMs * 1_000_000 }) });
    this.#made.push(name);
  }

  /** Publishes and returns the stream sequence JetStream gave the message. */
  async publish(subject: string, value: string, headers: [string, string][] = []): Promise<number> {
    const h = natsHeaders();
    for (const [k, v] of headers) h.append(k, v);
    const ack = await this.js.publish(subject, value, headers.length > 0 ? { headers: h } : {});
    return ack.seq;
  }

  /** Every message of a stream in sequence order: subject, text and headers. */
  async messages(stream: string): Promise<{ seq: number; subject: string; value: string; headers: Map<string, string[]> }[]> {
    const info = await this.jsm.streams.info(stream);
    const out = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await this.jsm.streams.getMessage(stream, { seq });
      if (m === null) continue;
      const headers = new Map<string, string[]>();
      for (const k of m.header?.keys() ?? []) headers.set(k, m.header!.values(k));
      out.push({ seq: m.seq, subject: m.subject, value: m.string(), headers });
    }
    return out;
  }

  async close(): Promise<void> {
    for (const name of this.#made.splice(0)) await this.jsm.streams.delete(name).catch(() => false);
    await this.nc.close();
  }
}
