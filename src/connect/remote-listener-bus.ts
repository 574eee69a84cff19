import { ExecutionError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import type { QueryStartedEvent, StreamingQueryListener } from "../execution/query-listener.ts";
import type { ExecutePlanResponse } from "./gen/spark/connect/base_pb.ts";
import { StreamingQueryEventType, type StreamingQueryListenerEvent } from "./gen/spark/connect/commands_pb.ts";
import { runCommand } from "./remote-command.ts";
import type { QueryStartedSink } from "./remote-streaming-query.ts";
import { progressFromSparkJson, queryIdleFromSparkJson, queryTerminatedFromSparkJson } from "./spark-progress-json.ts";
import type { SparkConnectClient } from "./spark-connect-client.ts";

const log = new Logger("RemoteStreamingQueryListenerBus");

type Post = { [K in keyof StreamingQueryListener]-?: { kind: K; event: Parameters<NonNullable<StreamingQueryListener[K]>>[0] } }[keyof StreamingQueryListener];

/**
 * The session's streaming listeners on a Spark Connect server (Spark's client-side
 * StreamingQueryListenerBus): the first listener added opens one long-running execution
 * (StreamingQueryListenerBusCommand add_listener_bus_listener) on which the server streams
 * every query's progress, idle and termination events; the last one removed closes it
 * (remove_listener_bus_listener), after the events already sent are delivered. Events reach
 * the listeners in the order the server sent them; a listener that throws is logged and the
 * others still called. Start events come with each start() (postQueryStarted).
 */
export class RemoteStreamingQueryListenerBus implements QueryStartedSink {
  readonly #client: SparkConnectClient;
  readonly #listeners: StreamingQueryListener[] = [];
  /** Reads the event stream until the server completes it; null while no stream is open. */
  #pump: Promise<void> | null = null;
  /** add/remove run one after another, as Spark's bus holds a lock around them. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(client: SparkConnectClient) {
    this.#client = client;
  }

  get listeners(): readonly StreamingQueryListener[] {
    return [...this.#listeners];
  }

  /** Adds a listener; the first one registers the bus with the server and waits for its acknowledgement. */
  add(listener: StreamingQueryListener): Promise<void> {
    return this.#serially(async () => {
      this.#listeners.push(listener);
      if (this.#listeners.length > 1 || this.#pump !== null) return;
      try {
        await this.#open();
      } catch (error) {
        this.#listeners.splice(this.#listeners.indexOf(listener), 1);
        throw error;
      }
    });
  }

  /** Removes a listener; removing the last one closes the bus once the server's remaining events are delivered. */
  remove(listener: StreamingQueryListener): Promise<void> {
    return this.#serially(async () => {
      const i = this.#listeners.indexOf(listener);
      if (i < 0) return;
      if (this.#listeners.length === 1 && this.#pump !== null) {
        await runCommand(this.#client, { case: "streamingQueryListenerBusCommand", value: { command: { case: "removeListenerBusListener", value: true } } });
        await this.#pump;
      }
      this.#listeners.splice(this.#listeners.indexOf(listener), 1);
    });
  }

  /** Removes every listener (the session stops). */
  async close(): Promise<void> {
    for (const listener of [...this.#listeners]) await this.remove(listener);
  }

  postQueryStarted(event: QueryStartedEvent): void {
    this.#post({ kind: "onQueryStarted", event });
  }

  async #open(): Promise<void> {
    const stream = this.#client.executeStream({
      opType: { case: "command", value: { commandType: { case: "streamingQueryListenerBusCommand", value: { command: { case: "addListenerBusListener", value: true } } } } },
    });
    // The server acknowledges the registration before it sends any event.
    for (;;) {
      const next = await stream.next(); // a server error arrives mapped, FetchErrorDetails included
      if (next.done) throw new ExecutionError(`the Spark Connect server at ${this.#client.channel.target} ended the streaming listener bus before registering it`);
      const r = next.value.responseType;
      if (r.case !== "streamingQueryListenerEventsResult") continue;
      this.#deliver(r.value.events);
      if (r.value.listenerBusListenerAdded === true) break;
    }
    this.#pump = this.#consume(stream);
  }

  async #consume(stream: AsyncGenerator<ExecutePlanResponse, void, undefined>): Promise<void> {
    try {
      for await (const response of stream) {
        if (response.responseType.case === "streamingQueryListenerEventsResult") this.#deliver(response.responseType.value.events);
      }
    } catch (error) {
      // As Spark's bus: the stream is gone for good (the retries and reattaches ran out), so
      // the listeners are dropped and the user is told to add them again.
      log.warn(`the streaming listener bus lost the Spark Connect server, all listeners are removed (add them again): ${(error as Error).message}`);
      this.#listeners.length = 0;
    } finally {
      this.#pump = null;
    }
  }

  #deliver(events: readonly StreamingQueryListenerEvent[]): void {
    for (const e of events) {
      try {
        const post = toPost(e);
        if (post !== null) this.#post(post);
      } catch (error) {
        log.warn(`an unreadable streaming listener event was skipped: ${(error as Error).message}`);
      }
    }
  }

  #post(post: Post): void {
    for (const listener of [...this.#listeners]) {
      try {
        (listener[post.kind] as ((e: typeof post.event) => void) | undefined)?.call(listener, post.event);
      } catch (error) {
        log.warn(`listener ${post.kind} failed: ${(error as Error).message}`);
      }
    }
  }

  #serially<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step, step);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function toPost(e: StreamingQueryListenerEvent): Post | null {
  switch (e.eventType) {
    case StreamingQueryEventType.QUERY_PROGRESS_EVENT: {
      const parsed = JSON.parse(e.eventJson) as { progress?: unknown };
      return { kind: "onQueryProgress", event: { progress: progressFromSparkJson((parsed.progress ?? {}) as Record<string, unknown>) } };
    }
    case StreamingQueryEventType.QUERY_IDLE_EVENT:
      return { kind: "onQueryIdle", event: queryIdleFromSparkJson(e.eventJson) };
    case StreamingQueryEventType.QUERY_TERMINATED_EVENT:
      return { kind: "onQueryTerminated", event: queryTerminatedFromSparkJson(e.eventJson) };
    default:
      log.warn(`unknown streaming listener event type ${String(e.eventType)} skipped`);
      return null;
  }
}
