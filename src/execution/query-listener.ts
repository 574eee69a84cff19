import type { StreamingQueryProgress } from "./progress.ts";

/** Spark's StreamingQueryListener events. */
export interface QueryStartedEvent { readonly id: string; readonly runId: string; readonly name: string | null; readonly timestamp: string }
export interface QueryProgressEvent { readonly progress: StreamingQueryProgress }
export interface QueryIdleEvent { readonly id: string; readonly runId: string; readonly timestamp: string }
/**
 * rivulet's own event: the query waits for its sink (a database outage), `message` says on
 * what; null when the sink got through again. `sinkRetries` counts retries of this run.
 */
export interface QueryWaitingEvent { readonly id: string; readonly runId: string; readonly message: string | null; readonly sinkRetries: number; readonly timestamp: string }
export interface QueryTerminatedEvent { readonly id: string; readonly runId: string; readonly exception: string | null; readonly errorClassOnException: string | null }

export interface StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): void;
  onQueryProgress?(event: QueryProgressEvent): void;
  onQueryIdle?(event: QueryIdleEvent): void;
  onQueryWaiting?(event: QueryWaitingEvent): void;
  onQueryTerminated?(event: QueryTerminatedEvent): void;
}

/** Delivers events to listeners; a failing listener is logged, never fails the query. */
export interface ListenerBus {
  post<K extends keyof StreamingQueryListener>(kind: K, event: Parameters<NonNullable<StreamingQueryListener[K]>>[0]): void;
}
