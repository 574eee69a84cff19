import type {
  QueryIdleEvent, QueryProgressEvent, QueryStartedEvent, QueryTerminatedEvent, QueryWaitingEvent,
} from "../execution/query-listener.ts";

/**
 * Spark's StreamingQueryListener, to subclass as in Scala and PySpark
 * (`class L extends StreamingQueryListener { onQueryStarted(e) {…} … }`). Its methods are
 * optional, so a plain object with some of them is a StreamingQueryListener too (as code
 * written before the class existed types its listeners); an event without a method is
 * skipped, as Spark 3.5's default onQueryIdle. onQueryWaiting is rivulet's own.
 */
export class StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): void;
  onQueryProgress?(event: QueryProgressEvent): void;
  onQueryIdle?(event: QueryIdleEvent): void;
  onQueryWaiting?(event: QueryWaitingEvent): void;
  onQueryTerminated?(event: QueryTerminatedEvent): void;
}
