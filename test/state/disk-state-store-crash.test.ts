import { readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import type { StateKey, StateStore } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * Versioned semantics of the disk store across crashes: whatever a killed process left of
 * version N + 1 (its changelog whole, torn or missing, its manifest and uploaded runs or
 * only some of them, its keys pending in the memtable), a new process loads version N
 * exactly, and the re-run of N + 1 — with other changes — replaces the leftovers, never
 * merges with them.
 */
const tempDir = tempDirs();

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

async function makeProvider(dir: string, budget: number): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-disk-crash-local-"), memoryBudgetBytes: budget, minDeltasForSnapshot: 2 });
}

/** One batch of random changes on the store and on `model` (dropDuplicates' putIfAbsent, joins' puts and removes). */
function randomBatch(store: StateStore, model: Map<StateKey, unknown>, next: () => number, tag: string): void {
  for (let step = 0; step < 8; step++) {
    const op = next();
    const key = (): StateKey => (next() < 0.5 ? `k${Math.floor(next() * 600)}` : Math.floor(next() * 300));
    if (op < 0.35) {
      const keys = Array.from({ length: 1 + Math.floor(next() * 80) }, key);
      const values = keys.map((_, i) => `${tag}/${step}/${i}`);
      const added = store.putIfAbsent!(keys, values);
      keys.forEach((k, i) => {
        expect(added[i]).toBe(model.has(k) ? 0 : 1);
        if (!model.has(k)) model.set(k, values[i]);
      });
    } else if (op < 0.7) {
      for (let i = 0; i < 20; i++) {
        const k = key();
        const value = { tag, step, i, rows: [i, String(k), null] };
        store.put(k, value);
        model.set(k, value);
      }
    } else {
      for (let i = 0; i < 15; i++) {
        const k = key();
        store.remove(k);
        model.delete(k);
      }
    }
  }
  expect(store.numKeys).toBe(model.size);
}

async function expectState(store: StateStore, model: Map<StateKey, unknown>, what: string): Promise<void> {
  expect(store.numKeys, what).toBe(model.size);
  const probe = [...model.keys(), ...Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `k${i * 2}` : i))];
  expect(store.getMany(probe), what).toEqual(probe.map((k) => model.get(k)));
  const entries = new Map(store.entries());
  expect(entries, what).toEqual(model);
}

/** What the kill left of version `v`: the changelog whole, torn or gone; the manifest there or not; a copy half done. */
async function cutVersion(dir: string, v: number, next: () => number): Promise<string> {
  const changelog = join(dir, `${v}.changelog`);
  const choice = next();
  let what: string;
  if (choice < 0.3) what = "changelog whole";
  else if (choice < 0.6) {
    const length = (await readFile(changelog)).length;
    await truncate(changelog, Math.floor(next() * length));
    what = "changelog torn";
  } else if (choice < 0.8) {
    await truncate(changelog, 0);
    what = "changelog empty";
  } else {
    await rm(changelog);
    what = "changelog missing";
  }
  const names = await readdir(dir);
  if (names.includes(`${v}.manifest`) && next() < 0.5) {
    await rm(join(dir, `${v}.manifest`));
    what += ", manifest not written";
    await writeFile(join(dir, `${v}.manifest.1234abcd.tmp`), "v1\n{\"numKeys\":");
  }
  return what;
}

describe("disk state store: a re-run after a crash", () => {
  it.each([["flushed, merged and snapshotted every version (2 KiB budget)", 2048], ["held in the memtable (64 MiB budget)", 64 * 1024 * 1024]])(
    "loads version N exactly and overwrites what the killed run left of N + 1 (%s)",
    async (_name, budget) => {
      const dir = await tempDir("rivulet-disk-crash-");
      const next = random(budget + 7);
      const models: Array<Map<StateKey, unknown>> = [new Map()];
      let version = 0;
      for (let round = 0; round < 12; round++) {
        // A process runs some batches, then the next one is killed during or after its state commit.
        const provider = await makeProvider(dir, budget);
        const store = await provider.load(version);
        await expectState(store, models[version]!, `version ${version} loaded by a new process (round ${round})`);
        const lost = new Map(models[version]!);
        randomBatch(store, lost, next, `lost-${round}`);
        store.abort();
        const batches = 1 + Math.floor(next() * 3);
        for (let b = 0; b < batches; b++) {
          const s = await provider.load(version);
          const model = new Map(models[version]!);
          randomBatch(s, model, next, `v${version + 1}`);
          await s.commit();
          models[++version] = model;
        }
        const doomed = await provider.load(version);
        randomBatch(doomed, new Map(models[version]!), next, `doomed-${round}`);
        const committed = next() < 0.7;
        if (committed) await doomed.commit();
        await provider.close();
        const what = committed ? await cutVersion(dir, version + 1, next) : "pending records only";

        // The restart re-runs batch `version` with other input.
        const rerun = await makeProvider(dir, budget);
        const again = await rerun.load(version);
        await expectState(again, models[version]!, `version ${version} after a kill (${what}, round ${round})`);
        const model = new Map(models[version]!);
        randomBatch(again, model, next, `rerun-${round}`);
        await again.commit();
        models[++version] = model;
        const after = await rerun.load(version);
        await expectState(after, model, `the re-run's version ${version} (${what}, round ${round})`);
        after.abort();
        await rerun.close();
      }
      // Every version still loads as it was committed, by a process that never saw any of it.
      const reader = await makeProvider(dir, budget);
      for (const v of [version, version - 1, Math.floor(version / 2), 1]) {
        const store = await reader.load(v);
        await expectState(store, models[v]!, `version ${v} loaded at the end`);
        store.abort();
      }
      await reader.close();
      // And from the changelogs alone (the manifests gone): the re-runs' changelogs hold exactly their versions.
      for (const name of await readdir(dir)) if (name.endsWith(".manifest")) await rm(join(dir, name));
      const replayer = await makeProvider(dir, budget);
      for (const v of [1, Math.floor(version / 2), version]) {
        const store = await replayer.load(v);
        await expectState(store, models[v]!, `version ${v} replayed from the changelogs`);
        store.abort();
      }
      await replayer.close();
    },
    120_000,
  );
});
