import { mkdir, open, readFile, rename, type FileHandle } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { avroType } from "../protocol/avro.ts";
import type { ComponentParams } from "./agent-config.ts";
import { QueueChannel, type ChannelEntry } from "./channel.ts";

const log = new Logger("rivulet.flume.channel");

/** One committed transaction in the log: the events it put and the ids it took. */
const TX_RECORD = avroType({
  type: "record", name: "FileChannelTx", namespace: "rivulet.flume",
  fields: [
    {
      name: "puts",
      type: {
        type: "array",
        items: {
          type: "record", name: "Put",
          fields: [{ name: "id", type: "long" }, { name: "headers", type: { type: "map", values: "string" } }, { name: "body", type: "bytes" }],
        },
      },
    },
    { name: "takes", type: { type: "array", items: "long" } },
  ],
});

const LOG_NAME = "rivulet-file-channel.log";
const MAGIC = Buffer.from("RVFC1\n");

interface TxRecord {
  readonly puts: readonly { id: number; headers: Record<string, string>; body: Buffer }[];
  readonly takes: readonly number[];
}

/**
 * Flume's `file` channel, made simple: every commit appends one length-prefixed record
 * (its puts and takes) to a log in the first of `dataDirs` and fsyncs it before the
 * commit returns, so committed events survive a crash (SIGKILL included). A restart
 * replays the log (a torn last record is dropped), then rewrites it to the live events
 * only; it is rewritten likewise whenever it grows past `maxFileSize`.
 */
export class FileChannel extends QueueChannel {
  #log: FileHandle | null = null;
  #bytes = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(name: string, capacity: number, transactionCapacity: number, readonly dataDir: string, readonly checkpointDir: string, readonly maxFileSize: number) {
    super(name, capacity, transactionCapacity);
  }

  static fromParams(name: string, params: ComponentParams): FileChannel {
    const home = join(homedir(), ".flume", "file-channel");
    const dataDir = params.string("dataDirs", join(home, "data")).split(",")[0]!.trim();
    const capacity = params.int("capacity", 1_000_000, 1);
    return new FileChannel(
      name, capacity, Math.min(params.int("transactionCapacity", 10_000, 1), capacity),
      dataDir, params.string("checkpointDir", join(home, "checkpoint")), params.int("maxFileSize", 64 << 20, 1024),
    );
  }

  get logPath(): string {
    return join(this.dataDir, LOG_NAME);
  }

  async start(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    await mkdir(this.checkpointDir, { recursive: true });
    const live = await this.#replay();
    this.restore(live);
    await this.#rewrite(live);
    if (live.length > 0) log.info(`channel ${this.name}: replayed ${live.length} events from ${this.logPath}`);
  }

  async stop(): Promise<void> {
    await this.#chain;
    await this.#log?.close();
    this.#log = null;
  }

  protected persist(puts: readonly ChannelEntry[], takes: readonly ChannelEntry[]): Promise<void> {
    if (puts.length === 0 && takes.length === 0) return Promise.resolve();
    const record = TX_RECORD.toBuffer({
      puts: puts.map((p) => ({ id: p.id, headers: p.event.headers, body: p.event.body })),
      takes: takes.map((t) => t.id),
    });
    const framed = Buffer.allocUnsafe(4 + record.length);
    framed.writeUInt32BE(record.length, 0);
    record.copy(framed, 4);
    const run = this.#chain.then(async () => {
      if (this.#log === null) throw new ConnectorError(`channel ${this.name} is not started`);
      await this.#log.write(framed);
      await this.#log.datasync();
      this.#bytes += framed.length;
      if (this.#bytes > this.maxFileSize) {
        // The snapshot must include this commit: queue state is applied after persist, so add it here.
        const takenNow = new Set(takes.map((t) => t.id));
        const live = this.liveEntries(this.inFlight).filter((e) => !takenNow.has(e.id));
        await this.#rewrite([...live, ...puts].sort((a, b) => a.id - b.id));
      }
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #replay(): Promise<ChannelEntry[]> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.logPath);
    } catch {
      return [];
    }
    if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new ConnectorError(`channel ${this.name}: ${this.logPath} is not a rivulet file channel log`);
    }
    const live = new Map<number, ChannelEntry>();
    let pos = MAGIC.length;
    while (pos + 4 <= bytes.length) {
      const length = bytes.readUInt32BE(pos);
      if (pos + 4 + length > bytes.length) break;
      let tx: TxRecord;
      try {
        tx = TX_RECORD.fromBuffer(bytes.subarray(pos + 4, pos + 4 + length)) as TxRecord;
      } catch {
        break;
      }
      for (const p of tx.puts) live.set(p.id, { id: p.id, event: { headers: p.headers, body: p.body } });
      for (const t of tx.takes) live.delete(t);
      pos += 4 + length;
    }
    if (pos < bytes.length) log.warn(`channel ${this.name}: dropped a torn record at the end of ${this.logPath} (${bytes.length - pos} bytes): its transaction never committed`);
    return [...live.values()].sort((a, b) => a.id - b.id);
  }

  /** Replaces the log by one holding `live` as a single transaction (temp file, fsync, rename). */
  async #rewrite(live: readonly ChannelEntry[]): Promise<void> {
    const temp = `${this.logPath}.tmp`;
    const handle = await open(temp, "w");
    const record = TX_RECORD.toBuffer({ puts: live.map((e) => ({ id: e.id, headers: e.event.headers, body: e.event.body })), takes: [] });
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32BE(record.length, 0);
    await handle.write(Buffer.concat([MAGIC, head, record]));
    await handle.sync();
    await handle.close();
    await this.#log?.close();
    await rename(temp, this.logPath);
    const dir = await open(this.dataDir, "r");
    await dir.sync().catch(() => undefined);
    await dir.close();
    this.#log = await open(this.logPath, "a");
    this.#bytes = MAGIC.length + 4 + record.length;
  }
}
