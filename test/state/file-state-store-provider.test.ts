import { mkdtemp, readdir, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointPaths } from "../../src/checkpoint/paths.ts";
import { StateError } from "../../src/common/errors.ts";
import { FileStateStoreProvider } from "../../src/state/file-state-store-provider.ts";
import type { StateKey } from "../../src/state/state-store.ts";

let paths: CheckpointPaths;
beforeEach(async () => {
  paths = new CheckpointPaths(await mkdtemp(join(tmpdir(), "rivulet-fstate-")));
});
afterEach(async () => {
  await rm(paths.root, { recursive: true, force: true });
});

type Model = Map<StateKey, number[]>;

/** Runs `versions` batches of deterministic pseudo-random changes; returns the expected state after each version. */
async function runBatches(provider: FileStateStoreProvider<number[]>, versions: number): Promise<Model[]> {
  const expected: Model[] = [new Map()];
  let model: Model = new Map();
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let v = 0; v < versions; v++) {
    const store = await provider.load(v);
    model = new Map([...model].map(([k, val]) => [k, [...val]]));
    for (let i = 0; i < 20; i++) {
      const key: StateKey = random(2) === 0 ? `k${random(30)}` : random(30);
      if (random(4) === 0) {
        store.remove(key);
        model.delete(key);
      } else {
        const current = store.get(key) ?? [];
        current.push(v);
        store.put(key, current);
        model.set(key, [...current]);
      }
    }
    expect(store.numKeys).toBe(model.size);
    expect(await store.commit()).toBe(v + 1);
    expected.push(model);
  }
  return expected;
}

const stateOf = (entries: Iterable<[StateKey, number[]]>): Model => new Map(entries);

describe("FileStateStoreProvider", () => {
  it("reloads every version exactly in a new provider (deltas and snapshots)", async () => {
    const writer = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0, { minDeltasForSnapshot: 4 });
    const expected = await runBatches(writer, 13);
    await writer.close();
    const files = await readdir(paths.state(0, 0));
    expect(files.filter((f) => f.endsWith(".snapshot")).sort()).toEqual(["12.snapshot", "4.snapshot", "8.snapshot"]);
    expect(files.filter((f) => f.endsWith(".delta"))).toHaveLength(13);
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);

    for (let v = 0; v <= 13; v++) {
      const reader = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0, { minDeltasForSnapshot: 4 });
      const store = await reader.load(v);
      expect(stateOf(store.entries()), `version ${v}`).toEqual(expected[v]);
      expect(store.numKeys).toBe(expected[v]!.size);
      await reader.close();
    }
  });

  it("loads from snapshots alone when older deltas are gone", async () => {
    const writer = FileStateStoreProvider.forOperator<number[]>(paths, 1, 0, { minDeltasForSnapshot: 5 });
    const expected = await runBatches(writer, 7);
    await writer.close();
    const dir = paths.state(1, 0);
    for (let v = 1; v <= 5; v++) await unlink(join(dir, `${v}.delta`));
    const reader = FileStateStoreProvider.forOperator<number[]>(paths, 1, 0, { minDeltasForSnapshot: 5 });
    expect(stateOf((await reader.load(7)).entries())).toEqual(expected[7]);
  });

  it("purges files not needed for retained versions", async () => {
    const writer = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0, { minDeltasForSnapshot: 3 });
    const expected = await runBatches(writer, 10);
    await writer.purge(7);
    const dir = paths.state(0, 0);
    const versions = (await readdir(dir)).map((f) => Number(f.split(".")[0]));
    expect(Math.min(...versions)).toBe(6); // 6.snapshot is the latest snapshot ≤ 7
    await writer.close();
    for (let v = 6; v <= 10; v++) {
      const reader = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
      expect(stateOf((await reader.load(v)).entries()), `version ${v}`).toEqual(expected[v]);
    }
    const reader = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
    await expect(reader.load(4)).rejects.toThrow(StateError);
    await expect(reader.load(4)).rejects.toThrow(`cannot load state version 4 from ${dir}: no snapshot at or below it and missing 1.delta, 2.delta, 3.delta, 4.delta`);
  });

  it("purge keeps everything when no snapshot is old enough", async () => {
    const writer = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0, { minDeltasForSnapshot: 10 });
    await runBatches(writer, 5);
    await writer.purge(4);
    expect(await readdir(paths.state(0, 0))).toHaveLength(5);
  });

  it("names the version and directory when a delta is missing", async () => {
    const writer = FileStateStoreProvider.forOperator<number[]>(paths, 2, 3);
    await runBatches(writer, 3);
    await unlink(join(paths.state(2, 3), "2.delta"));
    const reader = FileStateStoreProvider.forOperator<number[]>(paths, 2, 3);
    await expect(reader.load(3)).rejects.toThrow(`cannot load state version 3 from ${paths.state(2, 3)}: no snapshot at or below it and missing 2.delta`);
    const empty = FileStateStoreProvider.forOperator(paths, 9, 0);
    await expect(empty.load(1)).rejects.toThrow(StateError);
  });

  it("reports a corrupt delta", async () => {
    const writer = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
    await runBatches(writer, 1);
    const file = join(paths.state(0, 0), "1.delta");
    await writeFile(file, "garbage");
    const reader = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
    await expect(reader.load(1)).rejects.toThrow(`state file ${file} is corrupt`);
  });

  it("re-runs a batch from the previous version (recovery) and overwrites its delta", async () => {
    const provider = FileStateStoreProvider.forOperator<number>(paths, 0, 0);
    let store = await provider.load(0);
    store.put("a", 1);
    await store.commit();
    store = await provider.load(1);
    store.put("a", 2);
    await store.commit();
    // The batch that made version 2 runs again: load version 1 (not cached) and commit 2 again.
    store = await provider.load(1);
    expect(store.get("a")).toBe(1);
    store.put("a", 3);
    await store.commit();
    const reader = FileStateStoreProvider.forOperator<number>(paths, 0, 0);
    expect((await reader.load(2)).get("a")).toBe(3);
  });

  it("an aborted store's in-place mutations do not leak into the next load", async () => {
    const provider = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
    let store = await provider.load(0);
    store.put("a", [1]);
    await store.commit();
    store = await provider.load(1);
    store.get("a")!.push(2); // mutated in place, then the batch fails
    store.abort();
    store = await provider.load(1);
    expect(store.get("a")).toEqual([1]);
  });

  // Its speed is measured in benchmarks/state-delta.ts, against a baseline; here only what it writes.
  it("writes a delta of 100k updated keys that reads back with every update", async () => {
    const provider = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
    let store = await provider.load(0);
    for (let i = 0; i < 100_000; i++) store.put(`key-${i}`, [i, i * 2]);
    await store.commit();
    store = await provider.load(1);
    for (let i = 0; i < 100_000; i++) {
      const value = store.get(`key-${i}`)!;
      value[0]! += 1;
      store.put(`key-${i}`, value);
    }
    await store.commit();
    const reader = FileStateStoreProvider.forOperator<number[]>(paths, 0, 0);
    const loaded = await reader.load(2);
    expect(loaded.numKeys).toBe(100_000);
    expect(loaded.get("key-99999")).toEqual([100_000, 199_998]);
    expect(loaded.get("key-0")).toEqual([1, 0]);
  });
});
