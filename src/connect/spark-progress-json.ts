import { ExecutionError } from "../common/errors.ts";
import type { Offset } from "../connectors/source.ts";
import { StreamingQueryProgress, type SinkProgress, type SourceProgress } from "../execution/progress.ts";
import type { QueryIdleEvent, QueryStartedEvent, QueryTerminatedEvent } from "../execution/query-listener.ts";
import type { StateOperatorMetrics } from "../physical/exec-operator.ts";

/**
 * Spark's progress reports and listener events, read from the JSON a Spark Connect server
 * sends, into rivulet's own types. Spark writes progress two ways: `progress.json` (listener
 * events: offsets as JSON, NaN rates and empty maps left out) and Jackson's
 * `StreamingQueryProgress.jsonString` (lastProgress/recentProgress: offsets as JSON text,
 * NaN as "NaN", no numInputRows totals). Both are read here; a missing field takes Spark's
 * default (NaN for a rate, 0 for a count, {} for a map).
 */
type JsonObject = { readonly [key: string]: unknown };

export function progressFromSparkJson(json: string | JsonObject): StreamingQueryProgress {
  const p = typeof json === "string" ? parseObject(json, "StreamingQueryProgress") : json;
  return new StreamingQueryProgress(
    text(p.id), text(p.runId), nullableText(p.name), text(p.timestamp),
    count(p.batchId), count(p.batchDuration),
    mapOf(p.durationMs, count), mapOf(p.eventTime, text),
    list(p.stateOperators).map(stateOperator), list(p.sources).map(source), sink(p.sink),
    isObject(p.observedMetrics) ? { ...p.observedMetrics } : {},
  );
}

export function queryStartedFromSparkJson(json: string): QueryStartedEvent {
  const e = parseObject(json, "QueryStartedEvent");
  return { id: text(e.id), runId: text(e.runId), name: nullableText(e.name), timestamp: text(e.timestamp) };
}

export function queryIdleFromSparkJson(json: string): QueryIdleEvent {
  const e = parseObject(json, "QueryIdleEvent");
  return { id: text(e.id), runId: text(e.runId), timestamp: text(e.timestamp) };
}

export function queryTerminatedFromSparkJson(json: string): QueryTerminatedEvent {
  const e = parseObject(json, "QueryTerminatedEvent");
  return { id: text(e.id), runId: text(e.runId), exception: nullableText(e.exception), errorClassOnException: nullableText(e.errorClassOnException) };
}

function stateOperator(value: unknown): StateOperatorMetrics {
  const s = asObject(value);
  return {
    operatorName: text(s.operatorName),
    numRowsTotal: count(s.numRowsTotal),
    numRowsUpdated: count(s.numRowsUpdated),
    numRowsRemoved: count(s.numRowsRemoved),
    numRowsDroppedByWatermark: count(s.numRowsDroppedByWatermark),
    allUpdatesTimeMs: count(s.allUpdatesTimeMs),
    allRemovalsTimeMs: count(s.allRemovalsTimeMs),
    commitTimeMs: count(s.commitTimeMs),
    memoryUsedBytes: count(s.memoryUsedBytes),
    numShufflePartitions: count(s.numShufflePartitions),
    numStateStoreInstances: count(s.numStateStoreInstances),
    customMetrics: mapOf(s.customMetrics, count),
  };
}

function source(value: unknown): SourceProgress {
  const s = asObject(value);
  return {
    description: text(s.description),
    startOffset: offset(s.startOffset),
    endOffset: offset(s.endOffset),
    latestOffset: offset(s.latestOffset),
    numInputRows: count(s.numInputRows),
    inputRowsPerSecond: rate(s.inputRowsPerSecond),
    processedRowsPerSecond: rate(s.processedRowsPerSecond),
    metrics: mapOf(s.metrics, text),
  };
}

function sink(value: unknown): SinkProgress {
  const s = asObject(value);
  // -1: the sink does not count its rows (Spark's SinkProgress.DEFAULT_NUM_OUTPUT_ROWS).
  return { description: text(s.description), numOutputRows: s.numOutputRows === undefined ? -1 : count(s.numOutputRows), metrics: mapOf(s.metrics, text) };
}

/** Jackson writes a source's offset as the JSON text Spark keeps; `progress.json` as the parsed JSON. */
function offset(value: unknown): Offset | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return value as Offset;
  try {
    return JSON.parse(value) as Offset;
  } catch {
    return value;
  }
}

function parseObject(json: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ExecutionError(`the Spark Connect server sent a ${what} that is not JSON: ${json.slice(0, 200)}`, { cause: error });
  }
  if (!isObject(value)) throw new ExecutionError(`the Spark Connect server sent a ${what} that is not a JSON object: ${json.slice(0, 200)}`);
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

function nullableText(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

function count(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
}

/** A rate: Spark leaves NaN out (`progress.json`) or writes "NaN" (Jackson). */
function rate(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" ? n : Number.NaN;
}

function mapOf<T>(value: unknown, read: (v: unknown) => T): Record<string, T> {
  const out: Record<string, T> = {};
  if (isObject(value)) for (const [k, v] of Object.entries(value)) out[k] = read(v);
  return out;
}
