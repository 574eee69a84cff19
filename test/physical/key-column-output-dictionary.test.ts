import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, lit } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("an aggregation's string keys through Arrow, batch after batch", () => {
  test("update mode: a batch that adds keys after one that emitted the dictionary shows every key (no stale dictionary)", async () => {
    const input = new MemoryStream<{ url: string }>(spark, "url STRING");
    const seen: string[][] = [];
    const query = input.toDF().groupBy(col("url")).agg(count(lit(1)).as("n"))
      .writeStream.outputMode("update").foreachBatch(async (df) => {
        seen.push((await df.collect()).map((r) => `${String(r.url)}=${Number(r.n)}`).sort());
      }).start();
    try {
      input.addData([{ url: "/a" }, { url: "/b" }]);
      await query.processAllAvailable();
      input.addData([{ url: "/c" }, { url: "/a" }, { url: "/d" }]);
      await query.processAllAvailable();
    } finally {
      await query.stop();
    }
    expect(seen).toEqual([["/a=1", "/b=1"], ["/a=2", "/c=1", "/d=1"]]);
  }, 60_000);
});
