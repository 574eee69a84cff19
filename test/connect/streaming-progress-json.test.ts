import { describe, expect, test } from "vitest";
import { ExecutionError } from "../../src/common/errors.ts";
import {
  progressFromSparkJson, queryStartedFromSparkJson, queryTerminatedFromSparkJson,
} from "../../src/connect/spark-progress-json.ts";
import { eventProgress, jacksonProgress } from "./fake-streaming-handlers.ts";

const ID = "5a4d7f0e-1b2c-4d3e-8f90-a1b2c3d4e5f6";
const RUN_ID = "0f9e8d7c-6b5a-4e3d-9c2b-1a0f9e8d7c6b";

describe("Spark's progress and event JSON read into rivulet's types", () => {
  test("both of Spark's progress forms give the same report where they carry the same facts", () => {
    const jackson = progressFromSparkJson(jacksonProgress(ID, RUN_ID, 3, 30));
    const event = progressFromSparkJson(eventProgress(ID, RUN_ID, 3, 30));
    for (const p of [jackson, event]) {
      expect([p.id, p.runId, p.name, p.batchId, p.batchDuration, p.numInputRows]).toEqual([ID, RUN_ID, "counts", 3, 120, 30]);
      expect(p.processedRowsPerSecond).toBeCloseTo(250);
      expect(p.inputRowsPerSecond).toBeNaN();
    }
    expect(jackson.sources[0]!.startOffset).toEqual({ logOffset: 2 }); // JSON text in Jackson's form
    expect(event.sources[0]!.startOffset).toBe(2); // JSON in progress.json
    expect(event.eventTime).toEqual({}); // an empty map is left out of progress.json
  });

  test("rivulet's JSON of a parsed report is Spark's shape again", () => {
    const p = progressFromSparkJson(jacksonProgress(ID, RUN_ID, 1, 24));
    const back = JSON.parse(p.json) as Record<string, unknown>;
    expect(back).toMatchObject({ id: ID, runId: RUN_ID, batchId: 1, numInputRows: 24, sink: { numOutputRows: -1 } });
    expect(Object.keys(back)).toEqual([
      "id", "runId", "name", "timestamp", "batchId", "batchDuration", "numInputRows", "inputRowsPerSecond", "processedRowsPerSecond",
      "durationMs", "eventTime", "stateOperators", "sources", "sink", "observedMetrics",
    ]);
  });

  test("events: a start without a name, a termination without an exception", () => {
    expect(queryStartedFromSparkJson(JSON.stringify({ id: ID, runId: RUN_ID, name: null, timestamp: "2026-12-06T07:00:00.000Z" })))
      .toEqual({ id: ID, runId: RUN_ID, name: null, timestamp: "2026-12-06T07:00:00.000Z" });
    expect(queryTerminatedFromSparkJson(JSON.stringify({ id: ID, runId: RUN_ID, exception: null, errorClassOnException: null })))
      .toEqual({ id: ID, runId: RUN_ID, exception: null, errorClassOnException: null });
  });

  test("what is not Spark's JSON is refused with what it was", () => {
    expect(() => progressFromSparkJson("{\"id\": ")).toThrow(new ExecutionError("the Spark Connect server sent a StreamingQueryProgress that is not JSON: {\"id\": "));
    expect(() => queryStartedFromSparkJson("[1]")).toThrow("the Spark Connect server sent a QueryStartedEvent that is not a JSON object: [1]");
  });
});
