import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { tsxEsmApi } from "../../common/worker-pool.ts";
import { StateError } from "../../common/errors.ts";
import type { FlushTask } from "./flush-task.ts";

const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
const FLUSH_MODULE = new URL(`./flush-task${EXT}`, import.meta.url);
const MERGE_MODULE = new URL(`./merge-task${EXT}`, import.meta.url);

/** What a thread runs: the flush thread writes memtables out, the merge thread merges runs. */
export type Lane = "flush" | "merge";

// The thread: registers tsx once when running from TypeScript sources, then runs each task
// it is sent (the function `run` of its module), in order; the outcome goes to the task's shared
// status (a failure's message to the port first), and the engine's thread is woken if it waits.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { port, tsxApi, moduleUrl, run, started } = workerData;
const ready = (tsxApi ? import(tsxApi).then((api) => api.register()) : Promise.resolve()).then(() => import(moduleUrl));
ready.then(() => Atomics.store(started, 0, 1), () => {});
let previous = Promise.resolve();
port.on("message", (task) => {
  previous = previous.then(async () => {
    try {
      const mod = await ready;
      const result = mod[run](task);
      Atomics.store(task.status, 1, result);
      Atomics.store(task.status, 0, 1);
    } catch (error) {
      port.postMessage({ id: task.id, error: error && error.message ? error.message : String(error) });
      Atomics.store(task.status, 0, 2);
    }
    Atomics.notify(task.status, 0);
  });
});
`;

/** How long a wait for a flush thread's task may take before the engine gives up on it. */
const WAIT_LIMIT_MS = 120_000;

interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** [1 once the thread has loaded the task's module]. */
  readonly started: Int32Array;
}

const threads = new Map<Lane, Thread>();
let nextId = 0;
/** Failure messages received for tasks not yet asked about. */
const failures = new Map<number, string>();

/** The process's thread of `lane`, started on first use; it never holds the process open. */
function backgroundThread(lane: Lane): Thread {
  let thread = threads.get(lane);
  if (thread === undefined) {
    const { port1, port2 } = new MessageChannel();
    const moduleUrl = lane === "flush" ? FLUSH_MODULE : MERGE_MODULE;
    const fromSource = moduleUrl.pathname.endsWith(".ts");
    const started = new Int32Array(new SharedArrayBuffer(4));
    const run = lane === "flush" ? "writeFlushedRun" : "writeMergedRun";
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { port: port2, tsxApi: fromSource ? tsxEsmApi() : null, moduleUrl: moduleUrl.href, run, started },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    thread = { worker, port: port1, started };
    threads.set(lane, thread);
  }
  return thread;
}

/**
 * Whether the flush thread is up (it is started by the first call, and the merge thread with
 * it): until it has loaded its module, memtables are written out on the engine's thread. A
 * thread starting up may need its parent's event loop (it does inside a test runner's worker),
 * so the engine never blocks on a task sent before the thread was up.
 */
export function flushThreadStarted(): boolean {
  backgroundThread("merge");
  return Atomics.load(backgroundThread("flush").started, 0) === 1;
}

/** Whether the merge thread is up; unlike flushThreadStarted, it does not start it (an engine does). */
export function mergeThreadStarted(): boolean {
  const thread = threads.get("merge");
  return thread !== undefined && Atomics.load(thread.started, 0) === 1;
}

/**
 * A memtable's flush running in the process's flush thread (RocksDB's background flush
 * threads, one here: the engines of all stores share it, their tasks run in turn). The
 * engine's thread never awaits it: it asks `done` (a load of the shared status) when it
 * would do flushing work anyway, and blocks in `wait` (Atomics.wait) only where it must
 * have the run now.
 */
export class FlushThreadTask {
  readonly #id = nextId++;
  readonly #status: Int32Array;
  readonly #lane: Lane;
  /** The thread's failure message, once received. */
  #error: string | null = null;

  /**
   * Sends `task` (its status array is set here: [state, result], and after them any words of
   * the task's own, `statusWords` in all) to the thread of `lane`.
   */
  constructor(task: Omit<FlushTask, "status"> | Record<string, unknown>, lane: Lane = "flush", statusWords = 2) {
    this.#lane = lane;
    this.#status = new Int32Array(new SharedArrayBuffer(4 * statusWords));
    backgroundThread(lane).port.postMessage({ ...task, id: this.#id, status: this.#status });
  }

  /** The task's shared status words (index 2 on: the task's own). */
  get status(): Int32Array {
    return this.#status;
  }

  /** Whether the thread has finished the task (written the run or failed). */
  get done(): boolean {
    return Atomics.load(this.#status, 0) !== 0;
  }

  /** Blocks until the task is done; returns its result (a flush: the records written), or throws the thread's failure. */
  wait(): number {
    const started = performance.now();
    while (Atomics.load(this.#status, 0) === 0) {
      if (performance.now() - started > WAIT_LIMIT_MS) throw new StateError(`a ${this.#what} in the ${this.#lane} thread did not finish within ${WAIT_LIMIT_MS} ms`);
      Atomics.wait(this.#status, 0, 0, 1000);
    }
    if (Atomics.load(this.#status, 0) === 1) return Atomics.load(this.#status, 1);
    throw new StateError(`a ${this.#what} failed in the ${this.#lane} thread: ${this.#failure()}`);
  }

  get #what(): string {
    return this.#lane === "flush" ? "memtable flush" : "merge of runs";
  }

  #failure(): string {
    if (this.#error === null) {
      const port = backgroundThread(this.#lane).port;
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const { id, error } = m.message as { id: number; error: string };
        failures.set(id, error);
      }
      this.#error = failures.get(this.#id) ?? "unknown error";
      failures.delete(this.#id);
    }
    return this.#error;
  }
}
