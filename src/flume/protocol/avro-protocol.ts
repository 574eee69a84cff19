import { createHash } from "node:crypto";
import { ConnectorError } from "../../common/errors.ts";
import { AvroService, type AvroResolver, type AvroType } from "./avro.ts";

/** One message of a protocol, with its Avro types (avsc's view of the protocol). */
export interface AvroMessage {
  readonly name: string;
  /** A record of the message's parameters. */
  readonly requestType: AvroType;
  readonly responseType: AvroType;
  /** The union of "string" (system errors) and the declared errors. */
  readonly errorType: AvroType;
  readonly oneWay: boolean;
}

interface ServiceMessage {
  readonly name: string;
  readonly requestType: AvroType;
  readonly responseType: AvroType;
  readonly errorType: AvroType;
  readonly oneWay: boolean;
}

/**
 * An Avro protocol as the IPC handshake knows it: its JSON text (sent as
 * `clientProtocol`/`serverProtocol`) and the MD5 of that text (the protocol's hash).
 */
export class AvroProtocol {
  readonly name: string;
  readonly hash: Buffer;
  readonly #messages = new Map<string, AvroMessage>();
  readonly #resolvers = new Map<string, AvroResolver>();

  private constructor(readonly text: string) {
    let json: { protocol?: unknown };
    let service: { messages: readonly ServiceMessage[] };
    try {
      json = JSON.parse(text) as { protocol?: unknown };
      service = AvroService.forProtocol(json) as unknown as { messages: readonly ServiceMessage[] };
    } catch (error) {
      throw new ConnectorError(`not a valid Avro protocol: ${(error as Error).message}`, { cause: error });
    }
    this.name = String(json.protocol);
    this.hash = protocolHash(text);
    for (const m of service.messages) this.#messages.set(m.name, m);
  }

  /** Parses a protocol's JSON text; the hash is the MD5 of exactly this text. */
  static parse(text: string): AvroProtocol {
    return new AvroProtocol(text);
  }

  message(name: string): AvroMessage | undefined {
    return this.#messages.get(name);
  }

  get messageNames(): string[] {
    return [...this.#messages.keys()];
  }

  /** Reads values that `writer` (a remote protocol's type) wrote, as this protocol's `reader` type. */
  resolver(key: string, reader: AvroType, writer: AvroType): AvroResolver | undefined {
    if (reader === writer || reader.equals(writer)) return undefined;
    let r = this.#resolvers.get(key);
    if (r === undefined) {
      r = reader.createResolver(writer);
      this.#resolvers.set(key, r);
    }
    return r;
  }
}

/** Java's `Protocol.getMD5()`: MD5 of the protocol's JSON text in UTF-8. */
export function protocolHash(text: string): Buffer {
  return createHash("md5").update(text, "utf8").digest();
}
