import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { AnalysisError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import { CheckpointPaths } from "../checkpoint/paths.ts";
import { ManualClock, SystemClock, type Clock } from "../execution/clock.ts";
import { fileFormatOf } from "../connectors/sources/file-format.ts";
import { createFileSourceProvider } from "../connectors/sources/file-source.ts";
import { SocketSource } from "../connectors/sources/socket-source.ts";
import { SourceOptions } from "../connectors/sources/source-options.ts";
import type { Session } from "../session/session.ts";
import { StringType, StructType } from "../types/data-types.ts";
import { DStream } from "./dstream.ts";
import { DStreamGraph } from "./dstream-graph.ts";
import { secondsToMs } from "./durations.ts";
import { QueueInputOp, type QueueElement } from "./inputs/queue-input.ts";
import { ReceiverInputOp } from "./inputs/receiver-input.ts";
import { SourceInputOp } from "./inputs/source-input.ts";
import { JobScheduler } from "./job-scheduler.ts";
import { RDD } from "./rdd.ts";
import type { Receiver } from "./receiver.ts";

const log = new Logger("rivulet.dstream.StreamingContext");

export interface StreamingContextOptions {
  /** "system" (default), "manual" for tests (moved with `advanceClock`), or any Clock. */
  readonly clock?: "system" | "manual" | Clock;
}

export interface StopOptions {
  /** Process the data already received before stopping (Spark's stopGracefully). Default false. */
  readonly stopGracefully?: boolean;
  /**
   * Also stop the session (Spark's stopSparkContext). Default false, unlike Spark: the
   * session is shared with structured queries, which a DStream context should not end.
   */
  readonly stopSparkContext?: boolean;
}

export type StreamingContextState = "INITIALIZED" | "ACTIVE" | "STOPPED";

const TEXT_SCHEMA = new StructType([{ name: "value", dataType: StringType, nullable: true }]);

/** Spark's spark.streaming.receiverRestartDelay: a socket receiver reconnects this long after its stream ends. */
const RECEIVER_RESTART_DELAY_MS = 2000;

/**
 * Spark Streaming's entry point: a batch interval (seconds), input streams, and the
 * DStream graph built on them. `start()` runs the graph on the micro-batch job scheduler;
 * each batch interval becomes one batch of every stream.
 *
 *     const ssc = new StreamingContext(session, 1);
 *     ssc.socketTextStream("127.0.0.1", 9999).flatMap((l) => l.split(" ")).countByValue().print();
 *     ssc.start();
 *     await ssc.awaitTermination();
 */
export class StreamingContext {
  /** @internal */
  readonly graph = new DStreamGraph();
  readonly batchDurationMs: number;
  readonly clock: Clock;
  #checkpointDir: string | null = null;
  #state: StreamingContextState = "INITIALIZED";
  #scheduler: JobScheduler | null = null;
  #stopping: Promise<void> | null = null;

  constructor(readonly session: Session, batchDurationSeconds: number, options: StreamingContextOptions = {}) {
    session.backend.requireLocal("DStreams");
    this.batchDurationMs = secondsToMs(batchDurationSeconds, "the batch interval");
    // Without an explicit choice the context runs on its session's clock, so a session built
    // withClock(new ManualClock()) drives its DStreams and its structured queries alike.
    const clock = options.clock ?? session.clock;
    this.clock = clock === "manual"
      ? (session.clock instanceof ManualClock ? session.clock : new ManualClock(0))
      : clock === "system" ? new SystemClock() : clock;
  }

  /**
   * A context recovered from `checkpointDir`, or a new one. JS functions cannot be
   * saved in a checkpoint (Spark serialises the whole graph with its closures), so
   * `creatingFunc` always builds the graph; when the directory holds a checkpoint, the
   * context then resumes from it: the state of every stateful stream, the batch times,
   * and the inputs of a batch that had not completed. The graph must be the same as the
   * one that wrote the checkpoint (same inputs and stateful operations, in order).
   */
  static getOrCreate(checkpointDir: string, creatingFunc: () => StreamingContext): StreamingContext {
    const ssc = creatingFunc();
    if (!(ssc instanceof StreamingContext)) throw new AnalysisError("StreamingContext.getOrCreate: the creating function must return a StreamingContext");
    if (ssc.checkpointDir === null) ssc.checkpoint(checkpointDir);
    else if (resolve(ssc.checkpointDir) !== resolve(checkpointDir)) {
      log.warn(`getOrCreate(${checkpointDir}): the context checkpoints to ${ssc.checkpointDir}, which is used`);
    }
    const exists = existsSync(new CheckpointPaths(ssc.checkpointDir!).metadata);
    log.info(exists ? `recovering the StreamingContext from ${ssc.checkpointDir}` : `new StreamingContext checkpointing to ${ssc.checkpointDir}`);
    return ssc;
  }

  get sparkSession(): Session {
    return this.session;
  }

  get checkpointDir(): string | null {
    return this.#checkpointDir;
  }

  getState(): StreamingContextState {
    return this.#state;
  }

  /**
   * Where state, the write-ahead log of batches and input metadata go. Stateful
   * operations and windows with an inverse function need it. A directory with a
   * checkpoint of the same graph is resumed.
   */
  checkpoint(directory: string): void {
    this.#checkNotStarted("checkpoint");
    if (typeof directory !== "string" || directory === "") throw new AnalysisError("checkpoint: the directory must be a non-empty path");
    this.#checkpointDir = directory;
  }

  /** Keep every stream's batches for at least this many seconds (for transform over old batches). */
  remember(durationSeconds: number): void {
    this.#checkNotStarted("remember");
    this.graph.rememberMs = Math.max(this.graph.rememberMs, secondsToMs(durationSeconds, "the remember duration"));
  }

  // ---- Inputs ----
  /**
   * Lines of text from a TCP server (a client socket, as Spark's socket receiver): when the
   * server closes the connection or cannot be reached, it connects again 2 s later.
   */
  socketTextStream(host: string, port: number, _storageLevel?: string): DStream<string> {
    this.#checkNotStarted("socketTextStream");
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AnalysisError(`socketTextStream: ${port} is not a port number`);
    const op = new SourceInputOp("socketTextStream", () => new SocketSource(host, port, TEXT_SCHEMA, RECEIVER_RESTART_DELAY_MS), false);
    return new DStream(this, op, this.batchDurationMs);
  }

  /** Lines of the files that appear in `directory` after the context starts (files there before are not read). */
  textFileStream(directory: string): DStream<string> {
    this.#checkNotStarted("textFileStream");
    const options = new SourceOptions("text", {});
    const provider = createFileSourceProvider(fileFormatOf("text", options), options, [directory], TEXT_SCHEMA, false);
    const op = new SourceInputOp(
      "textFileStream",
      (metadataPath, session) => provider.createSource({ metadataPath, conf: session.conf, bounded: false }),
      true,
    );
    return new DStream(this, op, this.batchDurationMs);
  }

  /**
   * Each batch takes the next element of `queue` (or all of them unless `oneAtATime`):
   * an array of values or an RDD. The array may be pushed to while the context runs.
   * Without elements, a batch is `defaultRDD` or empty.
   */
  queueStream<T>(queue: QueueElement<T>[], oneAtATime = true, defaultRDD?: QueueElement<T>): DStream<T> {
    this.#checkNotStarted("queueStream");
    if (!Array.isArray(queue)) throw new AnalysisError("queueStream: the queue must be an array (of arrays of values or RDDs)");
    return new DStream(this, new QueueInputOp(queue, oneAtATime, defaultRDD), this.batchDurationMs);
  }

  /** A stream of what a custom Receiver stores. */
  receiverStream<T>(receiver: Receiver<T>): DStream<T> {
    this.#checkNotStarted("receiverStream");
    return new DStream(this, new ReceiverInputOp(receiver), this.batchDurationMs);
  }

  /** The union of several streams of the same slide duration. */
  union<T>(streams: readonly DStream<T>[]): DStream<T> {
    if (streams.length === 0) throw new AnalysisError("union: no DStreams given");
    const [first, ...rest] = streams;
    return first!.union(...rest);
  }

  /** An RDD of `values` in `numSlices` partitions (an initial state, a table to join with in transform). */
  parallelize<T>(values: Iterable<T>, numSlices = 1): RDD<T> {
    return RDD.parallelize(values, numSlices, this.session);
  }

  // ---- Lifecycle ----
  /** Starts the batches. Checks the graph first (outputs present, checkpoint set where state is kept). */
  start(): void {
    if (this.#state === "ACTIVE") throw new AnalysisError("StreamingContext has already been started");
    if (this.#state === "STOPPED") throw new AnalysisError("StreamingContext has already been stopped");
    this.graph.validate(this.#checkpointDir);
    this.graph.initialize();
    this.#state = "ACTIVE";
    this.#scheduler = new JobScheduler({
      graph: this.graph, session: this.session, clock: this.clock,
      batchDurationMs: this.batchDurationMs, checkpointDir: this.#checkpointDir,
    });
    void this.#scheduler.done.then(() => {
      this.#state = "STOPPED";
    });
  }

  /**
   * Stops after the batch running now (receivers and sockets are closed); with
   * `stopGracefully`, data already received is processed first. Also accepts Spark's
   * `stop(stopSparkContext, stopGracefully)` booleans.
   */
  stop(options: StopOptions | boolean = {}, stopGracefully?: boolean): Promise<void> {
    const opts: StopOptions = typeof options === "boolean" ? { stopSparkContext: options, stopGracefully: stopGracefully ?? false } : options;
    if (this.#stopping !== null) return this.#stopping;
    this.#stopping = (async () => {
      if (this.#scheduler !== null) await this.#scheduler.requestStop(opts.stopGracefully === true);
      this.#state = "STOPPED";
      if (opts.stopSparkContext === true) await this.session.stop();
    })();
    return this.#stopping;
  }

  /**
   * Waits until the context stops; rejects with the error that stopped it. With a
   * timeout, resolves false if it is still running then (Spark's awaitTerminationOrTimeout).
   */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    const scheduler = this.#scheduler;
    if (scheduler === null) {
      if (this.#state === "STOPPED") return true;
      throw new AnalysisError("awaitTermination: the StreamingContext has not been started");
    }
    if (timeoutMs === undefined) {
      await scheduler.done;
    } else {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        scheduler.done.then(() => false),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); }),
      ]);
      clearTimeout(timer);
      if (timedOut) return false;
    }
    if (scheduler.error !== null) throw scheduler.error;
    return true;
  }

  awaitTerminationOrTimeout(timeoutMs: number): Promise<boolean> {
    return this.awaitTermination(timeoutMs);
  }

  /**
   * Moves the manual clock forward by `ms` and resolves once every batch that became due
   * has run and its outputs were called; rejects with the error if a batch failed.
   */
  async advanceClock(ms: number): Promise<void> {
    if (!(this.clock instanceof ManualClock)) {
      throw new AnalysisError('advanceClock needs the manual clock: new StreamingContext(session, interval, { clock: "manual" })');
    }
    await this.clock.advance(ms);
    if (this.#scheduler?.error != null) throw this.#scheduler.error;
  }

  #checkNotStarted(what: string): void {
    if (this.#state !== "INITIALIZED") {
      throw new AnalysisError(`${what}: adding new inputs, transformations, and output operations after starting a context is not supported`);
    }
  }
}
