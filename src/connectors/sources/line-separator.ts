import { ConnectorError } from "../../common/errors.ts";
import type { SourceOptions } from "./source-options.ts";

const LF = 10, CR = 13, SPACE = 32;

/**
 * Spark's `lineSep` read option of the text and JSON sources: any non-empty string ends a
 * record instead of \n, \r\n or \r (Hadoop's LineRecordReader with a custom delimiter: a
 * separator at the end of the file ends the last record, two in a row make an empty one).
 * Null when the option is absent (the default line breaks).
 */
export function lineSepOf(options: SourceOptions, format: string): Buffer | null {
  const sep = options.get("lineSep");
  if (sep === undefined) return null;
  if (sep === "") throw new ConnectorError(`${format} source: requirement failed: 'lineSep' cannot be an empty string.`);
  return Buffer.from(sep, "utf8");
}

/** Calls `onRecord(b, start, end)` for each record of `bytes` ended by `sep`; returns how many. */
export function forEachSeparatedRecord(bytes: Buffer, sep: Buffer, onRecord: (b: Buffer, start: number, end: number) => void): number {
  let records = 0;
  for (let i = 0; i < bytes.length; records++) {
    let end = bytes.indexOf(sep, i);
    if (end < 0) end = bytes.length;
    onRecord(bytes, i, end);
    i = end + sep.length;
  }
  return records;
}

/**
 * The records of `bytes` (ended by `sep`) as JSON lines, one record per line, for the JSON
 * lines decoder and schema inference, which cut at line breaks. A line break inside a record
 * can only be whitespace between JSON tokens (JSON strings hold none unescaped), so it
 * becomes a space; the record numbers stay the line numbers that errors report.
 */
export function separatedRecordsAsLines(bytes: Buffer, sep: Buffer): Buffer {
  // Each record loses its separator (one byte at least) and gains a line break; the last may only gain one.
  const out = Buffer.allocUnsafe(bytes.length + 1);
  let n = 0;
  forEachSeparatedRecord(bytes, sep, (b, start, end) => {
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      out[n++] = c === LF || c === CR ? SPACE : c;
    }
    out[n++] = LF;
  });
  return out.subarray(0, n);
}
