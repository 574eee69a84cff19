import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashString } from "../../src/columnar/utf8-hash.ts";
import { Session } from "../../src/index.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { utf8StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

/** Strings UTF-8 cannot carry back (a lone high or low surrogate, alone or beside text), a pair, and their look-alikes. */
const LONE = ["a\uD800", "\uDC00b", "x\uD800\uD800y", "\uD800"];
const WELL_FORMED = ["a\uFFFD", "😀", "été", "plain"];

async function provider(dir: string): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-lone-local-"), memoryBudgetBytes: 16 * 1024 });
}

describe("disk state store: string keys with lone surrogates", () => {
  it("are found again after a commit, a restart from the changelogs and a flush to runs, as themselves (not as U+FFFD)", async () => {
    const dir = await tempDir("rivulet-lone-");
    const first = await provider(dir);
    const store = await first.load(0);
    [...LONE, ...WELL_FORMED].forEach((k, i) => store.put(k, i));
    // UTF-8 keys (dropDuplicates' form): hashed as the JSON decoder hashes them.
    const utf8 = [...LONE, ...WELL_FORMED].map((k) => `u-${k}`);
    expect([...store.putIfAbsentUtf8!(utf8, Int32Array.from(utf8, (k) => hashString(k)), utf8.map((_, i) => 100 + i))]).toEqual(utf8.map(() => 1));
    // Enough more keys that the memtable is written out to runs.
    for (let i = 0; i < 2000; i++) store.put(`filler-${i}`, i);
    await store.commit();
    await first.close();

    const second = await provider(dir);
    const loaded = await second.load(1);
    const keys = [...LONE, ...WELL_FORMED];
    expect(loaded.getMany(keys)).toEqual(keys.map((_, i) => i));
    expect([...loaded.putIfAbsentUtf8!(utf8, Int32Array.from(utf8, (k) => hashString(k)), utf8.map(() => -1))]).toEqual(utf8.map(() => 0));
    const entries = new Map(loaded.entries());
    for (const [i, k] of keys.entries()) expect(entries.get(k), JSON.stringify(k)).toBe(i);
    for (const [i, k] of utf8.entries()) expect(entries.get(utf8StateKey(k)), JSON.stringify(k)).toBe(100 + i);
    loaded.abort();
    await second.close();
  });

  it.each(["rocksdb", "lmdb", "file"])("dropDuplicates over JSON ids with escaped lone surrogates keeps each id once across batches and a restart (%s)", async (name) => {
    const input = await tempDir("rivulet-lone-in-");
    const checkpoint = await tempDir("rivulet-lone-ckpt-");
    const spark = Session.builder().appName("lone-surrogates").getOrCreate();
    spark.conf.set("rivulet.sql.streaming.stateStore.provider", name);
    const lines = (ids: string[]): string => ids.map((id) => `{"id":"${id}"}`).join("\n") + "\n";
    const run = async (): Promise<string[]> => {
      const q = spark.readStream.schema("id STRING").json(input).dropDuplicates(["id"]).writeStream.format("memory")
        .queryName(`lone_${name}_${process.pid}_${Date.now()}`).option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      return (await spark.table(q.name!).collect()).map((r) => r.id as string).sort();
    };
    try {
      await writeFile(join(input, "a.json"), lines(["\\ud800x", "\\udc00", "plain", "\\ufffdx"]));
      expect(await run()).toEqual(["\uD800x", "\uDC00", "plain", "\uFFFDx"].sort());
      await writeFile(join(input, "b.json"), lines(["\\ud800x", "\\udc00", "plain", "\\ufffdx", "new"]));
      expect(await run()).toEqual(["new"]);
    } finally {
      spark.conf.unset("rivulet.sql.streaming.stateStore.provider");
    }
  });
});
