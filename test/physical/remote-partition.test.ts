import { afterAll, describe, expect, test } from "vitest";
import { toExternal } from "../../src/columnar/values.ts";
import { valueAt } from "../../src/columnar/vector.ts";
import { WorkerPool } from "../../src/common/worker-pool.ts";
import { exportGroups, exportGroupsByPartition } from "../../src/physical/aggregate/partial-groups.ts";
import { PartitionGroups, type PartitionOutput } from "../../src/physical/parallel/partition-groups.ts";
import { RemotePartition } from "../../src/physical/parallel/remote-partition.ts";
import { calls, files, groupings, mapSide } from "./partial-groups-fixtures.ts";

/**
 * A hash-partitioned aggregation across two threads, on a real worker thread: this thread
 * owns partition 0 of the groups, the worker partition 1 (kept there between tasks), each
 * file's partial groups are split between them and merged by both at once. The union of
 * their outputs is what one table merging every whole partial outputs.
 */

const spec = { groupings, aggregates: calls };
const pool = new WorkerPool(2, true);
afterAll(() => pool.close());

/** Output rows by key: [url, hour] → [count, sum(bytes), sum(ms), max(url)]. */
function rowsOf(output: PartitionOutput): Map<string, unknown[]> {
  const types = [...groupings.map((g) => g.dataType!), ...calls.map((c) => c.dataType!)];
  const rows = new Map<string, unknown[]>();
  for (let i = 0; i < output.count; i++) {
    const row = output.columns.map((v, k) => toExternal(valueAt(v, i), types[k]!));
    rows.set(JSON.stringify(row.slice(0, 2)), row.slice(2));
  }
  return rows;
}

function union(...maps: Map<string, unknown[]>[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const m of maps) for (const [k, v] of m) {
    expect(out.has(k)).toBe(false);
    out.set(k, v);
  }
  return out;
}

describe("a partition of the groups owned by a worker thread", () => {
  test("complete and update output: this thread's partition and the worker's together are the one-table result, DOUBLE sums to the last bit", async () => {
    const input = files(8, 300, 120);
    const here = new PartitionGroups(spec);
    const there = await RemotePartition.open(pool, 1, spec);
    const whole = new PartitionGroups(spec);
    const sent: Promise<number>[] = [];
    const batch = async (rows: (typeof input)[number][]) => {
      here.beginBatch();
      whole.beginBatch();
      sent.push(there.beginBatch().then(() => 0));
      for (const fileRows of rows) {
        const map = mapSide(fileRows);
        const [mine, theirs] = exportGroupsByPartition(map.table, map.accumulators, 2);
        // Sent first: the worker merges its share while this thread merges its own.
        sent.push(there.merge([theirs!]));
        here.merge(mine!);
        const again = mapSide(fileRows);
        whole.merge(exportGroups(again.table, again.accumulators));
      }
      await Promise.all(sent);
    };

    await batch(input.slice(0, 5));
    const complete = union(rowsOf(here.output("all")), rowsOf(await there.output("all")));
    expect(complete).toEqual(rowsOf(whole.output("all")));
    expect(here.size).toBeGreaterThan(0);
    expect(await there.merge([])).toBe(complete.size - here.size);

    // A second batch: update mode emits the groups it changed, with their values after it.
    await batch(input.slice(5));
    const changed = union(rowsOf(here.output("changed")), rowsOf(await there.output("changed")));
    expect(changed).toEqual(rowsOf(whole.output("changed")));
    expect(changed.size).toBeLessThan(rowsOf(whole.output("all")).size);
    expect(union(rowsOf(here.output("all")), rowsOf(await there.output("all")))).toEqual(rowsOf(whole.output("all")));

    expect(await there.close()).toBe(true);
    await expect(there.merge([])).rejects.toThrow(/no partition .* in this worker/);
  });

  test("tasks pinned to a worker run there in the order sent, while the other worker takes unpinned ones", async () => {
    const a = await RemotePartition.open(pool, 0, spec);
    const b = await RemotePartition.open(pool, 1, spec);
    const input = files(6, 200, 50);
    const parts = input.map((rows) => { const m = mapSide(rows); return exportGroups(m.table, m.accumulators); });
    // Five sent at once to each: more than a worker is sent ahead, so most wait in the pool's queue.
    const counts = await Promise.all([...parts.map((p) => a.merge([p])), ...parts.map((p) => b.merge([p]))]);
    // Each answer is its partition's size after that merge: non-decreasing, in the order sent.
    const ofA = counts.slice(0, parts.length), ofB = counts.slice(parts.length);
    expect(ofA).toEqual([...ofA].sort((x, y) => x - y));
    expect(ofB).toEqual(ofA);
    expect(rowsOf(await a.output("all"))).toEqual(rowsOf(await b.output("all")));
    expect(() => pool.runOn(2, new URL("../../src/physical/parallel/partition-owner-task.ts", import.meta.url), "closePartition", ["x"])).toThrow(RangeError);
    await a.close();
    await b.close();
  });
});
