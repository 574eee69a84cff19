import { describe, expect, it } from "vitest";
import { hashString } from "../../src/columnar/utf8-hash.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { utf8StateKey, type StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * UTF-8 keys of the disk store (putIfAbsentUtf8): a string hashed over its UTF-8 bytes with
 * the hash its caller gives, named elsewhere by utf8StateKey; apart from a string key of the
 * same text; through the memtable, runs, changelogs and a restart.
 */
const tempDir = tempDirs();

async function makeProvider(dir: string, memoryBudgetBytes: number): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-disk-local-"), memoryBudgetBytes, minDeltasForSnapshot: 3 });
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const sorted = (entries: Iterable<[StateKey, unknown]>): Array<[StateKey, unknown]> =>
  [...entries].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));

/** Texts of every UTF-8 length class and alignment. */
const text = (n: number): string => ["k", "ké", "日本", "x".repeat(n % 9), "😀"][n % 5]! + String(n);

describe("UTF-8 keys of the disk store", () => {
  it.each([["in the memtable", 64 * 1024 * 1024], ["flushed every version (1 KiB budget)", 1024]])(
    "putIfAbsentUtf8 with string and number keys, put, remove, scans, commits and aborts answer as a Map, also after a restart (%s)",
    async (_name, budget) => {
      const dir = await tempDir("rivulet-disk-utf8-");
      let provider = await makeProvider(dir, budget);
      const next = random(budget + 7);
      let model = new Map<StateKey, unknown>();
      let version = 0;
      for (let round = 0; round < 40; round++) {
        const store = await provider.load(version);
        const working = new Map(model);
        for (let step = 0; step < 6; step++) {
          const op = next();
          if (op < 0.45) {
            const keys = Array.from({ length: 1 + Math.floor(next() * 60) }, () => (next() < 0.05 ? Math.floor(next() * 3) : text(Math.floor(next() * 300))));
            const hashes = Int32Array.from(keys, (k) => (typeof k === "string" ? hashString(k) : 0));
            const values = keys.map((_, i) => round * 1000 + step * 100 + i);
            const added = store.putIfAbsentUtf8!(keys, hashes, values);
            keys.forEach((k, i) => {
              const name = typeof k === "string" ? utf8StateKey(k) : k;
              expect(added[i], `${k} in round ${round}`).toBe(working.has(name) ? 0 : 1);
              if (!working.has(name)) working.set(name, values[i]);
            });
          } else if (op < 0.55) {
            // The same text as a plain string key is another key.
            const k = text(Math.floor(next() * 300));
            store.put(k, { plain: round });
            working.set(k, { plain: round });
          } else if (op < 0.65) {
            const k = utf8StateKey(text(Math.floor(next() * 300)));
            store.put(k, { round, step });
            working.set(k, { round, step });
          } else if (op < 0.78) {
            const k = next() < 0.1 ? Math.floor(next() * 3) : utf8StateKey(text(Math.floor(next() * 300)));
            store.remove(k);
            working.delete(k);
          } else if (op < 0.88) {
            expect(sorted(store.entries())).toEqual(sorted(working));
          } else {
            const keys = Array.from({ length: 30 }, () => utf8StateKey(text(Math.floor(next() * 300))));
            expect(store.getMany(keys)).toEqual(keys.map((k) => working.get(k)));
            expect(store.get(keys[0]!)).toEqual(working.get(keys[0]!));
          }
        }
        expect(store.numKeys).toBe(working.size);
        if (next() < 0.3) {
          store.abort();
        } else {
          await store.commit();
          model = working;
          version++;
        }
        if (round % 10 === 9) {
          await provider.close();
          provider = await makeProvider(dir, budget);
        }
        const check = await provider.load(version);
        expect(sorted(check.entries()), `version ${version}`).toEqual(sorted(model));
        check.abort();
      }
      await provider.close();
    },
    120_000,
  );
});
