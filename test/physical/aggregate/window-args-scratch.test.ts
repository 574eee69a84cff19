import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, count, sum, window } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

/**
 * The aggregates' arguments of a windowed aggregation are read through the (row, window)
 * pairs into arrays reused from fold to fold: a large file then a smaller one, a nullable
 * number column whose nulls fall on other rows in each file, sliding windows (each row in
 * two windows). Every group's count(x) and sum(x) against sums made here.
 */
describe("windowed aggregation arguments in reused arrays", () => {
  test("count and sum of a nullable column per url and sliding window, over files of different sizes", async () => {
    const input = await tempDir("args-scratch-in");
    const expected = new Map<string, { n: number; s: number }>();
    const sizes = [5000, 1200, 3000];
    let serial = 0;
    for (let f = 0; f < sizes.length; f++) {
      let text = "";
      for (let i = 0; i < sizes[f]!; i++, serial++) {
        const minutes = (serial * 13) % 600;
        const url = `/u/${(serial * 31) % 97}`;
        const x = (serial + f) % 7 === 0 ? null : (serial % 1000) - 300;
        text += `{"time":"${new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString()}","url":"${url}","x":${x === null ? "null" : x}}\n`;
        // Sliding windows of 1 hour every 30 minutes: the two starting at or before the row's half hour.
        const half = Math.floor(minutes / 30);
        for (const start of [half - 1, half]) {
          const key = `${url}|${start * 30}`;
          const e = expected.get(key) ?? { n: 0, s: 0 };
          if (x !== null) { e.n++; e.s += x; }
          expected.set(key, e);
        }
      }
      await writeFile(join(input, `part-${f}.json`), text);
    }
    const name = `args_scratch_${process.pid}`;
    const query = spark.readStream.schema("time TIMESTAMP, url STRING, x BIGINT").option("maxFilesPerTrigger", 1).json(input)
      .groupBy(col("url"), window(col("time"), "1 hour", "30 minutes")).agg(count(col("x")).as("n"), sum(col("x")).as("s"))
      .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
    await query.awaitTermination();
    const rows = await spark.table(name).collect();
    const got = new Map(rows.map((r) => {
      const start = (r.window as { start: Date }).start.getTime() - Date.UTC(2026, 0, 1);
      return [`${r.url as string}|${start / 60_000}`, { n: Number(r.n), s: r.s === null ? 0 : Number(r.s) }];
    }));
    expect(got.size).toBe(expected.size);
    for (const [key, e] of expected) expect(got.get(key), key).toEqual(e);
  });
});
