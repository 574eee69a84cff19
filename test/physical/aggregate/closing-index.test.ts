import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { ClosingIndex, isClosingIndexKey } from "../../../src/physical/aggregate/stored/closing-index.ts";
import { DiskStateStoreProvider } from "../../../src/state/disk/disk-state-store-provider.ts";

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

async function provider(): Promise<DiskStateStoreProvider> {
  const dir = await mkdtemp(join(tmpdir(), "rivulet-closing-index-"));
  dirs.push(dir);
  return new DiskStateStoreProvider({ dir: join(dir, "state"), localDir: join(dir, "local"), memoryBudgetBytes: 1024 });
}

test("groups come back by closing time, each once, across versions and a new provider on the same checkpoint", async () => {
  const p = await provider();
  let store = await p.load(0);
  let index = new ClosingIndex(store);
  for (const [key, t] of [["[\"a\",10]", 20], ["[\"b\",0]", 10], ["[\"c\",null]", Infinity], ["[\"d\",0]", 10]] as const) {
    store.put(key, [[key], [1]]);
    index.add(key, t);
  }
  index.finish();
  // Two entries (times 10 and 20) and the catalog; the null-time group is never indexed.
  expect(index.numRecords).toBe(3);
  expect(store.numKeys - index.numRecords).toBe(4);
  await store.commit();

  store = await p.load(1);
  index = new ClosingIndex(store);
  store.put("[\"e\",5]", [["e"], [1]]);
  index.add("[\"e\",5]", 15);
  // This version's new group (time 15) and the stored ones up to 15, in time order.
  expect(index.takeUpTo(15)).toEqual({ keys: ["[\"b\",0]", "[\"d\",0]", "[\"e\",5]"], times: [10, 10, 15] });
  expect(index.takeUpTo(15)).toEqual({ keys: [], times: [] });
  index.finish();
  expect(index.numRecords).toBe(2);
  await store.commit();
  await p.close();

  // A provider on the same checkpoint directory (a restart in another process) sees version 2.
  const reopened = new DiskStateStoreProvider({ dir: p.dir, localDir: join(p.dir, "..", "local-2"), memoryBudgetBytes: 1024 });
  const s2 = await reopened.load(2);
  const i2 = new ClosingIndex(s2);
  expect(i2.needsRebuild).toBe(false);
  expect(i2.takeUpTo(Number.MAX_VALUE)).toEqual({ keys: ["[\"a\",10]"], times: [20] });
  s2.abort();
  // Version 1 is still loadable as it was: the re-run of batch 1 sees the entry of time 10.
  const s1 = await reopened.load(1);
  expect(new ClosingIndex(s1).takeUpTo(10).keys).toEqual(["[\"b\",0]", "[\"d\",0]"]);
  s1.abort();
  await reopened.close();
});

test("state written without an index is indexed once (needsRebuild), then no more", async () => {
  const p = await provider();
  const store = await p.load(0);
  store.put("[\"x\",1]", [["x", 1], [1]]);
  store.put("[\"y\",2]", [["y", 2], [1]]);
  const index = new ClosingIndex(store);
  expect(index.needsRebuild).toBe(true);
  index.rebuild((_, value) => ((value as [unknown[]])[0][1] as number) * 100);
  index.finish();
  expect(index.takeUpTo(150)).toEqual({ keys: ["[\"x\",1]"], times: [100] });
  index.finish();
  await store.commit();
  const next = await p.load(1);
  expect(new ClosingIndex(next).needsRebuild).toBe(false);
  expect([...next.entries()].filter(([k]) => !isClosingIndexKey(k)).map(([k]) => k).sort()).toEqual(["[\"x\",1]", "[\"y\",2]"]);
  next.abort();
  await p.close();
});
