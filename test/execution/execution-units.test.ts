import { describe, expect, it } from "vitest";
import { ConfKeys, RuntimeConfig } from "../../src/common/config.ts";
import { AnalysisError } from "../../src/common/errors.ts";
import { eventTimeString, StreamingQueryProgress } from "../../src/execution/progress.ts";
import { sessionZone } from "../../src/execution/time-zone.ts";
import { DEFAULT_TRIGGER, parseTrigger } from "../../src/execution/trigger.ts";
import { WatermarkTracker } from "../../src/execution/watermark-tracker.ts";
import { emptyStateMetrics } from "../../src/physical/exec-operator.ts";

const S = 1_000_000;
const stats = (max: number, count = 1) => ({ max, min: max, sum: max * count, count });

describe("WatermarkTracker", () => {
  it("is max event time minus delay, and starts at -Infinity", () => {
    const t = new WatermarkTracker("min");
    expect(t.currentMicros).toBe(-Infinity);
    t.observe(0, stats(100 * S), 10 * S);
    expect(t.advance()).toBe(true);
    expect(t.currentMicros).toBe(90 * S);
  });

  it("never moves back", () => {
    const t = new WatermarkTracker("min");
    t.observe(0, stats(100 * S), 10 * S);
    t.advance();
    t.observe(0, stats(50 * S), 10 * S);
    expect(t.advance()).toBe(false);
    expect(t.currentMicros).toBe(90 * S);
    const restored = new WatermarkTracker("min", 200 * S);
    restored.observe(0, stats(100 * S), 0);
    expect(restored.advance()).toBe(false);
    expect(restored.currentMicros).toBe(200 * S);
  });

  it("with several inputs takes the min (default) or the max", () => {
    const min = new WatermarkTracker("min");
    const max = new WatermarkTracker("max");
    for (const t of [min, max]) {
      t.observe(0, stats(100 * S), 10 * S);
      t.observe(1, stats(60 * S), 0);
      t.advance();
    }
    expect(min.currentMicros).toBe(60 * S);
    expect(max.currentMicros).toBe(90 * S);
  });

  it("an input without data yet counts as 0, as Spark's WatermarkTracker: it holds a min watermark back, not a max one", () => {
    const none = { max: -Infinity, min: Infinity, sum: 0, count: 0 };
    const t = new WatermarkTracker("min");
    t.observe(0, stats(100 * S), 10 * S);
    t.observe(1, none, 0);
    expect(t.advance()).toBe(false);
    expect(t.currentMicros).toBe(-Infinity);
    t.observe(1, stats(50 * S), 0);
    t.advance();
    expect(t.currentMicros).toBe(50 * S);
    const max = new WatermarkTracker("max");
    max.observe(0, stats(100 * S), 10 * S);
    max.observe(1, none, 0);
    max.advance();
    expect(max.currentMicros).toBe(90 * S);
    const empty = new WatermarkTracker("min");
    empty.observe(0, { max: -Infinity, min: Infinity, sum: 0, count: 0 }, 0);
    expect(empty.advance()).toBe(false);
    expect(empty.currentMicros).toBe(-Infinity);
  });

  it("an input's watermark is the max it has seen, across batches", () => {
    const t = new WatermarkTracker("min");
    t.observe(0, stats(100 * S), 0);
    t.observe(1, stats(10 * S), 0);
    t.advance();
    t.observe(1, stats(50 * S), 0);
    t.observe(1, stats(20 * S), 0);
    t.advance();
    expect(t.currentMicros).toBe(50 * S);
  });
});

