import { ConnectorError } from "../../common/errors.ts";

/**
 * Text in a file's charset (Spark's CSV `encoding` / `charset` option, UTF-8 by default):
 * ISO-8859-1 byte for byte, the rest as the WHATWG decoders name them (UTF-16LE/BE,
 * windows-1252, Shift_JIS…). A UTF-8 byte order mark is dropped, as Java's reader does not
 * keep it either for Spark's CSV (univocity skips it).
 */
export function decodeText(bytes: Buffer, charset: string): string {
  const name = charset.trim().toLowerCase().replace(/_/g, "-");
  if (name === "utf-8" || name === "utf8") return new TextDecoder("utf-8").decode(bytes);
  if (name === "iso-8859-1" || name === "latin1" || name === "iso8859-1") return bytes.toString("latin1");
  if (name === "us-ascii" || name === "ascii") return bytes.toString("latin1");
  return new TextDecoder(textDecoderLabel(charset)).decode(bytes);
}

/** Checks a charset name when the options are read, so that a typo fails before any file is. */
export function checkCharset(charset: string, format: string): void {
  const name = charset.trim().toLowerCase().replace(/_/g, "-");
  if (["utf-8", "utf8", "iso-8859-1", "latin1", "iso8859-1", "us-ascii", "ascii"].includes(name)) return;
  textDecoderLabel(charset, format);
}

function textDecoderLabel(charset: string, format = "csv"): string {
  try {
    new TextDecoder(charset.trim());
    return charset.trim();
  } catch {
    throw new ConnectorError(`${format} source: unsupported charset '${charset}' (option 'encoding')`);
  }
}
