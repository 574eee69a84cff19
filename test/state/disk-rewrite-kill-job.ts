/**
 * A child process for disk-run-rewrite-crash.test.ts, and the history it commits: each version
 * v puts 1,000 new keys, updates a tenth of those of v − 3 and removes all those of v − AGE, so
 * that the state stays flat (AGE · 1,000 keys, 30,000) while its keys churn and the runs are rewritten
 * every few versions (run-stack.ts), each rewrite taking a few commits. The child commits
 * versions from+1 … to on a DiskStateStoreProvider and prints "<version> <1 while a rewrite is in
 * progress, else 0>" once each commit has returned; the test kills it with SIGKILL.
 *
 *   node --import tsx disk-rewrite-kill-job.ts <checkpoint dir> <local dir> <from> <to>
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { runAndKillWhen } from "./disk-merge-versions.ts";

const AGE = 30;

export function applyChurnVersion(v: number, put: (key: StateKey, value: unknown) => void, remove: (key: StateKey) => void): void {
  for (let i = 0; i < 1000; i++) put(`c${v}-${i}`, v * 10_000 + i);
  if (v > 3) for (let i = 0; i < 1000; i += 10) put(`c${v - 3}-${i}`, { v, i });
  if (v > AGE) for (let i = 0; i < 1000; i++) remove(`c${v - AGE}-${i}`);
}

export function churnModelAt(v: number): Map<StateKey, unknown> {
  const model = new Map<StateKey, unknown>();
  for (let u = 1; u <= v; u++) applyChurnVersion(u, (k, x) => model.set(k, x), (k) => model.delete(k));
  return model;
}

/** The provider's options: a run flushed every version; runs rewritten in two pieces (of at most 256 KiB). */
export const REWRITE_OPTIONS = { memoryBudgetBytes: 64 * 1024, minDeltasForSnapshot: 2, maxRunBytes: 512 * 1024 };

/**
 * Runs the child from version `from` and kills it (SIGKILL) `delayMs` after the `nth` report of a
 * rewrite in progress; the last version it reported.
 */
export function runAndKillInRewrite(job: string, dir: string, localDir: string, from: number, nth: number, delayMs: number): Promise<number> {
  let seen = 0;
  return runAndKillWhen(job, dir, localDir, from, ([, rewriting]) => rewriting === 1 && ++seen === nth, delayMs);
}

if (process.argv[1]?.endsWith("disk-rewrite-kill-job.ts")) {
  const [dir, localDir, from, to] = process.argv.slice(2);
  const provider = new DiskStateStoreProvider({ dir: dir!, localDir: localDir!, ...REWRITE_OPTIONS });
  for (let v = Number(from); v < Number(to); v++) {
    const store = await provider.load(v);
    applyChurnVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
    await store.commit();
    process.stdout.write(`${v + 1} ${store.metrics().customMetrics?.stateRunRewriting ?? 0}\n`);
    // Turns of the event loop, as a query's between batches: slices of background work may run there.
    await nextTurn();
  }
  await provider.close();
}
