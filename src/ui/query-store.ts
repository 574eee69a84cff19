import type { StreamingQuery } from "../api/streaming-query.ts";
import type { StreamingQueryProgress } from "../execution/progress.ts";
import type {
  QueryIdleEvent, QueryProgressEvent, QueryStartedEvent, QueryTerminatedEvent, QueryWaitingEvent, StreamingQueryListener,
} from "../execution/query-listener.ts";
import { planGraph, type PlanNode } from "./plan-graph.ts";
import { redactSecrets } from "./redact.ts";

/** One batch of a query, as the charts plot it. */
export interface QueryPoint {
  /** Trigger time, ms since the epoch. */
  readonly t: number;
  readonly batchId: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly batchDuration: number;
  /** The batch's phases (latestOffset, getBatch, addBatch, walCommit, commitOffsets…), ms. */
  readonly durationMs: Readonly<Record<string, number>>;
  readonly stateRows: number | null;
  /** Event times, ms since the epoch; null when the query has no watermark / saw no event. */
  readonly watermark: number | null;
  readonly maxEventTime: number | null;
  readonly rowsWritten: number;
}

export type QueryState = "active" | "stopped" | "failed";

/** A source's offsets in the last batch, and how far it is behind the end of its input (bus sources report it). */
export interface SourceOffsets {
  readonly description: string;
  readonly startOffset: unknown;
  readonly endOffset: unknown;
  readonly latestOffset: unknown;
  /** Messages between the batch's end and the input's end (the largest over a source's streams); null when the source does not say. */
  readonly offsetsBehindLatest: number | null;
}

export function sourceOffsetsOf(p: StreamingQueryProgress): SourceOffsets[] {
  return p.sources.map((s) => {
    const behind = s.metrics.maxOffsetsBehindLatest;
    return {
      description: redactSecrets(s.description), startOffset: s.startOffset, endOffset: s.endOffset, latestOffset: s.latestOffset,
      offsetsBehindLatest: behind === undefined ? null : Number(behind),
    };
  });
}

/** What the UI knows of one query run. */
export interface QueryRecord {
  readonly id: string;
  readonly runId: string;
  name: string;
  state: QueryState;
  idle: boolean;
  /** What the query waits on (its sink, during a database outage); null when it does not wait. */
  waiting: string | null;
  /** Retries its sink made in this run. */
  sinkRetries: number;
  readonly startedAt: string;
  endedAt: string | null;
  lastError: string | null;
  batches: number;
  totalInputRows: number;
  totalRowsWritten: number;
  plan: PlanNode | null;
  sources: string[];
  /** The sources' offsets and lag after the last batch. */
  sourceOffsets: SourceOffsets[];
  sink: string | null;
  readonly history: QueryPoint[];
  lastProgress: unknown;
}

export type UiEvent =
  | { readonly type: "started" | "terminated" | "idle" | "waiting"; readonly query: QuerySummary }
  | { readonly type: "progress"; readonly query: QuerySummary; readonly point: QueryPoint };

export type QuerySummary = Omit<QueryRecord, "history" | "plan" | "lastProgress">;

const HISTORY = 600;
const FINISHED_KEPT = 50;

function eventMs(iso: string | undefined): number | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

export function pointOf(p: StreamingQueryProgress): QueryPoint {
  return {
    t: Date.parse(p.timestamp),
    batchId: p.batchId,
    numInputRows: p.numInputRows,
    inputRowsPerSecond: p.inputRowsPerSecond,
    processedRowsPerSecond: p.processedRowsPerSecond,
    batchDuration: p.batchDuration,
    durationMs: p.durationMs,
    stateRows: p.stateOperators.length === 0 ? null : p.stateOperators.reduce((n, o) => n + o.numRowsTotal, 0),
    watermark: eventMs(p.eventTime.watermark),
    maxEventTime: eventMs(p.eventTime.max),
    rowsWritten: p.sink.numOutputRows,
  };
}

/**
 * The web UI's model: a StreamingQueryListener that keeps, per query run, its status,
 * a bounded history of batches, the last error and the physical plan; subscribers hear
 * of every change. Finished runs stay listed (the newest 50).
 */
export class QueryStore implements StreamingQueryListener {
  readonly #queries = new Map<string, QueryRecord>();
  readonly #subscribers = new Set<(e: UiEvent) => void>();

