import { checkWatermarkPair, microsToMillis, readWatermarkMicros } from "./watermark-fields.ts";
import { MetadataLog } from "./metadata-log.ts";

/** What `commits/<batchId>` records (Spark's CommitMetadata). */
export interface CommitMetadata {
  /** The watermark the next batch runs with, in ms (Spark's field). */
  readonly nextBatchWatermarkMs: number;
  /** The same in µs, rivulet's full precision. */
  readonly nextBatchWatermarkUs: number;
  /**
   * Each watermark operator's own watermark (max event time − delay, µs) by its index in
   * the plan, for those that have seen rows: a restart resumes the query's watermark from
   * them as an uninterrupted run would (Spark forgets them, so an input that sends nothing
   * after a restart holds the min watermark back). Absent in Spark's and older files.
   */
  readonly operatorWatermarksUs?: Readonly<Record<string, number>>;
}

export const CommitMetadata = {
  create(nextBatchWatermarkUs: number): CommitMetadata {
    return Object.freeze({ nextBatchWatermarkMs: microsToMillis(nextBatchWatermarkUs), nextBatchWatermarkUs });
  },
};

/**
 * `commits/<batchId>` (Spark's CommitLog), written after the sink took the batch:
 *
 *     v1
 *     {"nextBatchWatermarkMs":0,"nextBatchWatermarkUs":0}
 */
export class CommitLog extends MetadataLog<CommitMetadata> {
  protected serialize(entry: CommitMetadata): string {
    checkWatermarkPair(entry.nextBatchWatermarkMs, entry.nextBatchWatermarkUs, "commit log nextBatchWatermark");
    return JSON.stringify({
      nextBatchWatermarkMs: entry.nextBatchWatermarkMs, nextBatchWatermarkUs: entry.nextBatchWatermarkUs,
      ...(entry.operatorWatermarksUs === undefined ? {} : { operatorWatermarksUs: entry.operatorWatermarksUs }),
    });
  }

  protected deserialize(body: string): CommitMetadata {
    const line = body.split("\n")[0]?.trim() ?? "";
    // Spark 2.x wrote commit files with only the version line: watermark 0.
    if (line === "") return CommitMetadata.create(0);
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`line 2 is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("line 2 must be a JSON object");
    const watermark = readWatermarkMicros(json as Record<string, unknown>, "nextBatchWatermarkMs", "nextBatchWatermarkUs");
    const perOperator = (json as Record<string, unknown>).operatorWatermarksUs;
    if (perOperator === undefined) return Object.freeze({ nextBatchWatermarkMs: watermark.ms, nextBatchWatermarkUs: watermark.us });
    if (typeof perOperator !== "object" || perOperator === null || Array.isArray(perOperator)
      || Object.values(perOperator).some((v) => typeof v !== "number" || !Number.isFinite(v))) {
      throw new Error("operatorWatermarksUs must map operator indices to numbers");
    }
    return Object.freeze({ nextBatchWatermarkMs: watermark.ms, nextBatchWatermarkUs: watermark.us, operatorWatermarksUs: Object.freeze({ ...perOperator as Record<string, number> }) });
  }
}
