import { randomBytes } from "node:crypto";
import { deflateSync, inflateSync, constants } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { AvroProtocol } from "../../src/flume/protocol/avro-protocol.ts";
import { AVRO_SOURCE_PROTOCOL } from "../../src/flume/protocol/flume-protocols.ts";
import { RemoteProtocols } from "../../src/flume/protocol/handshake.ts";
import { AvroRpcClient } from "../../src/flume/rpc/avro-rpc-client.ts";
import { AvroRpcServer } from "../../src/flume/rpc/avro-rpc-server.ts";
import type { CompressionType } from "../../src/flume/transport/frame-connection.ts";
import { avroString, captureLog, frameBytes, RawPeer, until, zigzag } from "./helpers.ts";

interface Received { events: { headers: Record<string, string>; body: Buffer }[] }

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(compression: CompressionType = "none", answer: () => string = () => "OK"): Promise<{ server: AvroRpcServer; received: Received[] }> {
  const received: Received[] = [];
  const s = await AvroRpcServer.listen({
    host: "127.0.0.1", port: 0, protocol: AVRO_SOURCE_PROTOCOL, name: "test server", compression,
    handlers: {
      appendBatch: (req) => { received.push(req as unknown as Received); return answer(); },
      append: (req) => { received.push({ events: [(req as { event: Received["events"][0] }).event] }); return answer(); },
    },
  });
  cleanups.push(() => s.close());
  return { server: s, received };
}

async function client(port: number, protocol = AVRO_SOURCE_PROTOCOL, extra: Partial<Parameters<typeof AvroRpcClient.connect>[0]> = {}): Promise<AvroRpcClient> {
  const c = await AvroRpcClient.connect({ host: "127.0.0.1", port, protocol, compression: "none", remoteProtocols: new RemoteProtocols(), ...extra });
  cleanups.push(() => c.close());
  return c;
}

// ---- byte sequences from the Avro specification ----
const NULL_BRANCH = Buffer.from([0x00]);
const handshakeRequest = (clientHash: Buffer, serverHash: Buffer, clientProtocol: string | null): Buffer =>
  Buffer.concat([clientHash, clientProtocol === null ? NULL_BRANCH : Buffer.concat([zigzag(1), avroString(clientProtocol)]), serverHash, NULL_BRANCH]);
const EMPTY_MAP = Buffer.from([0x00]);
/** appendBatch([{headers: {k: v}, body}]) after metadata and name. */
const appendBatchCall = (k: string, v: string, body: string): Buffer => Buffer.concat([
  EMPTY_MAP, avroString("appendBatch"),
  zigzag(1), zigzag(1), avroString(k), avroString(v), zigzag(0), avroString(body), zigzag(0),
]);
/** HandshakeResponse(match = BOTH) with nulls: enum index 0 and three null branches. */
const HANDSHAKE_BOTH = Buffer.from([0x00, 0x00, 0x00, 0x00]);
/** Response metadata {}, error flag false, Status OK (enum index 0). */
const REPLY_OK = Buffer.from([0x00, 0x00, 0x00]);
const serverProtocolTail = (): Buffer => Buffer.concat([zigzag(1), avroString(AVRO_SOURCE_PROTOCOL.text), zigzag(1), AVRO_SOURCE_PROTOCOL.hash, NULL_BRANCH]);

