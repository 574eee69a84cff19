import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listRunFiles, readManifest } from "../../src/state/disk/disk-checkpoint-files.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { tempDirs } from "../temp-dirs.ts";
import { applyChurnVersion, churnModelAt, REWRITE_OPTIONS, runAndKillInRewrite } from "./disk-rewrite-kill-job.ts";

const tempDir = tempDirs();
const KILL_JOB = join(import.meta.dirname, "disk-rewrite-kill-job.ts");

async function expectVersion(provider: DiskStateStoreProvider, v: number, what: string): Promise<void> {
  const model = churnModelAt(v);
  const store = await provider.load(v);
  expect(store.numKeys, what).toBe(model.size);
  const probe = [...model.keys(), `c${v + 1}-0`, `c${Math.max(1, v - 31)}-5`, "never"];
  expect(store.getMany(probe), what).toEqual(probe.map((k) => model.get(k)));
  store.abort();
}

describe("disk state rewrites of all the runs (flat state, churning keys) across SIGKILLs, restarts and purges", () => {
  it("rewrites span commits and keep the run files bounded; a kill in the middle of one leaves the last version reported exact", async () => {
    const dir = await tempDir("rivulet-rewrite-kill-");
    // The history in this process first: rewrites happen, span commits, and bound the run files.
    const probeDir = await tempDir("rivulet-rewrite-kill-probe-");
    const probe = new DiskStateStoreProvider({ ...REWRITE_OPTIONS, dir: probeDir, localDir: await tempDir("rivulet-rewrite-kill-probe-local-") });
    let rewritingCommits = 0;
    let rewrites = 0;
    const runBytes: number[] = [];
    for (let v = 0; v < 150; v++) {
      const store = await probe.load(v);
      applyChurnVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      await store.commit();
      const m = store.metrics().customMetrics!;
      rewritingCommits += m.stateRunRewriting!;
      rewrites += m.stateRunRewrites!;
      runBytes.push(m.rocksdbSstFileSize!);
    }
    await probe.close();
    // How many rewrites 150 versions take depends on how fast the flush thread keeps up (3–5 seen); without them there are none.
    expect(rewrites).toBeGreaterThanOrEqual(2);
    expect(rewritingCommits).toBeGreaterThan(0);
    expect(Math.max(...runBytes.slice(100))).toBeLessThanOrEqual(1.25 * Math.max(...runBytes.slice(50, 100)));
    await expectVersion(new DiskStateStoreProvider({ ...REWRITE_OPTIONS, dir: probeDir, localDir: await tempDir("rivulet-rewrite-kill-probe-local-") }), 150, "the probe's last version");

    let version = 0;
    for (const [round, delayMs] of [[0, 0], [1, 2], [2, 6], [3, 1], [4, 10]] as const) {
      const reported = await runAndKillInRewrite(KILL_JOB, dir, await tempDir("rivulet-rewrite-kill-local-"), version, 1 + (round % 2), delayMs);
      expect(reported).toBeGreaterThan(version);
      version = reported;
      const restarted = new DiskStateStoreProvider({ ...REWRITE_OPTIONS, dir, localDir: await tempDir("rivulet-rewrite-kill-local-") });
      await expectVersion(restarted, version, `version ${version} after the kill of round ${round}`);
      const store = await restarted.load(version);
      applyChurnVersion(version + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      await store.commit();
      version++;
      await expectVersion(restarted, version, `the re-run's version ${version} (round ${round})`);
      await expectVersion(restarted, version - 3, `version ${version - 3} (round ${round})`);
      await restarted.close();
    }
    // Purges: the retained versions load exactly in a new process; the run files no manifest names are gone.
    const purging = new DiskStateStoreProvider({ ...REWRITE_OPTIONS, dir, localDir: await tempDir("rivulet-rewrite-kill-local-") });
    await purging.purge(version - 4);
    await purging.close();
    const reader = new DiskStateStoreProvider({ ...REWRITE_OPTIONS, dir, localDir: await tempDir("rivulet-rewrite-kill-local-") });
    for (const v of [version, version - 2, version - 4]) await expectVersion(reader, v, `version ${v} after the purge`);
    await expect(reader.load(1)).rejects.toThrow(/cannot load state version 1/);
    await reader.close();
    const named = new Set<string>();
    for (const f of await readdir(dir)) if (f.endsWith(".manifest")) for (const run of (await readManifest(join(dir, f))).runs) named.add(run);
    expect((await listRunFiles(dir)).filter((run) => !named.has(run))).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith(".changelog")).map((f) => Number.parseInt(f)).every((v) => v >= 2)).toBe(true);
  }, 240_000);
});
