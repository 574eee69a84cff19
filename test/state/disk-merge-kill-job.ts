/**
 * A child process for disk-merge-width.test.ts: commits versions from+1 … to of the history
 * of disk-merge-versions.ts on a DiskStateStoreProvider with a small budget (a run flushed
 * every version, merges of MERGE_WIDTH runs in steps across commits), printing each version
 * once its commit has returned. The test kills it with SIGKILL at some point of a commit.
 *
 *   node --import tsx disk-merge-kill-job.ts <checkpoint dir> <local dir> <from> <to>
 */
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { applyVersion, KILL_BUDGET } from "./disk-merge-versions.ts";

const [dir, localDir, from, to] = process.argv.slice(2);
const provider = new DiskStateStoreProvider({ dir: dir!, localDir: localDir!, memoryBudgetBytes: KILL_BUDGET, minDeltasForSnapshot: 2, maxRunBytes: 4 * 1024 * 1024 });
for (let v = Number(from); v < Number(to); v++) {
  const store = await provider.load(v);
  applyVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
  await store.commit();
  process.stdout.write(`${v + 1}\n`);
}
await provider.close();
