import { createConnection, type Socket } from "node:net";
import { ConnectorError } from "../../common/errors.ts";
import { AvroReader, BOOLEAN, META, STRING } from "../protocol/avro.ts";
import type { AvroMessage, AvroProtocol } from "../protocol/avro-protocol.ts";
import { HANDSHAKE_REQUEST, HANDSHAKE_RESPONSE, RemoteProtocols, type HandshakeMatch, type HandshakeResponse } from "../protocol/handshake.ts";
import { FrameConnection, type FrameConnectionOptions } from "../transport/frame-connection.ts";
import { MAX_SERIAL, splitIntoBuffers } from "../transport/netty-frame.ts";

export interface AvroRpcClientOptions extends FrameConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly protocol: AvroProtocol;
  /** Flume's connect-timeout (default 20 s). */
  readonly connectTimeoutMs?: number;
  /** Flume's request-timeout (default 20 s). */
  readonly requestTimeoutMs?: number;
  /** The first call's serial (Java starts at 0); serials wrap after 2^31−1. */
  readonly firstSerial?: number;
  /** What the client learnt about servers' protocols; shared by all clients unless given (as Java's static maps). */
  readonly remoteProtocols?: RemoteProtocols;
}

const SHARED_REMOTES = new RemoteProtocols();
const EMPTY_META = META.toBuffer({});

