import avsc from "avsc";
import type { Resolver, Type } from "avsc";
import { ConnectorError } from "../../common/errors.ts";

/** The Avro library (avsc) behind rivulet's Flume protocols: types, schemas and their binary encoding. */
export type AvroType = Type;
export type AvroResolver = Resolver;

/** An Avro type from its JSON schema; unions of null and one type are plain values (or null). */
export function avroType(schema: unknown): AvroType {
  return avsc.Type.forSchema(schema as never, { wrapUnions: false });
}

export const AvroService = avsc.Service;

/** Reads Avro values one after another from one buffer, as Java's BinaryDecoder reads a call. */
export class AvroReader {
  #pos = 0;

  constructor(readonly buffer: Buffer) {}

  get position(): number {
    return this.#pos;
  }

  get atEnd(): boolean {
    return this.#pos >= this.buffer.length;
  }

  read<T = unknown>(type: AvroType, what: string, resolver?: AvroResolver): T {
    let decoded: { value: unknown; offset: number };
    try {
      decoded = type.decode(this.buffer, this.#pos, resolver);
    } catch (error) {
      throw new ConnectorError(`malformed Avro ${what} at byte ${this.#pos}: ${(error as Error).message}`, { cause: error });
    }
    if (decoded.offset < 0) throw new ConnectorError(`truncated Avro ${what} at byte ${this.#pos} of ${this.buffer.length}`);
    this.#pos = decoded.offset;
    return decoded.value as T;
  }
}

/** The binary encodings of `parts`, concatenated. */
export function encodeAll(parts: readonly (readonly [AvroType, unknown])[]): Buffer {
  return Buffer.concat(parts.map(([type, value]) => type.toBuffer(value)));
}

export const STRING = avroType("string");
export const BOOLEAN = avroType("boolean");
/** Call metadata of every request and response (Avro spec: `map<bytes>`). */
export const META = avroType({ type: "map", values: "bytes" });