describe("Avro IPC handshake over Netty frames", () => {
  it("BOTH: client and server hashes known; the handshake happens once per connection", async () => {
    const { server: s, received } = await server();
    const peer = await RawPeer.connect(s.port);
    cleanups.push(() => peer.close());
    const hash = AVRO_SOURCE_PROTOCOL.hash;
    peer.write(frameBytes(0, [Buffer.concat([handshakeRequest(hash, hash, null), appendBatchCall("a", "b", "x")])]));
    const r1 = await peer.reply();
    expect(r1.serial).toBe(0);
    expect(r1.data.toString("hex")).toBe(Buffer.concat([HANDSHAKE_BOTH, REPLY_OK]).toString("hex"));
    // Second call on the connection: no handshake either way.
    peer.write(frameBytes(1, [appendBatchCall("c", "d", "y")]));
    const r2 = await peer.reply();
    expect(r2.serial).toBe(1);
    expect(r2.data.toString("hex")).toBe(REPLY_OK.toString("hex"));
    expect(received.map((r) => r.events.map((e) => [e.headers, e.body.toString()]))).toEqual([[[{ a: "b" }, "x"]], [[{ c: "d" }, "y"]]]);
  });

  it("NONE: unknown client hash without protocol gets the server's protocol and nothing else; the resend with the protocol succeeds and is remembered across connections", async () => {
    const { server: s, received } = await server();
    const clientText = AVRO_SOURCE_PROTOCOL.text.replace("\"AvroSourceProtocol\"", "\"AvroSourceProtocol\" ");
    const clientHash = AvroProtocol.parse(clientText).hash;
    const peer = await RawPeer.connect(s.port);
    cleanups.push(() => peer.close());
    peer.write(frameBytes(7, [Buffer.concat([handshakeRequest(clientHash, clientHash, null), appendBatchCall("a", "b", "lost")])]));
    const none = await peer.reply();
    expect(none.serial).toBe(7);
    expect(none.data.toString("hex")).toBe(Buffer.concat([zigzag(2), serverProtocolTail()]).toString("hex"));
    expect(received).toEqual([]);
    // Resend with the protocol text and the server's hash: BOTH.
    peer.write(frameBytes(8, [Buffer.concat([handshakeRequest(clientHash, AVRO_SOURCE_PROTOCOL.hash, clientText), appendBatchCall("a", "b", "x")])]));
    expect((await peer.reply()).data.toString("hex")).toBe(Buffer.concat([HANDSHAKE_BOTH, REPLY_OK]).toString("hex"));
    // A new connection: the server remembers the client's protocol by its hash.
    const peer2 = await RawPeer.connect(s.port);
    cleanups.push(() => peer2.close());
    peer2.write(frameBytes(0, [Buffer.concat([handshakeRequest(clientHash, AVRO_SOURCE_PROTOCOL.hash, null), appendBatchCall("e", "f", "z")])]));
    expect((await peer2.reply()).data.toString("hex")).toBe(Buffer.concat([HANDSHAKE_BOTH, REPLY_OK]).toString("hex"));
    expect(received.map((r) => r.events[0]!.body.toString())).toEqual(["x", "z"]);
  });

  it("CLIENT: known client, wrong server hash: the answer carries the server's protocol, then the call's reply", async () => {
    const { server: s } = await server();
    const peer = await RawPeer.connect(s.port);
    cleanups.push(() => peer.close());
    peer.write(frameBytes(3, [Buffer.concat([handshakeRequest(AVRO_SOURCE_PROTOCOL.hash, randomBytes(16), null), appendBatchCall("a", "b", "x")])]));
    const r = await peer.reply();
    expect(r.data.toString("hex")).toBe(Buffer.concat([zigzag(1), serverProtocolTail(), REPLY_OK]).toString("hex"));
  });

  it("answers a ping (empty message name) with the handshake alone; replies to serials above 65,535 and up to 2^31−1", async () => {
    const { server: s } = await server();
    const peer = await RawPeer.connect(s.port);
    cleanups.push(() => peer.close());
    const hash = AVRO_SOURCE_PROTOCOL.hash;
    peer.write(frameBytes(0x7fffffff, [Buffer.concat([handshakeRequest(hash, hash, null), EMPTY_MAP, avroString("")])]));
    const ping = await peer.reply();
    expect(ping.serial).toBe(0x7fffffff);
    expect(ping.data.toString("hex")).toBe(HANDSHAKE_BOTH.toString("hex"));
    peer.write(frameBytes(65_536, [appendBatchCall("a", "b", "x")]));
    expect((await peer.reply()).serial).toBe(65_536);
  });

  it("reads a call whose values straddle many small buffers, and a batch split across many 8 KiB buffers", async () => {
    const { server: s, received } = await server();
    const peer = await RawPeer.connect(s.port);
    cleanups.push(() => peer.close());
    const hash = AVRO_SOURCE_PROTOCOL.hash;
    const call = Buffer.concat([handshakeRequest(hash, hash, null), appendBatchCall("key", "value", "straddling")]);
    const sevens: Buffer[] = [];
    for (let i = 0; i < call.length; i += 7) sevens.push(call.subarray(i, i + 7));
    const bytes = frameBytes(1, sevens);
    for (let i = 0; i < bytes.length; i += 5) peer.write(bytes.subarray(i, i + 5));
    expect((await peer.reply()).data.toString("hex")).toBe(Buffer.concat([HANDSHAKE_BOTH, REPLY_OK]).toString("hex"));
    expect(received[0]!.events[0]!.body.toString()).toBe("straddling");

    // The client cuts a 1.2 MB batch into 8 KiB buffers.
    const c = await client(s.port, AVRO_SOURCE_PROTOCOL, { firstSerial: 100_000 });
    const events = Array.from({ length: 3000 }, (_, i) => ({ headers: { n: String(i) }, body: Buffer.alloc(400, i % 251) }));
    expect(await c.request("appendBatch", { events })).toBe("OK");
    const got = received[1]!.events;
    expect(got.length).toBe(3000);
    expect(got.every((e, i) => e.headers.n === String(i) && e.body.equals(events[i]!.body))).toBe(true);
  });

  it("the client does NONE → resend → BOTH with an unknown protocol, remembers the server, and the server remembers it", async () => {
    const { server: s } = await server();
    const variant = AvroProtocol.parse(AVRO_SOURCE_PROTOCOL.text.replace("\"namespace\"", " \"namespace\""));
    const remotes = new RemoteProtocols();
    const c1 = await client(s.port, variant, { remoteProtocols: remotes });
    expect(await c1.request("append", { event: { headers: {}, body: Buffer.from("1") } })).toBe("OK");
    expect(await c1.request("append", { event: { headers: {}, body: Buffer.from("2") } })).toBe("OK");
    expect(c1.handshakes).toEqual(["NONE", "BOTH"]);
    const c2 = await client(s.port, variant, { remoteProtocols: remotes });
    await c2.ping();
    expect(c2.handshakes).toEqual(["BOTH"]);
    // A client that guesses the server speaks its own (different) protocol text: CLIENT.
    const c3 = await client(s.port, variant, { remoteProtocols: new RemoteProtocols() });
    expect(await c3.request("append", { event: { headers: {}, body: Buffer.from("3") } })).toBe("OK");
    expect(c3.handshakes).toEqual(["CLIENT"]);
  });

  it("sends handler errors as Avro errors, and FAILED as a status", async () => {
    let mode = "FAILED";
    const { server: s } = await server("none", () => { if (mode === "throw") throw new Error("buffer on fire"); return mode; });
    const c = await client(s.port);
    expect(await c.request("appendBatch", { events: [] })).toBe("FAILED");
    mode = "throw";
    await expect(c.request("appendBatch", { events: [] })).rejects.toThrow(/appendBatch on 127\.0\.0\.1:\d+ failed: buffer on fire/);
  });

  it("deflates the whole connection (zlib stream, sync-flushed) when both sides use compression-type deflate", async () => {
    const { server: s, received } = await server("deflate");
    const c = await client(s.port, AVRO_SOURCE_PROTOCOL, { compression: "deflate" });
    const events = Array.from({ length: 500 }, (_, i) => ({ headers: { i: String(i) }, body: Buffer.from(`line ${i} `.repeat(20)) }));
    expect(await c.request("appendBatch", { events })).toBe("OK");
    expect(await c.request("appendBatch", { events: events.slice(0, 1) })).toBe("OK");
    expect(received.map((r) => r.events.length)).toEqual([500, 1]);
    // By hand: a zlib stream carrying one frame, as Netty's ZlibEncoder would send it.
    const peer = await RawPeer.connect(s.port);
    cleanups.push(() => peer.close());
    const hash = AVRO_SOURCE_PROTOCOL.hash;
    const raw = frameBytes(9, [Buffer.concat([handshakeRequest(hash, hash, null), appendBatchCall("z", "1", "zipped")])]);
    peer.write(deflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }));
    const chunks: Buffer[] = [];
    peer.socket.on("data", (d: Buffer) => chunks.push(d));
    await until(() => chunks.length, (n) => n > 0);
    const reply = inflateSync(Buffer.concat(chunks), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(reply.toString("hex")).toBe(frameBytes(9, [Buffer.concat([HANDSHAKE_BOTH, REPLY_OK])]).toString("hex"));
    expect(received[2]!.events[0]!.body.toString()).toBe("zipped");
  });

  it("closes a connection that sends a malformed frame, logs why, and keeps serving others", async () => {
    const { server: s } = await server();
    const good = await client(s.port);
    const { result: bad, lines } = await captureLog(async () => {
      const peer = await RawPeer.connect(s.port);
      const head = Buffer.alloc(8);
      head.writeInt32BE(42, 0);
      head.writeInt32BE(-5, 4);
      peer.write(head);
      await until(() => peer.closed, (v) => v, 5000, "the server to close the connection");
      return peer;
    });
    expect(bad.closed).toBe(true);
    expect(lines.some((l) => /ERROR rivulet\.flume\.rpc: test server: closing the connection from 127\.0\.0\.1:\d+: malformed frame \(serial 42\): buffer count -5/.test(l))).toBe(true);
    expect(await good.request("appendBatch", { events: [] })).toBe("OK");
    const again = await client(s.port);
    expect(await again.request("appendBatch", { events: [] })).toBe("OK");
  });
});
