import { createServer, type Server, type Socket } from "node:net";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { avroType, AvroReader, BOOLEAN, encodeAll, META, STRING, type AvroType } from "../protocol/avro.ts";
import type { AvroProtocol } from "../protocol/avro-protocol.ts";
import { HANDSHAKE_REQUEST, HANDSHAKE_RESPONSE, ProtocolRegistry, type HandshakeRequest } from "../protocol/handshake.ts";
import { FrameConnection, type FrameConnectionOptions } from "../transport/frame-connection.ts";
import { splitIntoBuffers, type NettyFrame } from "../transport/netty-frame.ts";

const log = new Logger("rivulet.flume.rpc");

/** Answers one message; the value must be of the message's response type. Throwing sends an Avro error. */
export type RpcHandler = (request: Record<string, unknown>, call: { readonly remoteName: string }) => unknown;

export interface AvroRpcServerOptions extends FrameConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly protocol: AvroProtocol;
  readonly handlers: Readonly<Record<string, RpcHandler>>;
  /** For log lines, e.g. "flume source 127.0.0.1:41414". */
  readonly name: string;
}

/** Java's `Protocol.SYSTEM_ERRORS`: a union of string alone. */
const SYSTEM_ERROR = avroType(["string"]);
const EMPTY_META = META.toBuffer({});

interface ConnectionState {
  readonly connection: FrameConnection;
  /** The client's protocol once the handshake succeeded on this connection (Java: the transceiver is "connected"). */
  remote: AvroProtocol | null;
  /** Calls on one connection are answered in order, as Java's Netty handler does. */
  queue: Promise<void>;
}

/**
 * An Avro RPC server speaking the Netty transport (Java `NettyServer` + `Responder`):
 * handshake once per connection, client protocols remembered across connections,
 * pings, system and user errors, optional deflate. A malformed frame closes only that
 * connection, with a log line naming the peer.
 */
export class AvroRpcServer {
  readonly #server: Server;
  readonly #registry: ProtocolRegistry;
  readonly #connections = new Set<ConnectionState>();

  private constructor(readonly options: AvroRpcServerOptions) {
    this.#registry = new ProtocolRegistry(options.protocol);
    this.#server = createServer((socket) => this.#accept(socket));
  }

  static async listen(options: AvroRpcServerOptions): Promise<AvroRpcServer> {
    const server = new AvroRpcServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once("error", (e) => reject(new ConnectorError(`${options.name}: cannot listen on ${options.host}:${options.port}: ${e.message}`, { cause: e })));
      server.#server.listen(options.port, options.host, () => resolve());
    });
    log.info(`${options.name}: listening on ${options.host}:${server.port} (${options.protocol.name}, compression ${options.compression})`);
    return server;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === "object" && address !== null ? address.port : this.options.port;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const c of this.#connections) c.connection.close();
    await closed;
  }

  #accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection = new FrameConnection(socket, this.options);
    const state: ConnectionState = { connection, remote: null, queue: Promise.resolve() };
    const peer = connection.remoteName;
    this.#connections.add(state);
    connection.onFrame = (frame) => {
      state.queue = state.queue.then(async () => {
        const reply = await this.#respond(frame, state, peer);
        if (reply !== null) connection.send({ serial: frame.serial, buffers: splitIntoBuffers(reply) });
      });
    };
    connection.onError = (e) => log.error(`${this.options.name}: closing the connection from ${peer}: ${e.message}`);
    connection.onClose = () => this.#connections.delete(state);
  }

  /** Java's `Responder.respond`: the reply's bytes, or null for a one-way message. */
  async #respond(frame: NettyFrame, state: ConnectionState, peer: string): Promise<Buffer | null> {
    const local = this.options.protocol;
    const reader = new AvroReader(frame.buffers.length === 1 ? frame.buffers[0]! : Buffer.concat(frame.buffers));
    const wasConnected = state.remote !== null;
    let handshake: Buffer = Buffer.alloc(0);
    let payload: Buffer;
    try {
      let remote = state.remote;
      if (remote === null) {
        const request = reader.read<HandshakeRequest>(HANDSHAKE_REQUEST, "handshake request");
        const answer = this.#registry.answer(request);
        handshake = HANDSHAKE_RESPONSE.toBuffer(answer.response);
        if (answer.response.match !== "NONE") state.remote = answer.remote;
        log.debug(`${this.options.name}: handshake with ${peer}: ${answer.response.match}`);
        if (answer.remote === null) return handshake;
        remote = answer.remote;
      }
      reader.read(META, "call metadata");
      const name = reader.read<string>(STRING, "message name");
      if (name === "") return handshake; // a ping
      const rm = remote.message(name);
      if (rm === undefined) throw new ConnectorError(`No such remote message: ${name}`);
      const m = local.message(name);
      if (m === undefined) throw new ConnectorError(`No message named ${name} in ${local.name}`);
      const resolver = local.resolver(`${remote.hash.toString("hex")}/${name}/request`, m.requestType, rm.requestType);
      const request = reader.read<Record<string, unknown>>(m.requestType, `${name} request`, resolver);
      const handler = this.options.handlers[name];
      if (handler === undefined) throw new ConnectorError(`${this.options.name} does not handle ${name}`);
      let response: unknown;
      let error: Error | null = null;
      try {
        response = await handler(request, { remoteName: peer });
      } catch (e) {
        error = e as Error;
        log.warn(`${this.options.name}: ${name} from ${peer} failed: ${error.message}`);
      }
      if (m.oneWay && wasConnected) return null;
      payload = error === null
        ? encodeAll([[BOOLEAN, false], [m.responseType, response ?? null]])
        : encodeAll([[BOOLEAN, true], [m.errorType, String(error.message)]]);
    } catch (e) {
      log.warn(`${this.options.name}: system error answering ${peer}: ${(e as Error).message}`);
      payload = encodeAll([[BOOLEAN, true], [SYSTEM_ERROR as AvroType, String(e)]]);
    }
    return Buffer.concat([handshake, EMPTY_META, payload]);
  }
}
