import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setLogSink, type LogLevel } from "../../src/common/log.ts";

export async function tempDir(prefix = "rivulet-flume-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export { freePort } from "../connectors/server-process.ts";

export async function until<T>(f: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Avro's zig-zag varint of a long, written by hand from the specification. */
export function zigzag(n: number): Buffer {
  let z = n >= 0 ? 2 * n : -2 * n - 1;
  const out: number[] = [];
  while (z >= 0x80) {
    out.push((z & 0x7f) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}

/** Avro string/bytes: zig-zag length, then the bytes. */
export function avroString(s: string | Buffer): Buffer {
  const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  return Buffer.concat([zigzag(b.length), b]);
}

/** A Netty frame written by hand: int32 serial, int32 count, then each buffer length-prefixed. */
export function frameBytes(serial: number, buffers: Buffer[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(serial, 0);
  head.writeInt32BE(buffers.length, 4);
  return Buffer.concat([head, ...buffers.flatMap((b) => { const l = Buffer.alloc(4); l.writeInt32BE(b.length); return [l, b]; })]);
}

/** A raw TCP peer that collects whole replies (frames) from the server. */
export class RawPeer {
  readonly socket: Socket;
  #data = Buffer.alloc(0);
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (d: Buffer) => { this.#data = Buffer.concat([this.#data, d]); });
    socket.on("close", () => { this.closed = true; });
    socket.on("error", () => undefined);
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ host: "127.0.0.1", port }, () => resolve(new RawPeer(s)));
      s.once("error", reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply frame: serial and its buffers concatenated. */
  async reply(timeoutMs = 5000): Promise<{ serial: number; count: number; data: Buffer }> {
    const parse = (): { serial: number; count: number; data: Buffer; size: number } | null => {
      const d = this.#data;
      if (d.length < 8) return null;
      const count = d.readInt32BE(4);
      let pos = 8;
      const parts: Buffer[] = [];
      for (let i = 0; i < count; i++) {
        if (d.length < pos + 4) return null;
        const len = d.readInt32BE(pos);
        if (d.length < pos + 4 + len) return null;
        parts.push(d.subarray(pos + 4, pos + 4 + len));
        pos += 4 + len;
      }
      return { serial: d.readInt32BE(0), count, data: Buffer.concat(parts), size: pos };
    };
    const r = await until(parse, (v) => v !== null, timeoutMs, "a reply frame");
    this.#data = this.#data.subarray(r!.size);
    return { serial: r!.serial, count: r!.count, data: r!.data };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Collects log lines (all levels) while `fn` runs. */
export async function captureLog<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const before = process.env.RIVULET_LOG;
  process.env.RIVULET_LOG = "debug";
  setLogSink((level: LogLevel, logger: string, message: string) => { lines.push(`${level.toUpperCase()} ${logger}: ${message}`); });
  try {
    return { result: await fn(), lines };
  } finally {
    if (before === undefined) delete process.env.RIVULET_LOG;
    else process.env.RIVULET_LOG = before;
    setLogSink((level, logger, message) => { process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${logger}: ${message}\n`); });
  }
}
