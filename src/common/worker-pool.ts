import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ExecutionError } from "./errors.ts";

// A worker answers each task by importing the module (TypeScript through tsx when running
// from sources) and calling the named export. Tasks sent ahead wait in the worker and run
// one at a time, in the order sent: a task's function may keep state between awaits.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const ready = workerData.tsxApi ? import(workerData.tsxApi).then((api) => api.register()) : Promise.resolve();
let previous = Promise.resolve();
async function answer({ id, moduleUrl, exportName, args }) {
  try {
    await ready;
    const mod = await import(moduleUrl);
    const { value, transfer } = await mod[exportName](...args);
    parentPort.postMessage({ id, ok: true, value }, transfer ?? []);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error && error.message ? error.message : String(error), name: error && error.name });
  }
}
parentPort.on("message", (task) => { previous = previous.then(() => answer(task)); });
`;

/** The ES module entry of tsx's register API, for workers that run TypeScript sources. */
export function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const exports = (JSON.parse(readFileSync(manifest, "utf8")) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(manifest), exports["./esm/api"]!.import.default)).href;
}

/** What a worker task function returns: its value and the buffers to move rather than copy. */
export interface TaskResult<T> {
  readonly value: T;
  readonly transfer?: readonly ArrayBuffer[];
}

/** A task failed in its worker: the error's name and message as they were thrown there. */
export class WorkerTaskError extends ExecutionError {
  constructor(message: string, readonly errorName: string) {
    super(message);
  }
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Tasks sent to the worker and not yet answered (running, or waiting there behind the one running). */
  sent: number;
}

interface Task {
  readonly message: { id: number; moduleUrl: string; exportName: string; args: readonly unknown[] };
  readonly pending: Pending;
}

/**
 * A task that runs only when no other task waits (runBackground): work done ahead of need,
 * which must never delay the work needed now.
 */
export interface BackgroundTask<T> {
  /** Its value; rejects with an AbortError when it was cancelled before it started. */
  readonly result: Promise<T>;
  /** Takes it out of the queue if no worker has it yet; answers whether it did (then it never runs). */
  cancel(): boolean;
}

/**
 * A fixed pool of worker threads running module functions (CPU-heavy work such as
 * decoding files) in parallel with the main thread. Each worker is sent up to
 * `TASKS_AHEAD` tasks at once and runs them one after another: it starts its next task as
 * soon as it answers one, without waiting for this thread (which may be busy for many
 * milliseconds before its event loop hands the worker more). Beyond that, tasks queue here.
 */
/** Tasks a worker is sent at once: the one it runs and the next. */
const TASKS_AHEAD = 2;

export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  /** Background tasks, sent only when #queue is empty. */
  readonly #background: Task[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #tasksDone = 0;

  constructor(readonly size: number, fromSource: boolean) {
    const tsxApi = fromSource ? tsxEsmApi() : null;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER, { eval: true, workerData: { tsxApi } });
      const slot: Slot = { worker, sent: 0 };
      worker.on("message", (m: { id: number; ok: boolean; value?: unknown; error?: string; name?: string }) => {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        slot.sent--;
        this.#tasksDone++;
        if (slot.sent === 0) worker.unref();
        this.#dispatch();
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(new WorkerTaskError(m.error ?? "worker task failed", m.name ?? "Error"));
      });
      worker.on("error", (e) => {
        for (const p of this.#pending.values()) p.reject(e);
        this.#pending.clear();
      });
      // After the listeners: adding a 'message' listener refs the worker again.
      worker.unref();
      this.#slots.push(slot);
    }
  }

  /** Tasks the workers have finished (succeeded or failed): shows that work ran off the main thread. */
  get tasksDone(): number {
    return this.#tasksDone;
  }

  /** Runs `exportName(...args)` of `moduleUrl` in a free worker. */
  run<T>(moduleUrl: URL, exportName: string, args: readonly unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ message: { id: this.#nextId++, moduleUrl: moduleUrl.href, exportName, args }, pending: { resolve: resolve as (v: unknown) => void, reject } });
      this.#dispatch();
    });
  }

  /**
   * Runs `exportName(...args)` of `moduleUrl` when a worker has room and no task of run()
   * waits: a task run() queues later is still sent first. It can be cancelled until sent.
   */
  runBackground<T>(moduleUrl: URL, exportName: string, args: readonly unknown[]): BackgroundTask<T> {
    let task!: Task;
    const result = new Promise<T>((resolve, reject) => {
      task = { message: { id: this.#nextId++, moduleUrl: moduleUrl.href, exportName, args }, pending: { resolve: resolve as (v: unknown) => void, reject } };
    });
    this.#background.push(task);
    this.#dispatch();
    const background = this.#background;
    return {
      result,
      cancel: () => {
        const at = background.indexOf(task);
        if (at < 0) return false;
        background.splice(at, 1);
        const aborted = new Error("background task cancelled before it started");
        aborted.name = "AbortError";
        task.pending.reject(aborted);
        return true;
      },
    };
  }

  #dispatch(): void {
    // In queue order, each task to the least loaded worker: idle ones first, then those with room ahead.
    while (this.#queue.length > 0 || this.#background.length > 0) {
      let slot: Slot | null = null;
      for (const s of this.#slots) if (s.sent < TASKS_AHEAD && (slot === null || s.sent < slot.sent)) slot = s;
      if (slot === null) return;
      const task = (this.#queue.length > 0 ? this.#queue : this.#background).shift()!;
      slot.sent++;
      // A busy worker keeps the process alive (its caller awaits it); an idle one does not.
      slot.worker.ref();
      this.#pending.set(task.message.id, task.pending);
      slot.worker.postMessage(task.message);
    }
  }

  async close(): Promise<void> {
    for (const task of this.#background.splice(0)) task.pending.reject(new ExecutionError("worker pool closed before a background task started"));
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}

const shared = new Map<string, WorkerPool>();

/** A process-wide pool of `size` threads (at most the machine's cores), created on first use. */
export function sharedWorkerPool(size: number, moduleUrl: URL): WorkerPool {
  const threads = Math.max(1, Math.min(size, availableParallelism()));
  const fromSource = moduleUrl.pathname.endsWith(".ts");
  const key = `${threads}:${fromSource}`;
  let pool = shared.get(key);
  if (!pool) {
    pool = new WorkerPool(threads, fromSource);
    shared.set(key, pool);
  }
  return pool;
}
