import { readdirSync, readFileSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { errorCode } from "../common/atomic-file.ts";
import type { Offset } from "../connectors/source.ts";
import { MetadataLog } from "../checkpoint/metadata-log.ts";

/** What the DStream scheduler writes ahead for one batch, before any output runs. */
export interface DStreamBatch {
  /** The batch time, ms (Spark's `Time`). */
  readonly batchTimeMs: number;
  readonly batchDurationMs: number;
  /** The time before the first batch; batch n (from 0) runs at zeroTime + (n + 1) × interval. */
  readonly zeroTimeMs: number;
  /** What each input stream (in graph order) contributes: offsets, or the data itself. */
  readonly inputs: readonly Offset[];
}

/**
 * `batches/<batchId>`, the DStream's write-ahead log (the role Spark's checkpointed
 * `pendingTimes` plus its receiver WAL play), on the same MetadataLog as the structured
 * engine's offset log: version line, atomic write-once files.
 *
 *     v1
 *     {"batchTimeMs":3000,"batchDurationMs":1000,"zeroTimeMs":0}
 *     {"start":{"logOffset":0},"end":{"logOffset":1}}      (input 0: a file stream's offsets)
 *     {"data":"/w9bAW…"}                                    (input 1: a queue's values)
 */
export class DStreamBatchLog extends MetadataLog<DStreamBatch> {
  protected serialize(entry: DStreamBatch): string {
    const head = JSON.stringify({ batchTimeMs: entry.batchTimeMs, batchDurationMs: entry.batchDurationMs, zeroTimeMs: entry.zeroTimeMs });
    return [head, ...entry.inputs.map((i) => JSON.stringify(i))].join("\n");
  }

  protected deserialize(body: string): DStreamBatch {
    const lines = body.split("\n");
    if (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
    const head = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    for (const field of ["batchTimeMs", "batchDurationMs", "zeroTimeMs"]) {
      if (typeof head[field] !== "number") throw new Error(`line 2 has no number '${field}'`);
    }
    return Object.freeze({
      batchTimeMs: head.batchTimeMs as number,
      batchDurationMs: head.batchDurationMs as number,
      zeroTimeMs: head.zeroTimeMs as number,
      inputs: Object.freeze(lines.slice(1).map((l) => JSON.parse(l) as Offset)),
    });
  }

  /**
   * Deletes one entry. The scheduler knows which batch leaves the retention window, so
   * it drops that one file rather than listing the directory (purge), which would make a
   * batch's cost grow with a long window's retention.
   */
  async remove(batchId: number): Promise<void> {
    await unlink(this.fileFor(batchId)).catch((error: unknown) => {
      if (errorCode(error) !== "ENOENT") throw error;
    });
  }
}

/**
 * The time of the newest logged batch under `dir`, read synchronously (null if none or
 * unreadable): `start()` moves a manual clock to it before returning, so that a test's
 * next `advanceClock` counts from the checkpoint's time. The full, checked read is async.
 */
export function latestBatchTimeSync(dir: string): number | null {
  try {
    const ids = readdirSync(dir).filter((n) => /^(0|[1-9]\d*)$/.test(n)).map(Number).sort((a, b) => b - a);
    if (ids.length === 0) return null;
    const head = JSON.parse(readFileSync(`${dir}/${ids[0]}`, "utf8").split("\n")[1] ?? "") as { batchTimeMs?: unknown };
    return typeof head.batchTimeMs === "number" ? head.batchTimeMs : null;
  } catch {
    return null;
  }
}
