import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, window } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

// testStream leaves its checkpoints under os.tmpdir(): give this file its own, removed after its tests.
scopedTmpdir("rivulet-late-data-guide-tmp-");

/**
 * The late-data example of Spark's Structured Streaming guide ("Handling Late Data and
 * Watermarking"): word counts in 10-minute windows sliding every 5 minutes, with a
 * 10-minute watermark. Times are on 2026-01-01 (UTC).
 */
const t = (hhmm: string): Date => new Date(`2026-01-01T${hhmm}:00Z`);
const w = (from: string, to: string): { start: Date; end: Date } => ({ start: t(from), end: t(to) });

function setup(): { words: MemoryStream<{ word: string; timestamp: Date }>; counts: ReturnType<typeof build> } {
  const spark = Session.builder().appName("guide").getOrCreate();
  const words = new MemoryStream<{ word: string; timestamp: Date }>(spark, "word STRING, timestamp TIMESTAMP");
  return { words, counts: build(words) };
}

function build(words: MemoryStream<{ word: string; timestamp: Date }>) {
  return words.toDF()
    .withWatermark("timestamp", "10 minutes")
    .groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word"))
    .count();
}

const batch1 = [{ word: "dog", timestamp: t("12:07") }, { word: "owl", timestamp: t("12:08") }];
const batch2 = [{ word: "dog", timestamp: t("12:14") }, { word: "cat", timestamp: t("12:09") }];
const batch3 = [
  { word: "cat", timestamp: t("12:15") }, { word: "dog", timestamp: t("12:08") },
  { word: "owl", timestamp: t("12:13") }, { word: "owl", timestamp: t("12:21") },
];
const batch4 = [{ word: "owl", timestamp: t("12:17") }, { word: "donkey", timestamp: t("12:04") }];

describe("Spark guide: windowed word counts with a watermark", () => {
  test("update mode emits changed windows; late rows inside the watermark still count; too-late rows are dropped", async () => {
    const { words, counts } = setup();
    await testStream(counts, "update")
      .addData(words, [...batch1])
      .checkNewAnswer([{ window: w("12:00", "12:10"), word: "dog", count: 1 }, { window: w("12:05", "12:15"), word: "dog", count: 1 },
        { window: w("12:00", "12:10"), word: "owl", count: 1 }, { window: w("12:05", "12:15"), word: "owl", count: 1 },])
      .addData(words, [...batch2])
      .checkNewAnswer([{ window: w("12:05", "12:15"), word: "dog", count: 2 }, { window: w("12:10", "12:20"), word: "dog", count: 1 },
        { window: w("12:00", "12:10"), word: "cat", count: 1 }, { window: w("12:05", "12:15"), word: "cat", count: 1 },])
      .addData(words, [...batch3])
      // (12:08, dog) is late but ahead of the watermark 12:04: its windows are updated.
      .checkNewAnswer([{ window: w("12:10", "12:20"), word: "cat", count: 1 }, { window: w("12:15", "12:25"), word: "cat", count: 1 },
        { window: w("12:00", "12:10"), word: "dog", count: 2 }, { window: w("12:05", "12:15"), word: "dog", count: 3 },
        { window: w("12:05", "12:15"), word: "owl", count: 2 }, { window: w("12:10", "12:20"), word: "owl", count: 1 },
        { window: w("12:15", "12:25"), word: "owl", count: 1 }, { window: w("12:20", "12:30"), word: "owl", count: 1 },])
      .assertOnQuery("check", (q) => expect(q.lastProgress.eventTime.watermark).toBe("2026-01-01T12:11:00.000Z"))
      .addData(words, [...batch4])
      // The watermark is now 12:11: (12:04, donkey) falls only in closed windows and is dropped.
      .checkNewAnswer([{ window: w("12:10", "12:20"), word: "owl", count: 2 }, { window: w("12:15", "12:25"), word: "owl", count: 2 }])
      .assertOnQuery("check", (q) => {
        const op = q.lastProgress.stateOperators[0]!;
        expect(op.numRowsDroppedByWatermark).toBe(1);
        expect(q.recentProgress.some((p) => p.stateOperators[0]!.numRowsRemoved === 3)).toBe(true);
      })
      .run();
  });

  test("append mode emits each window once, when the watermark passes its end, also across a restart", async () => {
    const { words, counts } = setup();
    await testStream(counts, "append")
      .addData(words, [...batch1])
      .checkNewAnswer([])
      .addData(words, [...batch2])
      .checkNewAnswer([])
      .stopStream()
      .startStream()
      .addData(words, [...batch3])
      // Watermark 12:21 − 10 min = 12:11 closes [12:00, 12:10) in the no-data batch that follows.
      .checkNewAnswer([{ window: w("12:00", "12:10"), word: "dog", count: 2 },
        { window: w("12:00", "12:10"), word: "owl", count: 1 },
        { window: w("12:00", "12:10"), word: "cat", count: 1 },])
      .addData(words, [...batch4])
      .checkNewAnswer([])
      .addData(words, [{ word: "late", timestamp: t("12:40") }])
      // Watermark 12:30 closes every window ending by then.
      .checkNewAnswer([{ window: w("12:05", "12:15"), word: "dog", count: 3 }, { window: w("12:05", "12:15"), word: "owl", count: 2 },
        { window: w("12:05", "12:15"), word: "cat", count: 1 }, { window: w("12:10", "12:20"), word: "dog", count: 1 },
        { window: w("12:10", "12:20"), word: "cat", count: 1 }, { window: w("12:10", "12:20"), word: "owl", count: 2 },
        { window: w("12:15", "12:25"), word: "cat", count: 1 }, { window: w("12:15", "12:25"), word: "owl", count: 2 },
        { window: w("12:20", "12:30"), word: "owl", count: 1 },])
      .run();
  });
});
