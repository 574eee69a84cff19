import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { tsxEsmApi } from "../../common/worker-pool.ts";
import { StateError } from "../../common/errors.ts";
import type { FlushTask } from "./flush-task.ts";
import type { MergeTask } from "./merge-task.ts";
import { TaskState, waitOverdue } from "./task-clock.ts";

const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The process's two background threads: the flush lane writes memtables out, the merge lane merges runs. */
export type Lane = "flush" | "merge";

/** What a task of each lane is sent with (the status array is added by ThreadTask). */
export type LaneTask =
  | { readonly lane: "flush"; readonly task: Omit<FlushTask, "status"> }
  | { readonly lane: "merge"; readonly task: Omit<MergeTask, "status"> };

/** Each lane's module, the function of it that runs a task, and what a task is called in errors. */
const LANES = {
  flush: { module: new URL(`./flush-task${EXT}`, import.meta.url), run: "writeFlushedRun", what: "memtable flush" },
  merge: { module: new URL(`./merge-task${EXT}`, import.meta.url), run: "writeMergedRun", what: "merge of runs" },
} as const satisfies Record<Lane, { module: URL; run: string; what: string }>;

// The thread: registers tsx once when running from TypeScript sources, then runs each task
// it is sent (the function `run` of its module), in order. A task's shared status goes from
// queued to running to done or failed (a failure's message to the port first); the thread's
// clock (task-clock.ts) is set as each task begins and ends, and the engine's thread is woken
// if it waits.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { port, tsxApi, moduleUrl, run, started, clock, timeBase } = workerData;
const RUNNING = ${TaskState.running}, DONE = ${TaskState.done}, FAILED = ${TaskState.failed};
const tick = () => Atomics.store(clock, 0, Math.ceil((performance.timeOrigin + performance.now() - timeBase) / 1000));
const ready = (tsxApi ? import(tsxApi).then((api) => api.register()) : Promise.resolve()).then(() => import(moduleUrl));
ready.then(() => Atomics.store(started, 0, 1), () => {});
let previous = Promise.resolve();
port.on("message", (task) => {
  previous = previous.then(async () => {
    try {
      const mod = await ready;
      tick();
      Atomics.store(task.status, 0, RUNNING);
      const result = mod[run](task);
      Atomics.store(task.status, 1, result);
      Atomics.store(task.status, 0, DONE);
    } catch (error) {
      port.postMessage({ id: task.id, error: error && error.message ? error.message : String(error) });
      Atomics.store(task.status, 0, FAILED);
    }
    tick();
    Atomics.notify(task.status, 0);
  });
});
`;

/** How long a background thread may go without beginning or finishing a task, while the engine waits for one, before the engine gives up. */
let waitLimitMs = 120_000;

/** Sets the limit of a wait (tests); returns the previous one. */
export function setWaitLimitMs(ms: number): number {
  const previous = waitLimitMs;
  waitLimitMs = ms;
  return previous;
}

/** The origin of the threads' clocks (ms since the epoch): their seconds fit an Int32. */
const TIME_BASE = Math.floor(performance.timeOrigin);

/** Seconds since TIME_BASE, on the clock the threads write. */
function nowSeconds(): number {
  return (performance.timeOrigin + performance.now() - TIME_BASE) / 1000;
}

interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** [1 once the thread has loaded its lane's module]. */
  readonly started: Int32Array;
  /** [the second (nowSeconds) at which the thread last began or finished a task]. */
  readonly clock: Int32Array;
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
    const { module, run } = LANES[lane];
    const fromSource = module.pathname.endsWith(".ts");
    const started = new Int32Array(new SharedArrayBuffer(4));
    const clock = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { port: port2, tsxApi: fromSource ? tsxEsmApi() : null, moduleUrl: module.href, run, started, clock, timeBase: TIME_BASE },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    thread = { worker, port: port1, started, clock };
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
 * A task running in its lane's background thread (RocksDB's background flush and compaction
 * threads, one of each here: the engines of all stores share them, their tasks run in turn).
 * The engine's thread never awaits it: it asks `done` (a load of the shared status) when it
 * would do that work anyway, and blocks in `wait` (Atomics.wait) only where it must have the
 * result now.
 */
export class ThreadTask {
  readonly #id = nextId++;
  readonly #status: Int32Array;
  readonly #lane: Lane;
  /** When the task was sent (nowSeconds): time queued behind other tasks before it is not held against it. */
  readonly #sentAt = nowSeconds();
  /** The thread's failure message, once received. */
  #error: string | null = null;

  /**
   * Sends the task (its status array is set here: [state, result], and after them any words of
   * the task's own, `statusWords` in all) to the thread of its lane.
   */
  constructor(send: LaneTask, statusWords = 2) {
    this.#lane = send.lane;
    this.#status = new Int32Array(new SharedArrayBuffer(4 * statusWords));
    backgroundThread(send.lane).port.postMessage({ ...send.task, id: this.#id, status: this.#status });
  }

  /** The task's shared status words (index 2 on: the task's own). */
  get status(): Int32Array {
    return this.#status;
  }

  /** Whether the thread has not begun the task yet (it is behind others in its lane). */
  get queued(): boolean {
    return Atomics.load(this.#status, 0) === TaskState.queued;
  }

  /** Whether the thread has finished the task (done or failed). */
  get done(): boolean {
    const state = Atomics.load(this.#status, 0);
    return state === TaskState.done || state === TaskState.failed;
  }

  /**
   * Blocks until the task is done; returns its result (a flush: the records written), or
   * throws the thread's failure. Gives up when the thread has gone waitLimitMs without
   * beginning or finishing a task since this one was sent: this task, or one ahead of it,
   * is stuck (time this one spent queued behind tasks that finished is not counted).
   */
  wait(): number {
    const clock = backgroundThread(this.#lane).clock;
    for (;;) {
      const state = Atomics.load(this.#status, 0);
      if (state === TaskState.done) return Atomics.load(this.#status, 1);
      if (state === TaskState.failed) throw new StateError(`a ${this.#what} failed in the ${this.#lane} thread: ${this.#failure()}`);
      if (waitOverdue(nowSeconds(), this.#sentAt, Atomics.load(clock, 0), waitLimitMs)) {
        const which = state === TaskState.running ? "it has run" : "it is queued behind a task that has run";
        throw new StateError(`a ${this.#what} in the ${this.#lane} thread did not finish: ${which} for over ${waitLimitMs} ms`);
      }
      Atomics.wait(this.#status, 0, state, Math.min(1000, waitLimitMs));
    }
  }

  get #what(): string {
    return LANES[this.#lane].what;
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
