import type { Socket } from "node:net";
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from "node:zlib";
import { ConnectorError } from "../../common/errors.ts";
import { DEFAULT_FRAME_LIMITS, encodeNettyFrame, FrameError, NettyFrameDecoder, type FrameLimits, type NettyFrame } from "./netty-frame.ts";

/** Flume's `compression-type`: none, or zlib-wrapped deflate of the whole connection (Netty's ZlibEncoder/ZlibDecoder). */
export type CompressionType = "none" | "deflate";

export function compressionTypeOf(value: string | undefined, where: string): CompressionType {
  const v = (value ?? "none").trim().toLowerCase();
  if (v === "none" || v === "deflate") return v;
  throw new ConnectorError(`${where}: compression-type must be none or deflate, not '${value}'`);
}

export interface FrameConnectionOptions {
  readonly compression: CompressionType;
  /** zlib level for deflate, 0..9 (Flume's default 6). */
  readonly compressionLevel?: number;
  readonly limits?: FrameLimits;
}

/**
 * A socket carrying Netty frames, optionally deflated as a whole (each write ends in a
 * sync flush, so a peer can inflate it at once). Reports frames, frame errors and close.
 */
export class FrameConnection {
  readonly #decoder: NettyFrameDecoder;
  readonly #deflate: Deflate | null = null;
  readonly #inflate: Inflate | null = null;
  #closed = false;
  onFrame: (frame: NettyFrame) => void = () => undefined;
  onError: (error: Error) => void = () => undefined;
  onClose: () => void = () => undefined;

  constructor(readonly socket: Socket, options: FrameConnectionOptions) {
    this.#decoder = new NettyFrameDecoder(options.limits ?? DEFAULT_FRAME_LIMITS);
    if (options.compression === "deflate") {
      this.#deflate = createDeflate({ level: options.compressionLevel ?? 6 });
      this.#inflate = createInflate();
      this.#deflate.on("data", (chunk: Buffer) => { if (!socket.destroyed) socket.write(chunk); });
      this.#deflate.on("error", (e) => this.#fail(e));
      this.#inflate.on("data", (chunk: Buffer) => this.#receive(chunk));
      this.#inflate.on("error", (e) => this.#fail(new FrameError(`cannot inflate the connection (is the peer's compression-type deflate too?): ${e.message}`, { cause: e })));
      socket.on("data", (chunk: Buffer) => this.#inflate!.write(chunk));
    } else {
      socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    }
    socket.on("error", (e) => this.#fail(e));
    socket.on("close", () => {
      this.#closed = true;
      this.#deflate?.destroy();
      this.#inflate?.destroy();
      this.onClose();
    });
  }

  get closed(): boolean {
    return this.#closed || this.socket.destroyed;
  }

  get remoteName(): string {
    return `${this.socket.remoteAddress ?? "?"}:${this.socket.remotePort ?? "?"}`;
  }

  send(frame: NettyFrame): void {
    if (this.closed) return;
    const bytes = encodeNettyFrame(frame);
    if (this.#deflate !== null) {
      this.#deflate.write(bytes);
      this.#deflate.flush(constants.Z_SYNC_FLUSH);
    } else {
      this.socket.write(bytes);
    }
  }

  close(): void {
    this.#closed = true;
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    let frames: NettyFrame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.onError(error);
    this.close();
  }
}
