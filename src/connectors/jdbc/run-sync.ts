import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { ConnectorError } from "../../common/errors.ts";
import { tsxEsmApi } from "../../common/worker-pool.ts";

// The worker: registers tsx once when running from TypeScript sources, then answers
// each request by calling the function, posting the outcome and waking the caller.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { flag, port, tsxApi } = workerData;
const ready = tsxApi ? import(tsxApi).then((api) => api.register()) : Promise.resolve();
port.on("message", async ({ moduleUrl, exportName, args }) => {
  let outcome;
  try {
    await ready;
    const mod = await import(moduleUrl);
    outcome = { ok: true, value: await mod[exportName](...args) };
  } catch (error) {
    outcome = { ok: false, error: error && error.message ? error.message : String(error) };
  }
  port.postMessage(outcome);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

interface SyncWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}
const workers = new Map<string, SyncWorker>();

/** One worker per kind (TypeScript sources or built JavaScript), kept for later calls; it never holds the process open. */
function syncWorker(fromSource: boolean): SyncWorker {
  const key = String(fromSource);
  let w = workers.get(key);
  if (w === undefined) {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER, { eval: true, workerData: { flag, port: port2, tsxApi: fromSource ? tsxEsmApi() : null }, transferList: [port2] });
    worker.unref();
    w = { worker, port: port1, flag };
    workers.set(key, w);
  }
  return w;
}

/**
 * Calls `exportName(...args)` of an ES module in a worker thread and blocks until it
 * resolves: what lets a synchronous API (`spark.read…load()` must know the schema) ask
 * an asynchronous driver. The same technique as the synckit library (Atomics.wait on a
 * SharedArrayBuffer, then receiveMessageOnPort), done with Node's primitives because a
 * worker on Node 20 does not get loader hooks from `--import tsx` in its execArgv, so a
 * TypeScript worker entry cannot run there; this worker registers tsx itself. `moduleUrl`
 * is a `.ts` file when running from sources, `.js` when built.
 */
export function runSync<T>(moduleUrl: URL, exportName: string, args: readonly unknown[], timeoutMs: number): T {
  const fromSource = moduleUrl.pathname.endsWith(".ts");
  const { worker, port, flag } = syncWorker(fromSource);
  Atomics.store(flag, 0, 0);
  port.postMessage({ moduleUrl: moduleUrl.href, exportName, args });
  if (Atomics.wait(flag, 0, 0, timeoutMs) === "timed-out") {
    // A late answer must not be taken for the next call's: start over with a new worker.
    workers.delete(String(fromSource));
    void worker.terminate();
    throw new ConnectorError(`${exportName} did not answer within ${timeoutMs} ms`);
  }
  const received = receiveMessageOnPort(port)?.message as { ok: true; value: T } | { ok: false; error: string } | undefined;
  if (received === undefined) throw new ConnectorError(`${exportName}: the worker thread gave no answer`);
  if (!received.ok) throw new ConnectorError(`${exportName} failed: ${received.error}`);
  return received.value;
}

