import { ConnectorError } from "../../common/errors.ts";
import { avroType } from "./avro.ts";
import { AvroProtocol } from "./avro-protocol.ts";

/**
 * The Avro IPC handshake (Avro specification, "Handshake"): the first request on a
 * connection starts with a HandshakeRequest, the first response with a HandshakeResponse.
 */

const MD5 = { type: "fixed", name: "MD5", size: 16 };
const META = ["null", { type: "map", values: "bytes" }];

export const HANDSHAKE_REQUEST = avroType({
  type: "record", name: "HandshakeRequest", namespace: "org.apache.avro.ipc",
  fields: [
    { name: "clientHash", type: MD5 },
    { name: "clientProtocol", type: ["null", "string"] },
    { name: "serverHash", type: "MD5" },
    { name: "meta", type: META },
  ],
});

export const HANDSHAKE_RESPONSE = avroType({
  type: "record", name: "HandshakeResponse", namespace: "org.apache.avro.ipc",
  fields: [
    { name: "match", type: { type: "enum", name: "HandshakeMatch", symbols: ["BOTH", "CLIENT", "NONE"] } },
    { name: "serverProtocol", type: ["null", "string"] },
    { name: "serverHash", type: ["null", MD5] },
    { name: "meta", type: META },
  ],
});

export type HandshakeMatch = "BOTH" | "CLIENT" | "NONE";

export interface HandshakeRequest {
  readonly clientHash: Buffer;
  readonly clientProtocol: string | null;
  readonly serverHash: Buffer;
  readonly meta: Record<string, Buffer> | null;
}

export interface HandshakeResponse {
  readonly match: HandshakeMatch;
  readonly serverProtocol: string | null;
  readonly serverHash: Buffer | null;
  readonly meta: Record<string, Buffer> | null;
}

/**
 * The server's side, as Java's `Responder`: it knows client protocols by hash, across
 * connections (a client that sent its protocol once need not send it again), starting
 * with its own.
 */
export class ProtocolRegistry {
  readonly #byHash = new Map<string, AvroProtocol>();

  constructor(readonly local: AvroProtocol) {
    this.#byHash.set(local.hash.toString("hex"), local);
  }

  /** The response to `request`, and the client's protocol (null: NONE, the client must send it). */
  answer(request: HandshakeRequest): { response: HandshakeResponse; remote: AvroProtocol | null } {
    const key = request.clientHash.toString("hex");
    let remote = this.#byHash.get(key) ?? null;
    if (remote === null && request.clientProtocol !== null) {
      // Keyed by the hash the client claims, as Java does (its text may render differently here).
      remote = AvroProtocol.parse(request.clientProtocol);
      this.#byHash.set(key, remote);
    }
    const serverMatches = this.local.hash.equals(request.serverHash);
    const match: HandshakeMatch = remote === null ? "NONE" : serverMatches ? "BOTH" : "CLIENT";
    const response: HandshakeResponse = match === "BOTH"
      ? { match, serverProtocol: null, serverHash: null, meta: null }
      : { match, serverProtocol: this.local.text, serverHash: this.local.hash, meta: null };
    return { response, remote };
  }
}

/**
 * The client's memory, as Java's `Requestor`: per server address, the server's protocol
 * hash learnt from a CLIENT or NONE answer; per hash, the protocol.
 */
export class RemoteProtocols {
  readonly #hashes = new Map<string, Buffer>();
  readonly #protocols = new Map<string, AvroProtocol>();

  /** The hash to send as `serverHash`, and the protocol to read responses with. */
  guess(remoteName: string, local: AvroProtocol): { hash: Buffer; protocol: AvroProtocol } {
    const hash = this.#hashes.get(remoteName);
    const protocol = hash === undefined ? undefined : this.#protocols.get(hash.toString("hex"));
    return hash === undefined || protocol === undefined ? { hash: local.hash, protocol: local } : { hash, protocol };
  }

  learn(remoteName: string, response: HandshakeResponse): AvroProtocol {
    if (response.serverProtocol === null || response.serverHash === null) {
      throw new ConnectorError(`handshake answer ${response.match} from ${remoteName} carries no server protocol`);
    }
    const key = response.serverHash.toString("hex");
    const protocol = this.#protocols.get(key) ?? AvroProtocol.parse(response.serverProtocol);
    this.#hashes.set(remoteName, response.serverHash);
    this.#protocols.set(key, protocol);
    return protocol;
  }
}