interface Pending {
  resolve(data: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * An Avro RPC client on the Netty transport (Java `NettyTransceiver` + `Requestor`): the
 * first call carries the handshake (with the client's protocol only after a NONE), later
 * calls on the connection do not; replies are matched to calls by serial.
 */
export class AvroRpcClient {
  readonly remoteName: string;
  readonly #connection: FrameConnection;
  readonly #remotes: RemoteProtocols;
  readonly #pending = new Map<number, Pending>();
  #serial: number;
  #remote: AvroProtocol | null = null;
  #sendLocalText = false;
  #handshake: Promise<void> | null = null;
  #closedError: ConnectorError | null = null;
  /** Match of each handshake this client did, for tests and logs. */
  readonly handshakes: HandshakeMatch[] = [];

  private constructor(readonly options: AvroRpcClientOptions, socket: Socket) {
    this.remoteName = `${options.host}:${options.port}`;
    this.#remotes = options.remoteProtocols ?? SHARED_REMOTES;
    this.#serial = options.firstSerial ?? 0;
    this.#connection = new FrameConnection(socket, options);
    this.#connection.onFrame = (frame) => {
      const p = this.#pending.get(frame.serial);
      if (p === undefined) return;
      this.#pending.delete(frame.serial);
      clearTimeout(p.timer);
      p.resolve(frame.buffers.length === 1 ? frame.buffers[0]! : Buffer.concat(frame.buffers));
    };
    this.#connection.onError = (e) => { this.#closedError ??= new ConnectorError(`connection to ${this.remoteName} failed: ${e.message}`, { cause: e }); };
    this.#connection.onClose = () => {
      const error = this.#closedError ?? new ConnectorError(`connection to ${this.remoteName} closed`);
      this.#closedError = error;
      for (const p of this.#pending.values()) { clearTimeout(p.timer); p.reject(error); }
      this.#pending.clear();
    };
  }

  static connect(options: AvroRpcClientOptions): Promise<AvroRpcClient> {
    const timeout = options.connectTimeoutMs ?? 20_000;
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectorError(`cannot connect to ${options.host}:${options.port} within ${timeout} ms`));
      }, timeout);
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(new ConnectorError(`cannot connect to ${options.host}:${options.port}: ${e.message}`, { cause: e }));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new AvroRpcClient(options, socket));
      });
    });
  }

  get closed(): boolean {
    return this.#connection.closed;
  }

  close(): void {
    this.#connection.close();
  }

  /** Calls `messageName` with its parameters (a record of them) and returns the response. */
  async request(messageName: string, params: Record<string, unknown>): Promise<unknown> {
    const m = this.options.protocol.message(messageName);
    if (m === undefined) throw new ConnectorError(`Not a local message: ${messageName} in ${this.options.protocol.name}`);
    const payload = m.requestType.toBuffer(params);
    const body = Buffer.concat([EMPTY_META, STRING.toBuffer(messageName), payload]);
    const reader = await this.#call(body);
    return this.#readResponse(reader, m);
  }

  /** A handshake-only call (empty message name), as Java's `Requestor.getRemote()` forces one. */
  async ping(): Promise<void> {
    await this.#call(Buffer.concat([EMPTY_META, STRING.toBuffer("")]));
  }

  /** Sends `body` (metadata, name, parameters) with a handshake in front while the connection has none; the reader is past the handshake. */
  async #call(body: Buffer): Promise<AvroReader> {
    while (this.#remote === null) {
      if (this.#handshake !== null) {
        await this.#handshake.catch(() => undefined);
        continue;
      }
      let done!: () => void;
      this.#handshake = new Promise<void>((resolve) => { done = resolve; });
      try {
        return await this.#handshakeCall(body);
      } finally {
        this.#handshake = null;
        done();
      }
    }
    return new AvroReader(await this.#transceive(body));
  }

  async #handshakeCall(body: Buffer): Promise<AvroReader> {
    const local = this.options.protocol;
    for (let attempt = 0; attempt < 2; attempt++) {
      const guess = this.#remotes.guess(this.remoteName, local);
      const handshake = HANDSHAKE_REQUEST.toBuffer({
        clientHash: local.hash,
        clientProtocol: this.#sendLocalText ? local.text : null,
        serverHash: guess.hash,
        meta: null,
      });
      const reader = new AvroReader(await this.#transceive(Buffer.concat([handshake, body])));
      const response = reader.read<HandshakeResponse>(HANDSHAKE_RESPONSE, "handshake response");
      this.handshakes.push(response.match);
      switch (response.match) {
        case "BOTH":
          this.#remote = guess.protocol;
          this.#sendLocalText = false;
          return reader;
        case "CLIENT":
          this.#remote = this.#remotes.learn(this.remoteName, response);
          this.#sendLocalText = false;
          return reader;
        case "NONE":
          this.#remotes.learn(this.remoteName, response);
          this.#sendLocalText = true;
          break;
      }
    }
    throw new ConnectorError(`handshake with ${this.remoteName} failed: the server answered NONE although the client sent its protocol`);
  }

  #readResponse(reader: AvroReader, m: AvroMessage): unknown {
    const remote = this.#remote!;
    const rm = remote.message(m.name);
    if (rm === undefined) throw new ConnectorError(`Not a remote message: ${m.name} (${this.remoteName} speaks ${remote.name})`);
    reader.read(META, "response metadata");
    const key = `${remote.hash.toString("hex")}/${m.name}`;
    if (!reader.read<boolean>(BOOLEAN, "error flag")) {
      return reader.read(m.responseType, `${m.name} response`, this.options.protocol.resolver(`${key}/response`, m.responseType, rm.responseType));
    }
    const error = reader.read(m.errorType, `${m.name} error`, this.options.protocol.resolver(`${key}/error`, m.errorType, rm.errorType));
    throw new ConnectorError(`${m.name} on ${this.remoteName} failed: ${typeof error === "string" ? error : JSON.stringify(error)}`);
  }

  #transceive(body: Buffer): Promise<Buffer> {
    if (this.#closedError !== null || this.#connection.closed) {
      return Promise.reject(this.#closedError ?? new ConnectorError(`connection to ${this.remoteName} closed`));
    }
    const serial = this.#serial;
    this.#serial = serial >= MAX_SERIAL ? 0 : serial + 1;
    const timeout = this.options.requestTimeoutMs ?? 20_000;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(serial);
        reject(new ConnectorError(`call ${serial} to ${this.remoteName} timed out after ${timeout} ms`));
      }, timeout);
      this.#pending.set(serial, { resolve, reject, timer });
      this.#connection.send({ serial, buffers: splitIntoBuffers(body) });
    });
  }
}
