import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, lit } from "../../src/index.ts";
import { COMPLETE_CHUNK_SHIFT } from "../../src/physical/aggregate/complete-chunks.ts";

const spark = Session.builder().getOrCreate();

/** More urls than a chunk holds, so that a batch that adds a url rebuilds only the last chunk (over a grown dictionary). */
const URLS = (1 << COMPLETE_CHUNK_SHIFT) + 1_000;

describe("complete mode's chunks through Arrow (foreachBatch)", () => {
  test("a batch of chunks over dictionaries of different lengths reads as the complete result", async () => {
    const input = new MemoryStream<{ url: string }>(spark, "url STRING");
    const seen: { batchId: number; rows: number; sum: number; last: string | null }[] = [];
    const query = input.toDF().groupBy(col("url")).agg(count(lit(1)).as("n"))
      .writeStream.outputMode("complete").foreachBatch(async (df, batchId) => {
        const rows = await df.collect();
        const n = rows.reduce((s, r) => s + Number(r.n), 0);
        const last = rows.find((r) => r.url === "/new")?.url as string | undefined;
        seen.push({ batchId, rows: rows.length, sum: n, last: last ?? null });
      }).start();
    try {
      input.addData(Array.from({ length: URLS }, (_, u) => ({ url: `/u${u}` })));
      await query.processAllAvailable();
      // A new url (the dictionary grows; the last chunk is rebuilt, the first kept with the shorter dictionary) and an old one again.
      input.addData([{ url: "/new" }, { url: `/u${URLS - 1}` }]);
      await query.processAllAvailable();
    } finally {
      await query.stop();
    }
    expect(seen).toEqual([
      { batchId: 0, rows: URLS, sum: URLS, last: null },
      { batchId: 1, rows: URLS + 1, sum: URLS + 2, last: "/new" },
    ]);
  }, 60_000);
});
