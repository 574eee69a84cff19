import type { Consumer, JsMsg } from "@nats-io/jetstream";
import type { JetStreamConnection } from "./nats-connection.ts";
import type { SubjectFilter } from "./subject-filter.ts";

/** A message as the source turns it into a row. */
export interface StreamMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly sequence: number;
  /** When JetStream stored it, µs since the epoch. */
  readonly timestampMicros: number;
  /** Header values by key; a repeated key's values joined with ", ". Null without headers. */
  readonly headers: Map<string, string> | null;
}

const FETCH_SIZE = 1000;
const FETCH_EXPIRES_MS = 2000;

/**
 * Reads the messages of `stream` with sequences in [start, end) that pass `filter`, at
 * most `limit` of them, in sequence order. An ordered consumer (ephemeral, no acks: the
 * checkpoint, not the server, remembers what was read) delivers them; one subject filter
 * is applied by the server, several here (servers before 2.10 take one per consumer).
 */
export async function readMessages(
  conn: JetStreamConnection, stream: string, filter: SubjectFilter,
  start: number, end: number, limit = Infinity,
): Promise<StreamMessage[]> {
  if (start >= end || limit <= 0) return [];
  const serverFilter = filter.filters.length === 1 ? filter.filters[0]! : undefined;
  const consumer = await conn.js.consumers.get(stream, {
    opt_start_seq: start,
    ...(serverFilter === undefined ? {} : { filter_subjects: serverFilter }),
  });
  try {
    // A consumer with nothing to deliver would wait out its fetch: its creation info says so first.
    if ((await consumer.info(true)).num_pending === 0) return [];
    return await fetchRange(consumer, filter, end, limit);
  } finally {
    await consumer.delete().catch(() => false);
  }
}

/**
 * A fetch that ended with nothing although the range was not read to its end (the
 * connection went silent, the server restarted): the read is retried, never cut short.
 */
export class IncompleteReadError extends Error {
  override readonly name = "IncompleteReadError";
}

async function fetchRange(consumer: Consumer, filter: SubjectFilter, end: number, limit: number): Promise<StreamMessage[]> {
  const out: StreamMessage[] = [];
  let lastSeq = 0;
  for (;;) {
    let delivered = 0;
    let done = false;
    const batch = await consumer.fetch({ max_messages: FETCH_SIZE, expires: FETCH_EXPIRES_MS });
    for await (const m of batch) {
      delivered++;
      lastSeq = m.seq;
      if (m.seq >= end) { done = true; break; }
      if (filter.matches(m.subject)) out.push(toStreamMessage(m));
      // pending counts the messages after this one the consumer could deliver: none left means the end of the stream.
      if (out.length >= limit || m.info.pending === 0) { done = true; break; }
    }
    if (done) break;
    if (delivered === 0) throw new IncompleteReadError(`reading stopped after sequence ${lastSeq}, before the end of the range (${end - 1}): the server did not deliver`);
  }
  return out;
}

function toStreamMessage(m: JsMsg): StreamMessage {
  let headers: Map<string, string> | null = null;
  if (m.headers !== undefined) {
    headers = new Map();
    for (const key of m.headers.keys()) headers.set(key, m.headers.values(key).join(", "));
  }
  return {
    subject: m.subject,
    data: m.data,
    sequence: m.seq,
    timestampMicros: Number(m.timestampNanos / 1000n),
    headers,
  };
}
