import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Source } from "../../../src/connectors/source.ts";
import { RateSchedule, resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import { context, read, removeDir, tempDir } from "./helpers.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function listen(): Promise<{ server: Server; port: number; client: Promise<Socket> }> {
  const server = createServer();
  let accept!: (s: Socket) => void;
  const client = new Promise<Socket>((resolve) => { accept = resolve; });
  server.on("connection", (s) => accept(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  cleanups.push(async () => { await new Promise((resolve) => server.close(resolve)); });
  return { server, port, client };
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("timed out");
}

describe("socket source", () => {
  it("reads lines from a TCP server; the offset counts lines", async () => {
    const { port, client } = await listen();
    const provider = resolveSourceProvider("socket", { host: "127.0.0.1", port: String(port), includeTimestamp: "true" }, [], null, false);
    expect(provider.supportsBatch).toBe(false);
    const source: Source = provider.createSource(context());
    cleanups.unshift(() => source.stop());
    const peer = await client;
    expect(await source.latestOffset(null)).toBeNull();
    const before = Date.now();
    peer.write("hello\nwor");
    peer.write("ld\r\nthird");
    const end = await until(() => source.latestOffset(null), (o) => o === 2);
    const rows = await read(source, null, end!);
    expect(rows.map((r) => r.value)).toEqual(["hello", "world"]);
    expect((rows[0]!.timestamp as Date).getTime()).toBeGreaterThanOrEqual(before - 1);
    await source.commit!(end!);
    peer.write("\nfour\n");
    const next = await until(() => source.latestOffset(end), (o) => o === 4);
    expect(await read(source, end, next!, { columns: ["value"] })).toEqual([{ value: "third" }, { value: "four" }]);
    await expect(read(source, null, next!)).rejects.toThrow(/not buffered/);
  });

  it("names host:port when it cannot connect, and refuses bounded reads", async () => {
    const freePort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    const source = resolveSourceProvider("socket", { HOST: "127.0.0.1", Port: String(freePort) }, [], null, false).createSource(context());
    cleanups.unshift(() => source.stop());
    await expect(source.latestOffset(null)).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${freePort}`));
    expect(() => resolveSourceProvider("socket", { host: "h", port: "1" }, [], null, true)).toThrow(/does not support batch/);
  });
});

describe("rate source", () => {
  it("generates value i at start + i / rowsPerSecond and replays ranges identically", async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const metadata = join(dir, "sources", "0");
    const provider = resolveSourceProvider("rate", { rowsPerSecond: "100" }, [], null, false);
    expect(provider.schema.toDDL()).toBe("timestamp TIMESTAMP, value BIGINT");
    const source = provider.createSource(context(metadata));
    const end = await until(() => source.latestOffset(null), (o) => (o as number) >= 5);
    const rows = await read(source, null, end!);
    expect(rows.map((r) => r.value)).toEqual([...Array(end as number).keys()]);
    const start = (rows[0]!.timestamp as Date).getTime();
    expect((rows[3]!.timestamp as Date).getTime()).toBe(start + 30);
    const restarted = provider.createSource(context(metadata));
    expect(await read(restarted, 2, 4)).toEqual(rows.slice(2, 4));
  });

  it("ramps up like Spark's valueAtSecond", () => {
    const s = new RateSchedule(10, 4);
    expect([0, 1, 2, 3, 4, 5, 6].map((t) => s.rowsAtSecond(t))).toEqual([0, 2, 6, 12, 20, 30, 40]);
    expect(s.offsetMicrosOf(0)).toBe(0);
    expect(s.offsetMicrosOf(2)).toBe(1_000_000);
    expect(new RateSchedule(4, 0).offsetMicrosOf(3)).toBe(750_000);
  });
});
