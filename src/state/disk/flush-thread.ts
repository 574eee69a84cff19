import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { tsxEsmApi } from "../../common/worker-pool.ts";
import { StateError } from "../../common/errors.ts";
import type { FlushTask } from "./flush-task.ts";

const TASK_MODULE = new URL(`./flush-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

// The thread: registers tsx once when running from TypeScript sources, then runs each task
// it is sent, in order; the outcome goes to the task's shared status (a failure's message
// to the port first), and the engine's thread is woken if it waits.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { port, tsxApi, moduleUrl, started } = workerData;
const ready = (tsxApi ? import(tsxApi).then((api) => api.register()) : Promise.resolve()).then(() => import(moduleUrl));
ready.then(() => Atomics.store(started, 0, 1), () => {});
let previous = Promise.resolve();
port.on("message", (task) => {
  previous = previous.then(async () => {
    try {
      const mod = await ready;
      const written = mod.writeFlushedRun(task);
      Atomics.store(task.status, 1, written);
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

let thread: Thread | null = null;
let nextId = 0;
/** Failure messages received for tasks not yet asked about. */
const failures = new Map<number, string>();

/** The process's flush thread, started on first use; it never holds the process open. */
function flushThread(): Thread {
  if (thread === null) {
    const { port1, port2 } = new MessageChannel();
    const fromSource = TASK_MODULE.pathname.endsWith(".ts");
    const started = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { port: port2, tsxApi: fromSource ? tsxEsmApi() : null, moduleUrl: TASK_MODULE.href, started },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    thread = { worker, port: port1, started };
  }
  return thread;
}

/**
 * Whether the flush thread is up (it is started by the first call): until it has loaded its
 * module, memtables are written out on the engine's thread. A thread starting up may need
 * its parent's event loop (it does inside a test runner's worker), so the engine never
 * blocks on a task sent before the thread was up.
 */
export function flushThreadStarted(): boolean {
  return Atomics.load(flushThread().started, 0) === 1;
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
  /** The thread's failure message, once received. */
  #error: string | null = null;

  /** Sends `task` (its status array is set here) to the flush thread. */
  constructor(task: Omit<FlushTask, "status">) {
    this.#status = new Int32Array(new SharedArrayBuffer(8));
    flushThread().port.postMessage({ ...task, id: this.#id, status: this.#status });
  }

  /** Whether the thread has finished the task (written the run or failed). */
  get done(): boolean {
    return Atomics.load(this.#status, 0) !== 0;
  }

  /** Blocks until the task is done; returns the records written, or throws the thread's failure. */
  wait(): number {
    const started = performance.now();
    while (Atomics.load(this.#status, 0) === 0) {
      if (performance.now() - started > WAIT_LIMIT_MS) throw new StateError(`a memtable flush in the flush thread did not finish within ${WAIT_LIMIT_MS} ms`);
      Atomics.wait(this.#status, 0, 0, 1000);
    }
    if (Atomics.load(this.#status, 0) === 1) return Atomics.load(this.#status, 1);
    throw new StateError(`a memtable flush failed in the flush thread: ${this.#failure()}`);
  }

  #failure(): string {
    if (this.#error === null) {
      const port = flushThread().port;
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