describe("parseTrigger", () => {
  it("accepts Spark's trigger forms", () => {
    expect(parseTrigger({ processingTime: "10 seconds" })).toEqual({ kind: "processingTime", intervalMs: 10_000 });
    expect(parseTrigger({ processingTime: "1 minute" })).toEqual({ kind: "processingTime", intervalMs: 60_000 });
    expect(parseTrigger({ processingTime: 500 })).toEqual({ kind: "processingTime", intervalMs: 500 });
    expect(parseTrigger({ processingTime: "0 seconds" })).toEqual({ kind: "processingTime", intervalMs: 0 });
    expect(parseTrigger({ once: true })).toEqual({ kind: "once" });
    expect(parseTrigger({ availableNow: true })).toEqual({ kind: "availableNow" });
    expect(parseTrigger({ kind: "availableNow" })).toEqual({ kind: "availableNow" });
    expect(DEFAULT_TRIGGER).toEqual({ kind: "processingTime", intervalMs: 0 });
  });

  it("rejects negative, unparsable and unknown triggers", () => {
    expect(() => parseTrigger({ processingTime: -1 })).toThrow("trigger interval must be non-negative, got '-1'");
    expect(() => parseTrigger({ processingTime: "-5 seconds" })).toThrow(AnalysisError);
    expect(() => parseTrigger({ processingTime: "soon" })).toThrow(/cannot parse trigger interval 'soon'/);
    expect(() => parseTrigger({ once: false } as never)).toThrow(/unknown trigger/);
    // Spark's Trigger.Continuous: refused in words that say what to use instead.
    expect(() => parseTrigger({ continuous: "1 second" } as never)).toThrow(/^\[UNSUPPORTED_FEATURE\] The feature is not supported: continuous processing .*rivulet runs micro-batches: use \{ processingTime/);
  });
});

describe("StreamingQueryProgress", () => {
  const progress = new StreamingQueryProgress(
    "query-id", "run-id", "events", "2026-01-01T00:00:00.000Z", 3, 120,
    { triggerExecution: 120, addBatch: 80 },
    { watermark: "2026-01-01T00:00:00.000Z" },
    [emptyStateMetrics("stateStoreSave")],
    [
      { description: "MemoryStream[v]", startOffset: 1, endOffset: 3, latestOffset: 3, numInputRows: 2, inputRowsPerSecond: 4, processedRowsPerSecond: 16, metrics: {} },
      { description: "Rate", startOffset: null, endOffset: 5, latestOffset: 5, numInputRows: 5, inputRowsPerSecond: 1, processedRowsPerSecond: 2, metrics: {} },
    ],
    { description: "MemorySink", numOutputRows: 7, metrics: {} },
  );

  it("serialises with Spark's field names, in Spark's order", () => {
    const json = JSON.parse(progress.json) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      "id", "runId", "name", "timestamp", "batchId", "batchDuration", "numInputRows", "inputRowsPerSecond",
      "processedRowsPerSecond", "durationMs", "eventTime", "stateOperators", "sources", "sink", "observedMetrics",
    ]);
    expect(json).toMatchObject({ id: "query-id", runId: "run-id", name: "events", batchId: 3, numInputRows: 7, inputRowsPerSecond: 5, processedRowsPerSecond: 18 });
    expect(json.eventTime).toEqual({ watermark: "2026-01-01T00:00:00.000Z" });
    expect(Object.keys((json.stateOperators as object[])[0]!)).toEqual(expect.arrayContaining([
      "operatorName", "numRowsTotal", "numRowsUpdated", "numRowsRemoved", "numRowsDroppedByWatermark", "memoryUsedBytes", "customMetrics",
    ]));
    expect((json.sources as { startOffset: unknown }[])[1]!.startOffset).toBeNull();
    expect(json.sink).toEqual({ description: "MemorySink", numOutputRows: 7, metrics: {} });
  });

  it("prettyJson is the same JSON indented, and toString prints it", () => {
    expect(JSON.parse(progress.prettyJson)).toEqual(JSON.parse(progress.json));
    expect(progress.prettyJson).toContain('\n  "batchId": 3,');
    expect(String(progress)).toBe(progress.prettyJson);
  });

  it("eventTimeString prints ISO-8601 UTC with milliseconds", () => {
    expect(eventTimeString(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(eventTimeString(Date.UTC(2026, 0, 1, 10, 0, 5) * 1000 + 120_000)).toBe("2026-01-01T10:00:05.120Z");
    expect(eventTimeString(1_999)).toBe("1970-01-01T00:00:00.001Z");
    expect(eventTimeString(123_456)).toBe("1970-01-01T00:00:00.123Z");
    expect(eventTimeString(-1_000)).toBe("1969-12-31T23:59:59.999Z");
  });
});

describe("the session time zone's rules", () => {
  const conf = (tz?: string): RuntimeConfig => {
    const c = new RuntimeConfig();
    if (tz !== undefined) c.set(ConfKeys.sessionTimeZone, tz);
    return c;
  };
  const offset = (tz: string | undefined, atMs: number = Date.UTC(2026, 0, 15)): number => sessionZone(conf(tz)).offsetMinutesAt(atMs * 1000);
  const wall = (iso: string): number => Date.parse(`${iso}Z`) * 1000;

  it("is 0 for UTC (the default), GMT and Z", () => {
    expect(offset(undefined)).toBe(0);
    expect(offset("GMT")).toBe(0);
    expect(offset("z")).toBe(0);
  });

  it("reads fixed offsets", () => {
    expect(offset("+02:00")).toBe(120);
    expect(offset("-05:30")).toBe(-330);
    expect(offset("GMT-5")).toBe(-300);
    expect(offset("UTC+0130")).toBe(90);
  });

  it("resolves IANA names at each instant, daylight saving included", () => {
    expect(offset("Europe/Paris", Date.UTC(2026, 0, 15))).toBe(60);
    expect(offset("Europe/Paris", Date.UTC(2026, 6, 15))).toBe(120);
    expect(offset("America/New_York", Date.UTC(2026, 0, 15))).toBe(-300);
    expect(offset("Asia/Kolkata", Date.UTC(2026, 0, 15))).toBe(330);
    expect(offset("America/Los_Angeles", Date.UTC(2016, 11, 31))).toBe(-480);
    expect(offset("America/Los_Angeles", Date.UTC(2016, 6, 1))).toBe(-420);
  });

  it("finds the instant of a wall time as Java does: the earlier one in an overlap, later by the gap in a gap", () => {
    const la = sessionZone(conf("America/Los_Angeles"));
    expect(la.toUtc(wall("2016-12-31T00:12:00"))).toBe(wall("2016-12-31T08:12:00"));
    expect(la.toUtc(wall("2016-07-01T00:00:00"))).toBe(wall("2016-07-01T07:00:00"));
    // 2026-11-01 01:30 happens twice (PDT, then PST): the earlier, PDT.
    expect(la.toUtc(wall("2026-11-01T01:30:00"))).toBe(wall("2026-11-01T08:30:00"));
    // 2026-03-08 02:30 does not exist: 03:30 PDT.
    expect(la.toUtc(wall("2026-03-08T02:30:00"))).toBe(wall("2026-03-08T10:30:00"));
  });

  it("refuses an unknown zone with Spark's error instead of reading it as UTC", () => {
    expect(() => conf("Mars/Olympus_Mons")).toThrow(
      `[INVALID_CONF_VALUE.TIME_ZONE] The value 'Mars/Olympus_Mons' in the config "spark.sql.session.timeZone" is invalid. Cannot resolve the given timezone.`,
    );
    expect(() => conf("+25:00")).toThrow(/INVALID_CONF_VALUE.TIME_ZONE/);
  });
});
