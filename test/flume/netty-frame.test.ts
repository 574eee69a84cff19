import { describe, expect, it } from "vitest";
import { encodeNettyFrame, FrameError, MAX_SERIAL, NettyFrameDecoder, splitIntoBuffers } from "../../src/flume/transport/netty-frame.ts";
import { frameBytes } from "./helpers.ts";

describe("Netty framing (Avro NettyTransportCodec)", () => {
  it("encodes serial, buffer count and length-prefixed buffers, big-endian, without terminator", () => {
    const bytes = encodeNettyFrame({ serial: 70_000, buffers: [Buffer.from("ab"), Buffer.from("c")] });
    expect(bytes.toString("hex")).toBe(
      "00011170" + "00000002" + "00000002" + "6162" + "00000001" + "63",
    );
    expect(encodeNettyFrame({ serial: MAX_SERIAL, buffers: [] }).toString("hex")).toBe("7fffffff00000000");
  });

  it("reassembles frames from chunks of any size, several per chunk", () => {
    const a = frameBytes(1, [Buffer.from("hello"), Buffer.alloc(0), Buffer.from("world")]);
    const b = frameBytes(MAX_SERIAL, [Buffer.alloc(20_000, 7)]);
    const all = Buffer.concat([a, b, a]);
    for (const step of [1, 3, 4, 8, 13, all.length]) {
      const decoder = new NettyFrameDecoder();
      const frames = [];
      for (let i = 0; i < all.length; i += step) frames.push(...decoder.push(all.subarray(i, i + step)));
      expect(frames.map((f) => f.serial)).toEqual([1, MAX_SERIAL, 1]);
      expect(frames[0]!.buffers.map((x) => x.toString())).toEqual(["hello", "", "world"]);
      expect(Buffer.concat(frames[1]!.buffers).equals(Buffer.alloc(20_000, 7))).toBe(true);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it("splits a call into 8 KiB buffers as Java's ByteBufferOutputStream does", () => {
    const parts = splitIntoBuffers(Buffer.alloc(8192 * 3 + 5));
    expect(parts.map((p) => p.length)).toEqual([8192, 8192, 8192, 5]);
    expect(splitIntoBuffers(Buffer.alloc(0))).toEqual([]);
  });

  it("rejects negative or excessive counts and lengths", () => {
    const head = (serial: number, count: number): Buffer => { const b = Buffer.alloc(8); b.writeInt32BE(serial); b.writeInt32BE(count, 4); return b; };
    expect(() => new NettyFrameDecoder().push(head(5, -1))).toThrow(FrameError);
    expect(() => new NettyFrameDecoder().push(head(5, -1))).toThrow(/serial 5.*buffer count -1/);
    expect(() => new NettyFrameDecoder({ maxBuffers: 10, maxFrameBytes: 100 }).push(head(1, 11))).toThrow(/buffer count 11/);
    const badLength = Buffer.concat([head(2, 1), Buffer.from([0xff, 0xff, 0xff, 0xfe])]);
    expect(() => new NettyFrameDecoder().push(badLength)).toThrow(/buffer 1 of 1 has length -2/);
    const tooLong = Buffer.concat([head(3, 1), Buffer.from([0, 0, 1, 0])]);
    expect(() => new NettyFrameDecoder({ maxBuffers: 10, maxFrameBytes: 100 }).push(tooLong)).toThrow(/over the limit of 100 bytes/);
  });
});
