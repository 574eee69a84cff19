import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProgressReporter, type StatusOutput } from "../../src/cli/progress-reporter.ts";
import { MemoryStream, Session, SystemClock } from "../../src/index.ts";
import type { QueryIdleEvent, QueryProgressEvent, StreamingQueryListener } from "../../src/execution/query-listener.ts";

class Terminal implements StatusOutput {
  text = "";
  readonly isTTY = true;
  readonly columns = 200;
  write(s: string): void { this.text += s; }
}

class Recorder implements StreamingQueryListener {
  readonly progress: QueryProgressEvent[] = [];
  readonly idle: QueryIdleEvent[] = [];
  onQueryProgress(e: QueryProgressEvent): void { this.progress.push(e); }
  onQueryIdle(e: QueryIdleEvent): void { this.idle.push(e); }
}

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface ApiQuery { name: string; idle: boolean; state: string }

describe("a query that finds no new data: Spark 3.5's onQueryIdle and idle progress, shown by the CLI and the web UI", () => {
  let spark: Session;
  let base: string;
  beforeAll(async () => {
    spark = Session.builder().appName("idle-test").config("rivulet.ui.port", 0).withClock(new SystemClock()).getOrCreate();
    base = await spark.ui!.ready;
  });
  afterAll(async () => { await spark?.stop(); });

  test("after a batch, idle triggers post onQueryIdle (not onQueryProgress) at most every noDataProgressEventInterval; recentProgress gets a 0-row progress; the CLI and UI mark the query idle until data comes", async () => {
    spark.conf.set("spark.sql.streaming.noDataProgressEventInterval", "300ms");
    const recorder = new Recorder();
    const terminal = new Terminal();
    spark.streams.addListener(recorder);
    spark.streams.addListener(new ProgressReporter({ out: terminal, minRedrawMs: 0 }));
    const stream = new MemoryStream(spark, "n INT");
    const query = stream.toDF().writeStream.format("memory").queryName("idle_counts").start();
    try {
      stream.addData({ n: 1 }, { n: 2 });
      await query.processAllAvailable();
      await until("the first batch's progress", () => recorder.progress.some((e) => e.progress.numInputRows === 2));
      const batchStart = Date.parse(recorder.progress.find((e) => e.progress.runId === query.runId)!.progress.timestamp);

      await until("two idle events", () => recorder.idle.filter((e) => e.runId === query.runId).length >= 2);
      const idle = recorder.idle.filter((e) => e.runId === query.runId);
      expect(idle[0]).toMatchObject({ id: query.id, runId: query.runId });
      expect(idle[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Not before the interval has passed since the batch, and then at most once per interval.
      expect(Date.parse(idle[0]!.timestamp) - batchStart).toBeGreaterThanOrEqual(250);
      expect(Date.parse(idle[1]!.timestamp) - Date.parse(idle[0]!.timestamp)).toBeGreaterThanOrEqual(300);
      // Idle triggers never reach onQueryProgress: every progress event had rows.
      expect(recorder.progress.filter((e) => e.progress.runId === query.runId).map((e) => e.progress.numInputRows)).toEqual([2]);
      // The StreamingQuery API keeps them (SPARK-45045): the last batch's id, no rows in or out.
      const last = query.lastProgress!;
      expect(last).toMatchObject({ batchId: 0, numInputRows: 0 });
      expect(last.sink.numOutputRows).toBe(0);
      expect(recorder.idle.map((e) => e.timestamp)).toContain(last.timestamp);

      expect(terminal.text).toMatch(/idle_counts \| batch 0 [^\n]*\(idle\)/);
      const listed = async () => ((await (await fetch(`${base}/api/queries`)).json()) as { queries: ApiQuery[] }).queries.find((q) => q.name === "idle_counts")!;
      expect(await listed()).toMatchObject({ state: "active", idle: true });

      // New data: a batch, and the UI's mark goes.
      stream.addData({ n: 3 });
      await query.processAllAvailable();
      await until("the second batch's progress", () => recorder.progress.some((e) => e.progress.batchId === 1));
      expect((await listed()).idle).toBe(false);
    } finally {
      await query.stop();
      spark.streams.removeListener(recorder);
    }
  });

  test("a query whose first trigger finds nothing reports idle at once (batch -1); the default interval (10 s) keeps a busy query's short pauses quiet", async () => {
    const session = spark.newSession();
    const recorder = new Recorder();
    session.streams.addListener(recorder);
    const empty = new MemoryStream(session, "n INT");
    const waiting = empty.toDF().writeStream.format("memory").queryName("never_fed").start();
    const stream = new MemoryStream(session, "n INT");
    const busy = stream.toDF().writeStream.format("memory").queryName("fed_once").start();
    try {
      await until("the empty query's idle event", () => recorder.idle.some((e) => e.runId === waiting.runId));
      expect(waiting.recentProgress.map((p) => [p.batchId, p.numInputRows])).toEqual([[-1, 0]]);

      stream.addData({ n: 1 });
      await busy.processAllAvailable();
      const idleBefore = recorder.idle.filter((e) => e.runId === busy.runId).length;
      await new Promise((r) => setTimeout(r, 600));
      await busy.processAllAvailable();
      // Whatever the first trigger reported, nothing more within 10 s of the batch.
      expect(recorder.idle.filter((e) => e.runId === busy.runId).length).toBe(idleBefore);
      expect(busy.lastProgress).toMatchObject({ batchId: 0, numInputRows: 1 });
    } finally {
      await waiting.stop();
      await busy.stop();
    }
  });

  test("an interval that is not a time is refused when the query starts", async () => {
    const session = spark.newSession();
    session.conf.set("spark.sql.streaming.noDataProgressEventInterval", "soon");
    const stream = new MemoryStream(session, "n INT");
    expect(() => stream.toDF().writeStream.format("memory").queryName("bad_interval").start()).toThrow(/\[INVALID_CONF_VALUE\].*noDataProgressEventInterval/);
  });
});
