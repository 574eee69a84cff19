import { describe, expect, test } from "vitest";
import { ProgressReporter, type StatusOutput } from "../../src/cli/progress-reporter.ts";
import { MemoryStream, Session, StreamingQueryProgress, col, count, window } from "../../src/index.ts";
import { emptyStateMetrics } from "../../src/physical/exec-operator.ts";

class Buffer implements StatusOutput {
  text = "";
  constructor(readonly isTTY: boolean, readonly columns = 200) {}
  write(s: string): void { this.text += s; }
}

function progress(id: string, name: string, batchId: number, rows: number, extra: { watermark?: string; sinkDescription?: string } = {}): StreamingQueryProgress {
  return new StreamingQueryProgress(
    id, `${id}-run`, name, `2026-01-01T00:00:0${batchId}.000Z`, batchId, 40 + batchId,
    { triggerExecution: 40 + batchId, addBatch: 30 }, extra.watermark ? { watermark: extra.watermark, max: "2026-01-01T10:59:00.000Z" } : {},
    [{ ...emptyStateMetrics("stateStoreSave"), numRowsTotal: 7 * (batchId + 1) }],
    [{ description: "FileStreamSource[/logs]", startOffset: null, endOffset: null, latestOffset: null, numInputRows: rows, inputRowsPerSecond: rows * 2, processedRowsPerSecond: rows * 10, metrics: {} }],
    { description: extra.sinkDescription ?? "JdbcSink", numOutputRows: rows / 2, metrics: {} },
  );
}

const started = (id: string, name: string) => ({ id, runId: `${id}-run`, name, timestamp: "2026-01-01T00:00:00.000Z" });

