import { describe, expect, it } from "vitest";
import type { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { keyString } from "../../src/columnar/key-string.ts";
import { batchToRows, rowsToBatch, type Row } from "../../src/columnar/values.ts";
import { RuntimeConfig } from "../../src/common/config.ts";
import { UTC } from "../../src/common/time-zone.ts";
import type { BatchContext } from "../../src/physical/exec-operator.ts";
import { planPhysical } from "../../src/physical/planner.ts";
import { deduplicate, localRelation, withWatermark } from "../../src/plan/plan-builder.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { utf8StateKey, type StateKey } from "../../src/state/state-store.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * dropDuplicates over one string column on the disk store keeps its keys as UTF-8 keys
 * (hashed over their bytes, with the hash the JSON decoder computed): a state begun that
 * way holds the format key 1 and its keys by utf8StateKey, null as 0. A state written
 * before (keyString keys, no format key) goes on with keyString keys.
 */
const tempDir = tempDirs();
const S = 1_000_000;
const at = (seconds: number): Date => new Date(seconds * 1000);
const SCHEMA = parseSchema("id STRING, time TIMESTAMP");

/** The operator over a disk store in `dir`, from batch `startVersion` on; `within`: dropDuplicatesWithinWatermark("id"). */
async function dedupOn(dir: string, startVersion: number, within = false) {
  let current: ColumnBatch[] = [];
  const input = withWatermark(localRelation("events", SCHEMA, () => current, true), "time", "0 seconds");
  const query = planPhysical(deduplicate(input, ["id"], within), new RuntimeConfig(), "append");
  const provider = new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-dedup-local-"), memoryBudgetBytes: 1 << 20, minDeltasForSnapshot: 2 });
  const op = query.statefulOperators[0]!;
  await op.open!({ startVersion, provider: () => provider });
  let batchId = startVersion;
  return {
    provider,
    op,
    async run(rows: readonly Row[], watermarkMicros = -Infinity): Promise<unknown[]> {
      current = [rowsToBatch(SCHEMA, rows, "test")];
      const ctx: BatchContext = {
        batchId: batchId++, eval: { batchTimestampMicros: 0, timeZoneId: UTC.id }, sourceData: new Map(),
        watermarkMicros, outputMode: "append", streaming: true,
      };
      return (await query.root.execute(ctx)).flatMap(batchToRows).map((r) => r.id);
    },
    async close(): Promise<void> {
      await op.close!();
    },
  };
}

async function stateKeys(dir: string, version: number): Promise<StateKey[]> {
  const provider = new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-dedup-local-") });
  const store = await provider.load(version);
  const keys = [...store.entries()].map(([k]) => k);
  store.abort();
  await provider.close();
  return sortKeys(keys);
}

function sortKeys(keys: StateKey[]): StateKey[] {
  return keys.sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

const rows = (...ids: Array<string | null>): Row[] => ids.map((id, i) => ({ id, time: at(100 + i) }));

describe("dropDuplicates over one string column on the disk store", () => {
  it("keeps UTF-8 keys: first rows once, nulls and non-ASCII strings, across a restart", async () => {
    const dir = await tempDir("rivulet-dedup-utf8-");
    const first = await dedupOn(dir, 0);
    expect(await first.run(rows("a", "é", "a", null, "b", null, "日本語-1234567"))).toEqual(["a", "é", null, "b", "日本語-1234567"]);
    expect(await first.run(rows("b", "c", "é", null, "ab"))).toEqual(["c", "ab"]);
    expect(first.op.stateMetrics()).toMatchObject({ numRowsTotal: 7, numRowsUpdated: 2 });
    await first.close();
    expect(await stateKeys(dir, 2)).toEqual(sortKeys([0, 1, ...["a", "ab", "b", "c", "é", "日本語-1234567"].map(utf8StateKey)]));
    const second = await dedupOn(dir, 2);
    expect(await second.run(rows("日本語-1234567", "d", null, "a", "d"))).toEqual(["d"]);
    expect(second.op.stateMetrics()).toMatchObject({ numRowsTotal: 8, numRowsUpdated: 1 });
    await second.close();
  });

  it("evicts UTF-8 keys behind the watermark (dropDuplicatesWithinWatermark), the format key never", async () => {
    const dir = await tempDir("rivulet-dedup-utf8-");
    const run = await dedupOn(dir, 0, true);
    expect(await run.run([{ id: "x", time: at(10) }, { id: "y", time: at(50) }, { id: "é", time: at(10) }])).toEqual(["x", "y", "é"]);
    expect(await run.run([{ id: "x", time: at(60) }], 30 * S)).toEqual([]);
    expect(run.op.stateMetrics()).toMatchObject({ numRowsRemoved: 2, numRowsTotal: 1 });
    expect(await run.run([{ id: "x", time: at(70) }, { id: "é", time: at(70) }, { id: "y", time: at(70) }], 30 * S)).toEqual(["x", "é"]);
    await run.close();
    expect(await stateKeys(dir, 3)).toEqual(sortKeys([1, ...["x", "y", "é"].map(utf8StateKey)]));
  });

  it("goes on with keyString keys in a state written before UTF-8 keys", async () => {
    const dir = await tempDir("rivulet-dedup-legacy-");
    // The state as rivulet wrote it before: keyString keys, no format key.
    const old = new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-dedup-local-") });
    const store = await old.load(0);
    store.putIfAbsent!([keyString(["a"]), keyString(["é"]), keyString([null])], Float64Array.of(100 * S, 101 * S, 102 * S));
    await store.commit();
    await old.close();
    const run = await dedupOn(dir, 1);
    expect(await run.run(rows("a", "é", null, "b", "b"))).toEqual(["b"]);
    expect(run.op.stateMetrics()).toMatchObject({ numRowsTotal: 4, numRowsUpdated: 1 });
    await run.close();
    expect(await stateKeys(dir, 2)).toEqual(sortKeys([keyString(["a"]), keyString(["b"]), keyString([null]), keyString(["é"])]));
  });

  it("starts with UTF-8 keys when a state written before holds no key any more", async () => {
    const dir = await tempDir("rivulet-dedup-legacy-");
    const old = new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-dedup-local-") });
    let store = await old.load(0);
    store.put(keyString(["a"]), 100 * S);
    await store.commit();
    store = await old.load(1);
    store.remove(keyString(["a"]));
    await store.commit();
    await old.close();
    const run = await dedupOn(dir, 2);
    expect(await run.run(rows("a"))).toEqual(["a"]);
    await run.close();
    expect(await stateKeys(dir, 3)).toEqual(sortKeys([1, utf8StateKey("a")]));
  });
});
