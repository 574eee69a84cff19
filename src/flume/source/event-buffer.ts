import { readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { readFileIfExists, writeFileAtomic } from "../../common/atomic-file.ts";
import { ConnectorError } from "../../common/errors.ts";
import { avroType, type AvroType } from "../protocol/avro.ts";
import type { FlumeEvent } from "../protocol/flume-protocols.ts";

/** An event in the source's buffer, with its arrival time (µs since the epoch). */
export interface BufferedEvent extends FlumeEvent {
  readonly arrivalMicros: number;
}

const VERSION = "v1";
/** One appended batch on disk: the arrival time and the events as Flume sent them. */
const SEGMENT: AvroType = avroType({
  type: "record", name: "FlumeBufferSegment", namespace: "rivulet.flume",
  fields: [
    { name: "arrivalMicros", type: "long" },
    {
      name: "events",
      type: { type: "array", items: { type: "record", name: "Event", fields: [{ name: "headers", type: { type: "map", values: "string" } }, { name: "body", type: "bytes" }] } },
    },
  ],
});

/** The files of a buffer under the source's metadata directory. */
const paths = {
  dir: (root: string) => join(root, "flume-buffer"),
  segment: (root: string, start: number) => join(root, "flume-buffer", `${String(start).padStart(20, "0")}.events`),
  committed: (root: string) => join(root, "flume-buffer", "committed"),
  isSegment: (name: string) => /^\d{20}\.events$/.test(name),
};

/**
 * The push receiver's buffer: events numbered from 0 in arrival order (the source's
 * offsets). With a directory, each appended batch is written (fsynced) to its own
 * segment file before `append` resolves, so an OK sent after it survives a crash; a
 * restart reloads every segment not yet committed. Appends are serialised, so the
 * numbering is the order in which batches became durable.
 */
export class EventBuffer {
  #base = 0;
  #events: BufferedEvent[] = [];
  /** Start offsets of the segments still on disk. */
  #segments: number[] = [];
  #reserved = 0;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string | null, readonly capacity: number) {}

  static async open(dir: string | null, capacity: number): Promise<EventBuffer> {
    const buffer = new EventBuffer(dir, capacity);
    if (dir !== null) await buffer.#recover(dir);
    return buffer;
  }

  /** Offset of the first buffered event. */
  get base(): number {
    return this.#base;
  }

  /** Offset after the last durable event. */
  get end(): number {
    return this.#base + this.#events.length;
  }

  get size(): number {
    return this.#events.length;
  }

  /**
   * Adds a batch; false (nothing added) when it would take the buffer past its capacity,
   * so that the sender gets FAILED and retries later.
   */
  append(events: readonly FlumeEvent[], arrivalMicros: number): Promise<boolean> {
    if (this.#events.length + this.#reserved + events.length > this.capacity) return Promise.resolve(false);
    if (events.length === 0) return Promise.resolve(true);
    this.#reserved += events.length;
    const run = this.#tail.then(async () => {
      try {
        const start = this.end;
        if (this.dir !== null) {
          const data = SEGMENT.toBuffer({ arrivalMicros, events: events.map((e) => ({ headers: e.headers, body: e.body })) });
          await writeFileAtomic(paths.segment(this.dir, start), Buffer.concat([Buffer.from(`${VERSION}\n`), data]));
          this.#segments.push(start);
        }
        for (const e of events) this.#events.push({ headers: e.headers, body: e.body, arrivalMicros });
        return true;
      } finally {
        this.#reserved -= events.length;
      }
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Events in [from, to). */
  slice(from: number, to: number): BufferedEvent[] {
    if (from < this.#base || to > this.end || from > to) {
      throw new ConnectorError(`flume source: events ${from}..${to} are not buffered (buffered ${this.#base}..${this.end})`);
    }
    return this.#events.slice(from - this.#base, to - this.#base);
  }

  /** Events before `upTo` were processed: forget them (and their segment files). */
  async commit(upTo: number): Promise<void> {
    const drop = Math.min(Math.max(0, upTo - this.#base), this.#events.length);
    if (drop === 0) return;
    this.#events = this.#events.slice(drop);
    this.#base += drop;
    if (this.dir === null) return;
    const dir = this.dir;
    await (this.#tail = this.#tail.then(async () => {
      await writeFileAtomic(paths.committed(dir), `${VERSION}\n${this.#base}\n`);
      // A segment can go once the next one starts at or before the committed offset.
      while (this.#segments.length > 0 && (this.#segments[1] ?? this.end) <= this.#base) {
        await unlink(paths.segment(dir, this.#segments.shift()!)).catch(() => undefined);
      }
    }));
  }

  async #recover(root: string): Promise<void> {
    const committedText = await readFileIfExists(paths.committed(root), "utf8");
    const committed = committedText === null ? 0 : parseVersioned(committedText, paths.committed(root));
    let names: string[];
    try {
      names = (await readdir(paths.dir(root))).filter(paths.isSegment).sort();
    } catch {
      names = [];
    }
    let next: number | null = null;
    for (const name of names) {
      const start = Number(name.slice(0, 20));
      const file = join(paths.dir(root), name);
      const bytes = await readFileIfExists(file);
      if (bytes === null) continue;
      const nl = bytes.indexOf(10);
      if (nl < 0 || bytes.subarray(0, nl).toString() !== VERSION) throw new ConnectorError(`flume source: ${file} is not a ${VERSION} buffer segment`);
      const segment = SEGMENT.fromBuffer(bytes.subarray(nl + 1)) as { arrivalMicros: number; events: FlumeEvent[] };
      if (next !== null && start !== next) throw new ConnectorError(`flume source: buffer segment ${file} starts at ${start}, expected ${next}`);
      if (next === null) this.#base = start;
      this.#segments.push(start);
      for (const e of segment.events) this.#events.push({ headers: e.headers, body: e.body, arrivalMicros: segment.arrivalMicros });
      next = start + segment.events.length;
    }
    if (next === null) this.#base = committed;
    else if (this.#base > committed) throw new ConnectorError(`flume source: buffer in ${paths.dir(root)} starts at ${this.#base}, after the committed offset ${committed}`);
    const drop = Math.max(0, Math.min(committed - this.#base, this.#events.length));
    this.#events = this.#events.slice(drop);
    this.#base += drop;
  }
}

function parseVersioned(text: string, file: string): number {
  const [version, value] = text.split("\n");
  const n = Number(value);
  if (version !== VERSION || !Number.isInteger(n) || n < 0) throw new ConnectorError(`flume source: cannot read ${file}`);
  return n;
}
