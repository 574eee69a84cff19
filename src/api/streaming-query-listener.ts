import type {
  QueryIdleEvent, QueryProgressEvent, QueryStartedEvent, QueryTerminatedEvent, QueryWaitingEvent,
  StreamingQueryListener as StreamingQueryListenerLike,
} from "../execution/query-listener.ts";

/**
 * Spark's abstract StreamingQueryListener, to subclass as in Scala and PySpark
 * (`class L extends StreamingQueryListener { onQueryStarted(e) {…} … }`). `spark.streams.addListener`
 * takes any object with some of these methods (StreamingQueryListenerLike), so a plain object works too.
 * As in Spark 3.5, onQueryIdle is optional to override; onQueryWaiting is rivulet's own.
 */
export abstract class StreamingQueryListener implements StreamingQueryListenerLike {
  abstract onQueryStarted(event: QueryStartedEvent): void;
  abstract onQueryProgress(event: QueryProgressEvent): void;
  onQueryIdle(_event: QueryIdleEvent): void {}
  onQueryWaiting(_event: QueryWaitingEvent): void {}
  abstract onQueryTerminated(event: QueryTerminatedEvent): void;
}