  /** `lookup` finds the running query of an id (for its plan): `session.streams.get`. */
  constructor(readonly lookup: (id: string) => StreamingQuery | null) {}

  /** Takes in a query that started before the store listened. */
  adopt(q: StreamingQuery): void {
    if (this.#queries.has(q.runId)) return;
    this.onQueryStarted({ id: q.id, runId: q.runId, name: q.name, timestamp: new Date().toISOString() });
    for (const p of q.recentProgress) this.onQueryProgress({ progress: p });
  }

  list(): QueryRecord[] {
    return [...this.#queries.values()].sort((a, b) => Number(b.state === "active") - Number(a.state === "active") || b.startedAt.localeCompare(a.startedAt));
  }

  get(idOrRunId: string): QueryRecord | null {
    return this.#queries.get(idOrRunId) ?? this.list().find((q) => q.id === idOrRunId) ?? null;
  }

  subscribe(f: (e: UiEvent) => void): () => void {
    this.#subscribers.add(f);
    return () => this.#subscribers.delete(f);
  }

  onQueryStarted(e: QueryStartedEvent): void {
    const q = this.lookup(e.id);
    const record: QueryRecord = {
      id: e.id, runId: e.runId, name: e.name ?? e.id, state: "active", idle: false, waiting: null, sinkRetries: 0, startedAt: e.timestamp, endedAt: null,
      lastError: null, batches: 0, totalInputRows: 0, totalRowsWritten: 0, plan: null, sources: [], sourceOffsets: [], sink: null, history: [], lastProgress: null,
    };
    this.#capturePlan(record, q);
    this.#queries.set(e.runId, record);
    this.#trimFinished();
    this.#emit({ type: "started", query: summary(record) });
  }

  onQueryProgress(e: QueryProgressEvent): void {
    const p = e.progress;
    const record = this.#queries.get(p.runId);
    if (record === undefined) return;
    const point = pointOf(p);
    record.history.push(point);
    if (record.history.length > HISTORY) record.history.shift();
    record.batches++;
    record.idle = false;
    record.totalInputRows += p.numInputRows;
    record.totalRowsWritten += p.sink.numOutputRows;
    record.sources = p.sources.map((s) => redactSecrets(s.description));
    record.sourceOffsets = sourceOffsetsOf(p);
    record.sink = redactSecrets(p.sink.description);
    record.lastProgress = JSON.parse(redactSecrets(p.json));
    if (record.plan === null) this.#capturePlan(record, this.lookup(p.id));
    this.#emit({ type: "progress", query: summary(record), point });
  }

  onQueryIdle(e: QueryIdleEvent): void {
    const record = this.#queries.get(e.runId);
    if (record === undefined) return;
    record.idle = true;
    this.#emit({ type: "idle", query: summary(record) });
  }

  onQueryWaiting(e: QueryWaitingEvent): void {
    const record = this.#queries.get(e.runId);
    if (record === undefined) return;
    record.waiting = e.message === null ? null : redactSecrets(e.message);
    record.sinkRetries = e.sinkRetries;
    this.#emit({ type: "waiting", query: summary(record) });
  }

  onQueryTerminated(e: QueryTerminatedEvent): void {
    // A query that failed to start never reported onQueryStarted.
    if (!this.#queries.has(e.runId)) this.onQueryStarted({ id: e.id, runId: e.runId, name: this.lookup(e.id)?.name ?? null, timestamp: new Date().toISOString() });
    const record = this.#queries.get(e.runId)!;
    record.state = e.exception === null ? "stopped" : "failed";
    record.waiting = null;
    record.lastError = e.exception === null ? record.lastError : redactSecrets(e.exception);
    record.endedAt = new Date().toISOString();
    this.#emit({ type: "terminated", query: summary(record) });
  }

  #capturePlan(record: QueryRecord, q: StreamingQuery | null): void {
    const root = q?.execution.physical?.root;
    if (root !== undefined) record.plan = planGraph(root);
  }

  #trimFinished(): void {
    const finished = [...this.#queries.values()].filter((q) => q.state !== "active");
    for (const q of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.#queries.delete(q.runId);
  }

  #emit(e: UiEvent): void {
    for (const f of this.#subscribers) {
      try {
        f(e);
      } catch {
        // a subscriber (a closed connection) never breaks the others
      }
    }
  }
}

export function summary(r: QueryRecord): QuerySummary {
  const { history: _h, plan: _p, lastProgress: _l, ...rest } = r;
  return rest;
}
