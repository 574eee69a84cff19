import type { StreamingQueryProgress } from "./progress.ts";

/** Spark's StreamingQueryListener events. */
export interface QueryStartedEvent { readonly id: string; readonly runId: string; readonly name: string | null; readonly timestamp: string }
export interface QueryProgressEvent { readonly progress: StreamingQueryProgress }
export interface QueryIdleEvent { readonly id: string; readonly runId: string; readonly timestamp: string }
export interface QueryTerminatedEvent { readonly id: string; readonly runId: string; readonly exception: string | null; readonly errorClassOnException: string | null }

export interface StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): void;
  onQueryProgress?(event: QueryProgressEvent): void;
  onQueryIdle?(event: QueryIdleEvent): void;
  onQueryTerminated?(event: QueryTerminatedEvent): void;
}

/** Delivers events to listeners; a failing listener is logged, never fails the query. */
export interface ListenerBus {
  post<K extends keyof StreamingQueryListener>(kind: K, event: Parameters<NonNullable<StreamingQueryListener[K]>>[0]): void;
}
