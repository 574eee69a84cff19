import type { Offset } from "../../connectors/source.ts";
import { Logger } from "../../common/log.ts";
import type { InputBatch } from "../dstream-op.ts";
import { attachReceiver, type Receiver } from "../receiver.ts";
import { dataBatch, InputOpBase, restoreDataBatch } from "./input-op-base.ts";

const log = new Logger("rivulet.dstream.receiver");

type Phase = "initialized" | "started" | "restarting" | "stopped";

/**
 * Spark's ReceiverInputDStream with its ReceiverSupervisor in one: runs the receiver's
 * lifecycle, buffers what it stores, and hands the buffer to each batch. The records are
 * written ahead with the batch (Spark's receiver write-ahead log), so a batch re-run
 * after a restart has them.
 */
export class ReceiverInputOp<T> extends InputOpBase<T> {
  readonly kind: string;
  #phase: Phase = "initialized";
  #buffer: T[] = [];
  #restartTimer: NodeJS.Timeout | null = null;
  #shutDown = false;
  /** The last error the receiver reported, if any. */
  lastError: { message: string; error: unknown } | null = null;

  constructor(readonly receiver: Receiver<T>) {
    super();
    this.kind = `receiverStream[${receiver.constructor.name}]`;
    const self = this;
    attachReceiver<T>(receiver, {
      get streamId() { return self.inputIndex; },
      store: (item) => this.#store(item),
      restart: (message, error, delayMs) => this.#restart(message, error, delayMs),
      reportError: (message, error) => this.#reportError(message, error),
      stop: (message, error) => {
        if (error !== undefined) this.#reportError(message, error);
        void this.#stopReceiver(message);
      },
      isStarted: () => this.#phase === "started",
      isStopped: () => this.#phase !== "started",
    });
  }

  async start(): Promise<void> {
    await this.#startReceiver();
  }

  async #startReceiver(): Promise<void> {
    this.#phase = "started";
    try {
      await this.receiver.onStart();
    } catch (error) {
      this.#reportError(`Error starting receiver ${this.inputIndex}`, error);
      await this.#stopReceiver("it failed to start");
    }
  }

  async #stopReceiver(why: string): Promise<void> {
    if (this.#phase === "stopped" || this.#phase === "initialized") {
      this.#phase = "stopped";
      return;
    }
    this.#phase = "stopped";
    log.info(`stopping receiver ${this.inputIndex}: ${why}`);
    try {
      await this.receiver.onStop();
    } catch (error) {
      this.#reportError(`Error stopping receiver ${this.inputIndex}`, error);
    }
  }

  #store(item: T): void {
    if (this.#phase !== "started") {
      log.debug(`receiver ${this.inputIndex} stored a record while ${this.#phase}: dropped`);
      return;
    }
    this.#buffer.push(item);
  }

  #restart(message: string, error: unknown, delayMs: number): void {
    if (this.#shutDown) return;
    log.warn(`restarting receiver ${this.inputIndex} in ${delayMs} ms: ${message}${error === undefined ? "" : ` (${String(error)})`}`);
    void this.#stopReceiver(`restart: ${message}`).then(() => {
      if (this.#shutDown) return;
      this.#phase = "restarting";
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        if (this.#phase === "restarting" && !this.#shutDown) void this.#startReceiver();
      }, delayMs);
    });
  }

  #reportError(message: string, error: unknown): void {
    this.lastError = { message, error };
    log.warn(`receiver ${this.inputIndex}: ${message}${error === undefined ? "" : `: ${error instanceof Error ? error.message : String(error)}`}`);
  }

  async nextBatch(): Promise<InputBatch<T>> {
    const records = this.#buffer;
    this.#buffer = [];
    return dataBatch([records]);
  }

  restore(entry: Offset): InputBatch<T> {
    return restoreDataBatch<T>(entry, this.kind);
  }

  override async hasPendingData(): Promise<boolean> {
    return this.#buffer.length > 0;
  }

  /** The context stops: the receiver stops for good. */
  override async stop(): Promise<void> {
    this.#shutDown = true;
    if (this.#restartTimer !== null) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    await this.#stopReceiver("the StreamingContext stopped");
  }
}
