import { afterEach, describe, expect, test } from "vitest";
import { GroupStateTimeout, MemoryStream, Session, col, lower, types, window, type GroupState, type Infer } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * Every stateful operator, with each state store provider that keeps state in a checkpoint
 * (and the disk provider with a memory budget of one kilobyte, so that its state lives in
 * run files), gives the same answers across restarts.
 */
const spark = Session.builder().appName("stateful-operators-by-provider").getOrCreate();
scopedTmpdir("rivulet-ops-by-provider-", spark);
const tempDir = tempDirs(spark);

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const BUDGET = "rivulet.sql.streaming.stateStore.memoryBudget";
const providers: Array<[string, Record<string, string>]> = [
  ["file", { [PROVIDER]: "file" }],
  ["rocksdb (disk engine)", { [PROVIDER]: "rocksdb" }],
  ["rocksdb (disk engine), 1 KiB memory budget", { [PROVIDER]: "rocksdb", [BUDGET]: "1k" }],
  ["lmdb", { [PROVIDER]: "lmdb" }],
];

afterEach(() => {
  spark.conf.unset(PROVIDER);
  spark.conf.unset(BUDGET);
});

const sec = (s: number): Date => new Date(s * 1000);
const at = (hh: number, mm: number): Date => new Date(Date.UTC(2026, 0, 1, hh, mm));

const Event = types.struct({ user: types.string(), time: types.timestamp() });
const Session_ = types.struct({ user: types.string(), start: types.timestamp(), events: types.long(), closed: types.boolean() });
type Event = Infer<typeof Event>;
type SessionRow = Infer<typeof Session_>;
interface SessionState { start: number; end: number; events: number }

function sessionize(user: string, events: Event[], state: GroupState<SessionState>): SessionRow[] {
  if (state.hasTimedOut) {
    const s = state.get();
    state.remove();
    return [{ user, start: new Date(s.start), events: s.events, closed: true }];
  }
  let s = state.getOption();
  for (const t of events.map((e) => e.time.getTime()).sort((a, b) => a - b)) {
    s = s === undefined ? { start: t, end: t, events: 1 } : { start: s.start, end: Math.max(s.end, t), events: s.events + 1 };
  }
  state.update(s!);
  state.setTimeoutTimestamp(s!.end, "30 minutes");
  return [{ user, start: new Date(s!.start), events: s!.events, closed: false }];
}

