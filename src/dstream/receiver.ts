import { InternalError } from "../common/errors.ts";

/** What runs a receiver (the receiver supervisor); a Receiver forwards to it. */
export interface ReceiverHost<T> {
  readonly streamId: number;
  store(item: T): void;
  restart(message: string, error: unknown, delayMs: number): void;
  reportError(message: string, error: unknown): void;
  stop(message: string, error: unknown): void;
  isStarted(): boolean;
  isStopped(): boolean;
}

const hosts = new WeakMap<Receiver<any>, ReceiverHost<any>>();

/** @internal Connects a receiver to the supervisor that runs it. */
export function attachReceiver<T>(receiver: Receiver<T>, host: ReceiverHost<T>): void {
  if (hosts.has(receiver)) throw new InternalError("this receiver already belongs to a receiver stream; make a new one per stream");
  hosts.set(receiver, host);
}

/**
 * Spark's Receiver, for custom inputs: extend it, start receiving in `onStart` (which
 * must return quickly: start a socket, a timer, an async loop), hand each record to
 * `store`, and release everything in `onStop`. `restart` stops and starts it again after
 * a delay; `reportError` logs an error without stopping it. Each record stored between
 * two batch times goes into the next batch.
 *
 *     class Counter extends Receiver<number> {
 *       #timer?: NodeJS.Timeout;
 *       onStart() { let i = 0; this.#timer = setInterval(() => this.store(i++), 10); }
 *       onStop() { clearInterval(this.#timer); }
 *     }
 *     ssc.receiverStream(new Counter())
 */
export abstract class Receiver<T> {
  constructor(readonly storageLevel: string = "MEMORY_AND_DISK_SER_2") {}

  abstract onStart(): void | Promise<void>;
  abstract onStop(): void | Promise<void>;

  #host(): ReceiverHost<T> {
    const host = hosts.get(this);
    if (host === undefined) throw new InternalError("this receiver is not part of a StreamingContext: pass it to ssc.receiverStream(receiver) and start the context");
    return host;
  }

  /** Stores one record (an array value, such as a pair, is one record). */
  store(item: T): void {
    this.#host().store(item);
  }

  /** Stores each record of `items`. */
  storeAll(items: Iterable<T>): void {
    const host = this.#host();
    for (const item of items) host.store(item);
  }

  /** Stops the receiver (onStop) and starts it again (onStart) after `delayMs` (Spark's 2 s by default). */
  restart(message: string, error?: unknown, delayMs = 2000): void {
    this.#host().restart(message, error, delayMs);
  }

  /** Reports an error (logged, kept as the stream's last error); the receiver keeps running. */
  reportError(message: string, error?: unknown): void {
    this.#host().reportError(message, error);
  }

  /** Stops the receiver for good. */
  stop(message: string, error?: unknown): void {
    this.#host().stop(message, error);
  }

  isStarted(): boolean {
    return hosts.get(this)?.isStarted() ?? false;
  }

  isStopped(): boolean {
    return hosts.get(this)?.isStopped() ?? true;
  }

  get streamId(): number {
    return this.#host().streamId;
  }
}
