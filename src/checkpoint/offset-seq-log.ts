import type { Offset } from "../connectors/source.ts";
import { checkWatermarkPair, microsToMillis, readWatermarkMicros } from "./watermark-fields.ts";
import { MetadataLog } from "./metadata-log.ts";

/** Per-batch metadata written with the offsets (Spark's OffsetSeqMetadata). */
export interface OffsetSeqMetadata {
  /** The watermark the batch runs with, in ms (Spark's field). */
  readonly batchWatermarkMs: number;
  /** The same watermark in µs, rivulet's full precision. */
  readonly batchWatermarkUs: number;
  /** Processing time of the batch (current_timestamp() in the batch), in ms. */
  readonly batchTimestampMs: number;
  /** Settings that must stay the same across restarts (e.g. spark.sql.shuffle.partitions). */
  readonly conf: Readonly<Record<string, string>>;
  /**
   * rivulet's: choices operators made for this batch from the batches before it, which its
   * re-run must repeat (physical/parallel/recorded-choices.ts). Written only when there are
   * some; a log without the field has none.
   */
  readonly operatorChoices?: Readonly<Record<string, string>>;
}

export const OffsetSeqMetadata = {
  create(fields: { batchWatermarkUs: number; batchTimestampMs: number; conf?: Record<string, string>; operatorChoices?: Record<string, string> }): OffsetSeqMetadata {
    return Object.freeze({
      batchWatermarkMs: microsToMillis(fields.batchWatermarkUs),
      batchWatermarkUs: fields.batchWatermarkUs,
      batchTimestampMs: fields.batchTimestampMs,
      conf: Object.freeze({ ...(fields.conf ?? {}) }),
      ...(Object.keys(fields.operatorChoices ?? {}).length > 0 ? { operatorChoices: Object.freeze({ ...fields.operatorChoices }) } : {}),
    });
  },
};

/** One batch's write-ahead entry: the end offset of each source (null: no data yet), in source order. */
export interface OffsetSeq {
  readonly offsets: readonly (Offset | null)[];
  readonly metadata: OffsetSeqMetadata;
}

/**
 * `offsets/<batchId>` (Spark's OffsetSeqLog), written before a batch runs:
 *
 *     v1
 *     {"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{…},"batchWatermarkUs":0}
 *     <offset json of source 0>
 *     -                                    (source 1 has no offset yet)
 */
export class OffsetSeqLog extends MetadataLog<OffsetSeq> {
  protected serialize(entry: OffsetSeq): string {
    const m = entry.metadata;
    checkWatermarkPair(m.batchWatermarkMs, m.batchWatermarkUs, "offset log batchWatermark");
    const metadata = JSON.stringify({
      batchWatermarkMs: m.batchWatermarkMs,
      batchTimestampMs: m.batchTimestampMs,
      conf: m.conf,
      batchWatermarkUs: m.batchWatermarkUs,
      ...(Object.keys(m.operatorChoices ?? {}).length > 0 ? { operatorChoices: m.operatorChoices } : {}),
    });
    const offsets = entry.offsets.map((offset) => (offset === null ? "-" : JSON.stringify(offset)));
    return [metadata, ...offsets].join("\n");
  }

  protected deserialize(body: string): OffsetSeq {
    const lines = body.split("\n");
    const metadataLine = lines[0]?.trim() ?? "";
    if (!metadataLine.startsWith("{")) throw new Error(`expected the batch metadata as JSON on line 2, found '${metadataLine.slice(0, 40)}'`);
    const json = parseJson(metadataLine, 2) as Record<string, unknown>;
    const watermark = readWatermarkMicros(json, "batchWatermarkMs", "batchWatermarkUs");
    const timestamp = json.batchTimestampMs ?? 0;
    if (typeof timestamp !== "number") throw new Error(`'batchTimestampMs' must be a number, not ${JSON.stringify(timestamp)}`);
    const conf: Record<string, string> = {};
    for (const [key, value] of Object.entries((json.conf ?? {}) as Record<string, unknown>)) conf[key] = String(value);
    const operatorChoices: Record<string, string> = {};
    for (const [key, value] of Object.entries((json.operatorChoices ?? {}) as Record<string, unknown>)) operatorChoices[key] = String(value);
    const choices = Object.keys(operatorChoices).length > 0 ? { operatorChoices: Object.freeze(operatorChoices) } : {};
    // A trailing newline (files written by hand or other tools) is not an extra source.
    const offsetLines = lines.slice(1);
    if (offsetLines.length > 0 && offsetLines[offsetLines.length - 1]!.trim() === "") offsetLines.pop();
    const offsets = offsetLines.map((line, i) => (line.trim() === "-" ? null : (parseJson(line, i + 3) as Offset)));
    return Object.freeze({
      offsets: Object.freeze(offsets),
      metadata: Object.freeze({
        batchWatermarkMs: watermark.ms,
        batchWatermarkUs: watermark.us,
        batchTimestampMs: timestamp,
        conf: Object.freeze(conf),
        ...choices,
      }),
    });
  }
}

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`line ${line} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}
