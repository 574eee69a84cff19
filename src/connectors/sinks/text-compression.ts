import { deflateSync, gzipSync } from "node:zlib";
import { ConnectorError } from "../../common/errors.ts";
import { getOption } from "./sink-input.ts";

/** Spark's CompressionCodecs short names for text formats (json, csv): the codecs rivulet writes. */
export type TextCompression = "none" | "gzip" | "deflate";

const KNOWN = ["none", "uncompressed", "bzip2", "deflate", "gzip", "lz4", "snappy", "zstd"];

/**
 * The `compression` (or `codec`) option of the JSON and CSV writers, as Spark's
 * CompressionCodecs.getCodecClassName: a short name, case-insensitive; bzip2, lz4, snappy
 * and zstd are known to Spark but not written by rivulet.
 */
export function textCompressionOf(options: Readonly<Record<string, string>>, format: string): TextCompression {
  const text = getOption(options, "compression") ?? getOption(options, "codec");
  if (text === undefined) return "none";
  const name = text.trim().toLowerCase();
  if (name === "none" || name === "uncompressed") return "none";
  if (name === "gzip" || name === "deflate") return name;
  if (KNOWN.includes(name)) throw new ConnectorError(`${format} sink: the ${name} codec is not supported by rivulet's writer; use gzip, deflate or none`);
  throw new ConnectorError(`[CODEC_NOT_AVAILABLE.WITH_AVAILABLE_CODECS_SUGGESTION] The codec ${text} is not available. Available codecs are ${KNOWN.join(", ")}.`);
}

/** The extension Hadoop's codec adds after the format's (`part-….json.gz`). */
export function compressionExtension(compression: TextCompression): string {
  return compression === "gzip" ? ".gz" : compression === "deflate" ? ".deflate" : "";
}

/** A part file's content compressed (deflate: zlib-wrapped, as Hadoop's DefaultCodec writes it). */
export function compressText(content: string, compression: TextCompression): string | Uint8Array {
  switch (compression) {
    case "none": return content;
    case "gzip": return gzipSync(content);
    case "deflate": return deflateSync(content);
  }
}