describe.each(providers)("stateful operators with the %s state store provider", (_name, settings) => {
  const use = (): void => {
    for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
  };

  test("dropDuplicates with a watermark", async () => {
    use();
    const input = new MemoryStream<{ id: string; time: Date }>(spark, "id STRING, time TIMESTAMP");
    const deduped = input.toDF().withWatermark("time", "10 seconds").dropDuplicates("id", "time");
    await testStream(deduped, "append")
      .addData(input, [{ id: "a", time: sec(10) }, { id: "a", time: sec(10) }, { id: "b", time: sec(11) }])
      .checkNewAnswer([{ id: "a", time: sec(10) }, { id: "b", time: sec(11) }])
      .stopStream().startStream()
      .addData(input, [{ id: "a", time: sec(10) }, { id: "c", time: sec(30) }])
      .checkNewAnswer([{ id: "c", time: sec(30) }])
      .addData(input, [{ id: "b", time: sec(11) }, { id: "b", time: sec(40) }, { id: "c", time: sec(30) }])
      .checkNewAnswer([{ id: "b", time: sec(40) }])
      .stopStream().startStream()
      .addData(input, [{ id: "b", time: sec(40) }, { id: "d", time: sec(41) }])
      .checkNewAnswer([{ id: "d", time: sec(41) }])
      .run();
  });

  test("dropDuplicates on one string key: nulls, and a key its dictionary holds under two codes (after lower)", async () => {
    use();
    const input = new MemoryStream<{ id: string | null; n: number }>(spark, "id STRING, n INT");
    const deduped = input.toDF().select(lower(col("id")).alias("k"), col("n")).dropDuplicates("k");
    await testStream(deduped, "append")
      .addData(input, [{ id: "A", n: 1 }, { id: null, n: 2 }, { id: "a", n: 3 }, { id: null, n: 4 }, { id: "b", n: 5 }, { id: "A", n: 6 }])
      .checkNewAnswer([{ k: "a", n: 1 }, { k: null, n: 2 }, { k: "b", n: 5 }])
      .stopStream().startStream()
      .addData(input, [{ id: "B", n: 7 }, { id: null, n: 8 }, { id: "C", n: 9 }, { id: "c", n: 10 }])
      .checkNewAnswer([{ k: "c", n: 9 }])
      .run();
  });

  test("windowed count in update mode", async () => {
    use();
    const input = new MemoryStream<{ id: string; time: Date }>(spark, "id STRING, time TIMESTAMP");
    const counts = input.toDF().withWatermark("time", "1 minute").groupBy(window(col("time"), "10 seconds"), col("id")).count()
      .select(col("id"), col("window.start").as("start"), col("count"));
    await testStream(counts, "update")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "a", time: sec(2) }, { id: "b", time: sec(12) }])
      .checkNewAnswer([{ id: "a", start: sec(0), count: 2 }, { id: "b", start: sec(10), count: 1 }])
      .stopStream().startStream()
      .addData(input, [{ id: "a", time: sec(3) }, { id: "b", time: sec(15) }])
      .checkNewAnswer([{ id: "a", start: sec(0), count: 3 }, { id: "b", start: sec(10), count: 2 }])
      .run();
  });

  test("windowed sum in append mode: each window once, when the watermark passes its end, across a restart", async () => {
    use();
    const input = new MemoryStream<{ id: string; time: Date; n: number }>(spark, "id STRING, time TIMESTAMP, n INT");
    const sums = input.toDF().withWatermark("time", "5 seconds").groupBy(window(col("time"), "10 seconds")).sum("n")
      .select(col("window.start").as("start"), col("sum(n)").as("total"));
    await testStream(sums, "append")
      .addData(input, [{ id: "a", time: sec(1), n: 1 }, { id: "b", time: sec(12), n: 2 }])
      .checkNewAnswer([])
      .stopStream().startStream()
      .addData(input, [{ id: "a", time: sec(9), n: 4 }, { id: "c", time: sec(16), n: 8 }])
      .checkNewAnswer([{ start: sec(0), total: 5 }])
      .addData(input, [{ id: "a", time: sec(2), n: 100 }, { id: "d", time: sec(40), n: 16 }])
      .checkNewAnswer([{ start: sec(10), total: 10 }])
      .run();
  });

  test("complete mode (SQL GROUP BY without a watermark): every group, every batch, across a restart", async () => {
    use();
    const input = new MemoryStream<{ page: string; bytes: number }>(spark, "page STRING, bytes BIGINT");
    input.toDF().createOrReplaceTempView("page_views");
    const totals = spark.sql("SELECT page AS p, count(*) AS views, sum(bytes) AS bytes FROM page_views GROUP BY page");
    await testStream(totals, "complete")
      .addData(input, [{ page: "/a", bytes: 10 }, { page: "/b", bytes: 1 }, { page: "/a", bytes: 5 }])
      .checkAnswer([{ p: "/a", views: 2, bytes: 15 }, { p: "/b", views: 1, bytes: 1 }])
      .stopStream().startStream()
      .addData(input, [{ page: "/c", bytes: 7 }, { page: "/b", bytes: 2 }])
      .checkAnswer([{ p: "/a", views: 2, bytes: 15 }, { p: "/b", views: 2, bytes: 3 }, { p: "/c", views: 1, bytes: 7 }])
      .run();
  });

  test("flatMapGroupsWithState sessions with event-time timeouts", async () => {
    use();
    const input = new MemoryStream(spark, Event);
    const sessions = input.toDS().withWatermark("time", "10 minutes").groupByKey((e) => e.user)
      .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, sessionize, Session_);
    await testStream(sessions, "update")
      .addData(input, [{ user: "ann", time: at(0, 0) }, { user: "ann", time: at(0, 5) }, { user: "bob", time: at(0, 10) }])
      .checkNewAnswer([{ user: "ann", start: at(0, 0), events: 2, closed: false }, { user: "bob", start: at(0, 10), events: 1, closed: false }])
      .stopStream().startStream()
      .addData(input, [{ user: "ann", time: at(0, 20) }, { user: "cat", time: at(0, 50) }])
      .checkNewAnswer([{ user: "ann", start: at(0, 0), events: 3, closed: false }, { user: "cat", start: at(0, 50), events: 1, closed: false }])
      // Watermark → 00:55: bob (00:40) and ann (00:50) time out.
      .addData(input, [{ user: "dan", time: at(1, 5) }])
      .checkNewAnswer([
        { user: "dan", start: at(1, 5), events: 1, closed: false },
        { user: "bob", start: at(0, 10), events: 1, closed: true },
        { user: "ann", start: at(0, 0), events: 3, closed: true },
      ])
      .assertNumStateRows(2)
      .stopStream().startStream()
      .addData(input, [{ user: "cat", time: at(1, 10) }])
      .checkNewAnswer([{ user: "cat", start: at(0, 50), events: 2, closed: false }])
      .run();
  });

  test("session_window counts in append mode (SQL), closed as the watermark passes their end, across a restart", async () => {
    use();
    const input = new MemoryStream<{ user: string; time: Date }>(spark, "user STRING, time TIMESTAMP");
    input.toDF().withWatermark("time", "1 second").createOrReplaceTempView("session_clicks");
    const sessions = spark.sql(`
      SELECT user, session_window.start AS start, session_window.end AS end, count(*) AS clicks
      FROM session_clicks GROUP BY user, session_window(time, '5 seconds')`);
    await testStream(sessions, "append")
      .addData(input, [{ user: "a", time: sec(1) }, { user: "a", time: sec(4) }, { user: "b", time: sec(3) }])
      .checkNewAnswer([])
      .stopStream().startStream()
      // a's session grows to [1, 12); the watermark then moves to 19 and closes a [1, 12) and b [3, 8).
      .addData(input, [{ user: "a", time: sec(7) }])
      .checkNewAnswer([])
      .addData(input, [{ user: "c", time: sec(20) }])
      .checkNewAnswer([{ user: "a", start: sec(1), end: sec(12), clicks: 3 }, { user: "b", start: sec(3), end: sec(8), clicks: 1 }])
      .assertNumStateRows(1)
      .stopStream().startStream()
      .addData(input, [{ user: "c", time: sec(22) }, { user: "d", time: sec(40) }])
      .checkNewAnswer([{ user: "c", start: sec(20), end: sec(27), clicks: 2 }])
      .run();
  });

  test("dropDuplicatesWithinWatermark: a key is dropped until its first event time plus the delay passes the watermark", async () => {
    use();
    const input = new MemoryStream<{ id: string; time: Date }>(spark, "id STRING, time TIMESTAMP");
    const deduped = input.toDF().withWatermark("time", "10 seconds").dropDuplicatesWithinWatermark("id");
    await testStream(deduped, "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "a", time: sec(5) }, { id: "b", time: sec(2) }])
      .checkNewAnswer([{ id: "a", time: sec(1) }, { id: "b", time: sec(2) }])
      .assertOnQuery("Spark's operator name and dropped-duplicate count in progress", (q) => {
        const op = q.recentProgress.find((p) => p.numInputRows === 3)!.stateOperators[0]!;
        expect(op.operatorName).toBe("dedupeWithinWatermark");
        expect(op.customMetrics.numDroppedDuplicateRows).toBe(1);
      })
      .stopStream().startStream()
      // Watermark 0 (5 − 10 clamped): both keys still held.
      .addData(input, [{ id: "a", time: sec(9) }, { id: "b", time: sec(30) }])
      .checkNewAnswer([])
      // Watermark 20: a (expires 11) and b (expires 12) are gone, so they are new again.
      .addData(input, [{ id: "a", time: sec(25) }, { id: "b", time: sec(26) }])
      .checkNewAnswer([{ id: "a", time: sec(25) }, { id: "b", time: sec(26) }])
      .run();
  });

  test("stream–stream inner join", async () => {
    use();
    const left = new MemoryStream<{ value: number }>(spark, "value INT");
    const right = new MemoryStream<{ value: number }>(spark, "value INT");
    const joined = left.toDF().select(col("value").as("key"), col("value").multiply(2).as("l"))
      .join(right.toDF().select(col("value").as("key"), col("value").multiply(3).as("r")), "key");
    await testStream(joined, "append")
      .addData(left, [{ value: 1 }]).checkNewAnswer([])
      .addData(right, [{ value: 1 }, { value: 10 }]).checkNewAnswer([{ key: 1, l: 2, r: 3 }])
      .stopStream().startStream()
      .addData(left, [{ value: 10 }]).checkNewAnswer([{ key: 10, l: 20, r: 30 }])
      .addData(right, [{ value: 1 }]).checkNewAnswer([{ key: 1, l: 2, r: 3 }])
      .run();
  });
});