describe("ProgressReporter", () => {
  test("on a TTY: one status line per query, redrawn in place", () => {
    const out = new Buffer(true);
    const r = new ProgressReporter({ out, minRedrawMs: 0 });
    expect(r.mode).toBe("tty");
    r.onQueryStarted(started("a", "counts"));
    r.onQueryStarted(started("b", "sessions"));
    out.text = "";
    r.onQueryProgress({ progress: progress("a", "counts", 0, 1000, { watermark: "2026-01-01T10:00:00.000Z" }) });
    // The cursor goes back up over the two lines drawn before, then both are drawn again.
    expect(out.text.startsWith("\x1b[2A")).toBe(true);
    const lines = out.text.split("\n").filter((l) => l.includes("|"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("counts | batch 0 | in 2000 rows/s | processed 10.0k rows/s | duration 40ms | watermark 2026-01-01 10:00:00 | state 7 rows | written 500 (total 500)");
    expect(lines[1]).toContain("sessions | started");
    out.text = "";
    r.onQueryProgress({ progress: progress("a", "counts", 1, 1000) });
    expect(out.text).toContain("written 500 (total 1000)");
    expect(out.text.startsWith("\x1b[2A")).toBe(true);
    // A finished query leaves a line above the block; the block shrinks to the one still running.
    out.text = "";
    r.onQueryTerminated({ id: "a", runId: "a-run", exception: null, errorClassOnException: null });
    expect(out.text).toContain("query counts stopped after 2 batches, 1000 rows written\n");
    expect(out.text.split("\n").filter((l) => l.includes("sessions |"))).toHaveLength(1);
  });

  test("a query waiting for its sink says so, on a TTY and in plain lines, until the sink is back", () => {
    const waiting = (message: string | null, sinkRetries: number) => ({ id: "a", runId: "a-run", message, sinkRetries, timestamp: "2026-01-01T00:00:05.000Z" });
    const tty = new Buffer(true);
    const r = new ProgressReporter({ out: tty, minRedrawMs: 0 });
    r.onQueryStarted(started("a", "counts"));
    r.onQueryProgress({ progress: progress("a", "counts", 0, 100) });
    tty.text = "";
    r.onQueryWaiting(waiting("Waiting for the sink: writing batch 1 failed: connect ECONNREFUSED 127.0.0.1:3306 at jdbc:mysql://u:pw@h/db (retry 2, next in 0.4 s)", 2));
    expect(tty.text).toContain("counts | Waiting for the sink: writing batch 1 failed: connect ECONNREFUSED 127.0.0.1:3306 at jdbc:mysql://u:***@h/db (retry 2, next in 0.4 s)\n");
    tty.text = "";
    r.onQueryWaiting(waiting(null, 2));
    expect(tty.text).toContain("counts | batch 0 | in 200 rows/s");
    expect(tty.text).not.toContain("Waiting");

    const out = new Buffer(false);
    const plain = new ProgressReporter({ out });
    plain.onQueryStarted(started("a", "counts"));
    out.text = "";
    plain.onQueryWaiting(waiting("Waiting for the sink: writing batch 1 failed: connect ECONNREFUSED (retry 1, next in 0.2 s)", 1));
    plain.onQueryWaiting(waiting(null, 1));
    const lines = out.text.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z query counts: Waiting for the sink: writing batch 1 failed: connect ECONNREFUSED \(retry 1, next in 0\.2 s\)$/);
    expect(lines[1]).toMatch(/^\S+Z query counts: the sink is writing again after 1 retries$/);
  });

  test("a backlog of files shows a progress bar", () => {
    const out = new Buffer(true);
    const r = new ProgressReporter({ out, minRedrawMs: 0, backlog: (p) => ({ done: p.batchId + 1, total: 4, unit: "files" }) });
    r.onQueryStarted(started("a", "counts"));
    r.onQueryProgress({ progress: progress("a", "counts", 0, 10) });
    expect(out.text).toContain("catching up [#####...............] 1/4 files 25%");
    out.text = "";
    r.onQueryProgress({ progress: progress("a", "counts", 3, 10) });
    expect(out.text).not.toContain("catching up"); // caught up
  });

  test("not a TTY: plain log lines, one per batch, no escape codes", () => {
    const out = new Buffer(false);
    const r = new ProgressReporter({ out });
    expect(r.mode).toBe("text");
    r.onQueryStarted(started("a", "counts"));
    r.onQueryProgress({ progress: progress("a", "counts", 0, 100) });
    r.onQueryIdle({ id: "a", runId: "a-run", timestamp: "x" });
    r.onQueryTerminated({ id: "a", runId: "a-run", exception: "boom at jdbc:mysql://u:pw@h/db", errorClassOnException: "ConnectorError" });
    const lines = out.text.trimEnd().split("\n");
    expect(out.text).not.toContain("\x1b");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\S+Z query counts started \(id a, run a-run\)$/);
    expect(lines[1]).toBe("2026-01-01T00:00:00.000Z counts | batch 0 | in 200 rows/s | processed 1000 rows/s | duration 40ms | watermark - | state 7 rows | written 50 (total 50)");
    expect(lines[2]).toMatch(/query counts failed after 1 batch, 50 rows written: boom at jdbc:mysql:\/\/u:\*\*\*@h\/db$/);
  });

  test("--log-format json: one JSON object per line with the Spark progress inside, secrets masked", () => {
    const out = new Buffer(false);
    const r = new ProgressReporter({ out, logFormat: "json" });
    r.onQueryStarted(started("a", "counts"));
    r.onQueryProgress({ progress: progress("a", "counts", 0, 100, { sinkDescription: "JdbcSink[jdbc:postgresql://h/db?user=u&password=hunter2]" }) });
    r.onQueryTerminated({ id: "a", runId: "a-run", exception: null, errorClassOnException: null });
    const events = out.text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(["queryStarted", "queryProgress", "queryTerminated"]);
    expect(events[1]).toMatchObject({ name: "counts", batchId: 0, numInputRows: 100, inputRowsPerSecond: 200, processedRowsPerSecond: 1000, batchDurationMs: 40, stateRows: 7, rowsWritten: 50, totalRowsWritten: 50 });
    expect((events[1]!.progress as { sink: { description: string } }).sink.description).toBe("JdbcSink[jdbc:postgresql://h/db?user=u&password=***]");
    expect(out.text).not.toContain("hunter2");
  });

  test("as a listener of a real query", async () => {
    const spark = Session.builder().getOrCreate();
    const out = new Buffer(false);
    const reporter = new ProgressReporter({ out });
    spark.streams.addListener(reporter);
    const stream = new MemoryStream(spark, "time TIMESTAMP, action STRING");
    const q = stream.toDF().withWatermark("time", "10 minutes").groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"))
      .writeStream.format("memory").queryName("reporter_counts").outputMode("update").start();
    stream.addData({ time: "2026-01-01T10:01:00Z", action: "click" }, { time: "2026-01-01T10:40:00Z", action: "view" });
    await q.processAllAvailable();
    await q.stop();
    spark.streams.removeListener(reporter);
    expect(out.text).toMatch(/query reporter_counts started/);
    expect(out.text).toMatch(/reporter_counts \| batch 0 \| in \S+ rows\/s \| processed \S+ rows\/s \| duration \d+ms \| watermark - \| state 2 rows \| written 2 \(total 2\)/);
    expect(out.text).toMatch(/watermark 2026-01-01 10:30:00/);
    expect(out.text).toMatch(/query reporter_counts stopped after \d+ batch/);
  });
});
