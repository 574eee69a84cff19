import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fromRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { batchToRows } from "../../src/columnar/values.ts";
import { RuntimeConfig } from "../../src/common/config.ts";
import type { Source } from "../../src/connectors/source.ts";
import { resolveSourceProvider } from "../../src/connectors/sources/index.ts";
import { AVRO_SOURCE_PROTOCOL } from "../../src/flume/protocol/flume-protocols.ts";
import { RemoteProtocols } from "../../src/flume/protocol/handshake.ts";
import { AvroRpcClient } from "../../src/flume/rpc/avro-rpc-client.ts";
import { freePort, removeDir, tempDir } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function source(options: Record<string, string>, metadataPath: string | null): Source {
  const s = resolveSourceProvider("flume", options, [], null, false).createSource({ metadataPath, conf: new RuntimeConfig(), bounded: false });
  cleanups.push(() => s.stop());
  return s;
}

async function client(port: number, compression: "none" | "deflate" = "none"): Promise<AvroRpcClient> {
  const c = await AvroRpcClient.connect({ host: "127.0.0.1", port, protocol: AVRO_SOURCE_PROTOCOL, compression, remoteProtocols: new RemoteProtocols() });
  cleanups.push(() => c.close());
  return c;
}

const ev = (body: string, headers: Record<string, string> = {}): { headers: Record<string, string>; body: Buffer } => ({ headers, body: Buffer.from(body) });

async function rows(s: Source, start: number | null, end: number, columns?: string[]): Promise<Record<string, unknown>[]> {
  const batches = await s.getBatch(start, end, columns ? { columns } : undefined);
  return batches.flatMap((b) => batchToRows(fromRecordBatch(b)));
}

describe("flume push source (readStream.format(\"flume\"))", () => {
  it("has Spark's columns, needs host and port, and refuses batch reads", () => {
    const p = resolveSourceProvider("flume", { host: "127.0.0.1", port: "41414" }, [], null, false);
    expect(p.schema.toDDL()).toMatch(/^headers MAP<STRING, ?STRING>, body BINARY, timestamp TIMESTAMP$/);
    expect(() => resolveSourceProvider("flume", { host: "h" }, [], null, false)).toThrow(/'host' and 'port' must be specified/);
    expect(() => resolveSourceProvider("flume", { host: "h", port: "1" }, [], null, true)).toThrow(/does not support batch reads/);
    expect(() => resolveSourceProvider("flume", { host: "h", port: "1", "compression-type": "gzip" }, [], null, false)).toThrow(/none or deflate/);
  });

  it("answers OK once events are in its durable buffer; a restart from the same metadata path still has them", async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const meta = join(dir, "sources", "0");
    const port = await freePort();
    const s1 = source({ host: "127.0.0.1", port: String(port) }, meta);
    expect(await s1.latestOffset(null)).toBeNull();
    const c = await client(port);
    const before = Date.now();
    expect(await c.request("appendBatch", { events: [ev("a", { host: "web1" }), ev("b")] })).toBe("OK");
    expect(await c.request("append", { event: ev("c") })).toBe("OK");
    expect(await s1.latestOffset(null)).toBe(3);
    const got = await rows(s1, null, 3);
    expect(got.map((r) => Buffer.from(r.body as Uint8Array).toString())).toEqual(["a", "b", "c"]);
    expect(got[0]!.headers).toEqual(new Map([["host", "web1"]]));
    expect((got[0]!.timestamp as Date).getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(await rows(s1, 1, 3, ["body"])).toEqual([{ body: Buffer.from("b") }, { body: Buffer.from("c") }].map((r) => ({ body: new Uint8Array(r.body) })));
    await s1.commit!(1);
    // "Crash": stop without further commits; a new source on the same path recovers 1..3.
    c.close();
    await s1.stop();
    const s2 = source({ host: "127.0.0.1", port: String(port) }, meta);
    expect(await s2.latestOffset(null)).toBe(3);
    expect((await rows(s2, 1, 3)).map((r) => Buffer.from(r.body as Uint8Array).toString())).toEqual(["b", "c"]);
    await expect(s2.getBatch(0, 3)).rejects.toThrow(/events 0\.\.3 are not buffered/);
    const c2 = await client(port);
    expect(await c2.request("appendBatch", { events: [ev("d")] })).toBe("OK");
    expect(await s2.latestOffset(null)).toBe(4);
    await s2.commit!(4);
    await s2.stop();
    const s3 = source({ host: "127.0.0.1", port: String(port) }, meta);
    expect(await s3.latestOffset(null)).toBe(4);
    expect(await rows(s3, 4, 4)).toEqual([]);
  });

  it("answers FAILED when the buffer is full, and OK again once committed events made room", async () => {
    const port = await freePort();
    const s = source({ host: "127.0.0.1", port: String(port), maxBufferedEvents: "3" }, null);
    await s.latestOffset(null);
    const c = await client(port, "none");
    expect(await c.request("appendBatch", { events: [ev("1"), ev("2")] })).toBe("OK");
    expect(await c.request("appendBatch", { events: [ev("3"), ev("4")] })).toBe("FAILED");
    expect(await s.latestOffset(null)).toBe(2);
    await s.commit!(2);
    expect(await c.request("appendBatch", { events: [ev("3"), ev("4")] })).toBe("OK");
    expect((await rows(s, 2, 4)).map((r) => Buffer.from(r.body as Uint8Array).toString())).toEqual(["3", "4"]);
    expect(s.metrics!()).toEqual({ eventsReceived: "4", eventsRefused: "2" });
  });

  it("accepts a deflated connection with compression-type deflate or Spark's enableDecompression", async () => {
    const port = await freePort();
    const s = source({ host: "127.0.0.1", port: String(port), enableDecompression: "true" }, null);
    await s.latestOffset(null);
    const c = await client(port, "deflate");
    expect(await c.request("appendBatch", { events: [ev("zipped")] })).toBe("OK");
    expect(await s.latestOffset(null)).toBe(1);
  });
});