test("dropDuplicates over many keys with a 1 KiB budget: the answers of the in-memory state, the state in run files", async () => {
  const ids = (from: number, to: number): Array<{ id: string }> => Array.from({ length: to - from }, (_, i) => ({ id: `user-${(from + i) % 3000}` }));
  const outputs: Record<string, string[]> = {};
  for (const [name, settings] of [["memory", {}], ["disk", { [PROVIDER]: "rocksdb", [BUDGET]: "1k" }]] as const) {
    for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
    const input = new MemoryStream<{ id: string }>(spark, "id STRING");
    const emitted: string[] = [];
    let writer = input.toDF().dropDuplicates("id").writeStream.foreachBatch(async (df) => {
      for (const r of await df.collect()) emitted.push((r as { id: string }).id);
    });
    if (name === "disk") writer = writer.option("checkpointLocation", await tempDir("rivulet-ops-by-provider-ckpt-"));
    const q = writer.start();
    for (let b = 0; b < 6; b++) {
      input.addData(ids(b * 1000, b * 1000 + 1500));
      await q.processAllAvailable();
    }
    const metrics = q.lastProgress!.stateOperators[0]!;
    await q.stop();
    outputs[name] = emitted;
    if (name === "disk") {
      expect(metrics.numRowsTotal).toBe(3000);
      expect(metrics.customMetrics.rocksdbSstFileSize).toBeGreaterThan(0);
    }
    spark.conf.unset(PROVIDER);
    spark.conf.unset(BUDGET);
  }
  // Batch by batch the same ids; each id once.
  expect(outputs.disk).toEqual(outputs.memory);
  expect(new Set(outputs.memory).size).toBe(3000);
  expect(outputs.memory).toHaveLength(3000);
});
