/**
 * A child process for disk-background-work.test.ts: commits versions from+1 … to of the
 * history of disk-merge-versions.ts on a DiskStateStoreProvider whose sealed memtable takes
 * a few commits to write out (so that slices between commits flush and merge), turning the
 * event loop between commits as a query does, and printing each version once its commit has
 * returned. The test kills it with SIGKILL at some point.
 *
 *   node --import tsx disk-background-kill-job.ts <checkpoint dir> <local dir> <from> <to>
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { applyVersion } from "./disk-merge-versions.ts";

/** A budget whose memtable seals every ~10 versions of that history, larger than a commit's least flushing step. */
export const IDLE_BUDGET = 4 * 1024 * 1024;

if (process.argv[1]?.endsWith("disk-background-kill-job.ts")) {
  const [dir, localDir, from, to] = process.argv.slice(2);
  const provider = new DiskStateStoreProvider({ dir: dir!, localDir: localDir!, memoryBudgetBytes: IDLE_BUDGET, minDeltasForSnapshot: 3, maxRunBytes: 8 * 1024 * 1024 });
  for (let v = Number(from); v < Number(to); v++) {
    const store = await provider.load(v);
    applyVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
    await store.commit();
    process.stdout.write(`${v + 1}\n`);
    for (let i = 0; i < 5; i++) await nextTurn();
  }
  await provider.close();
}
