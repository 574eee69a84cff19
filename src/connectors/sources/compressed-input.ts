import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { gunzipSync, inflateSync } from "node:zlib";
import { ConnectorError } from "../../common/errors.ts";

/**
 * Hadoop's compression codecs as Spark picks them for an input file: by the file name's
 * extension (CompressionCodecFactory). gzip (`.gz`) and deflate (`.deflate`, zlib-wrapped
 * as Hadoop's DefaultCodec writes it) are read; the others are named in an error rather
 * than read as garbage.
 */
export type InputCodec = "gzip" | "deflate" | "bzip2" | "lz4" | "snappy" | "zstd";

const CODEC_BY_EXTENSION: Readonly<Record<string, InputCodec>> = {
  ".gz": "gzip", ".deflate": "deflate", ".bz2": "bzip2", ".lz4": "lz4", ".snappy": "snappy", ".zst": "zstd",
};

/** The codec of a file by its extension, or null for a plain file. */
export function inputCodecOf(path: string): InputCodec | null {
  return CODEC_BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

export function isCompressedInput(path: string): boolean {
  return inputCodecOf(path) !== null;
}

function decompress(path: string, codec: InputCodec, bytes: Buffer): Buffer {
  try {
    switch (codec) {
      case "gzip": return gunzipSync(bytes); // concatenated members too, as GzipCodec reads them
      case "deflate": return inflateSync(bytes);
      default:
        throw new ConnectorError(`cannot read ${path}: the ${codec} codec (file extension '${extname(path)}') is not supported by rivulet; supported: gzip (.gz), deflate (.deflate)`);
    }
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    throw new ConnectorError(`cannot read ${path}: not valid ${codec} data (${(e as Error).message})`, { cause: e });
  }
}

/** A file's bytes, decompressed when its extension names a codec. */
export async function readInputBytes(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  const codec = inputCodecOf(path);
  return codec === null ? bytes : decompress(path, codec, bytes);
}

export function readInputBytesSync(path: string): Buffer {
  const bytes = readFileSync(path);
  const codec = inputCodecOf(path);
  return codec === null ? bytes : decompress(path, codec, bytes);
}

/** The bytes of `b` less a UTF-8 byte order mark at its start. */
export function withoutUtf8Bom(b: Buffer): Buffer {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}
