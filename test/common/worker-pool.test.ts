import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { WorkerPool } from "../../src/common/worker-pool.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();
const pools: WorkerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** A task module whose task awaits in the middle and reports whether another task ran meanwhile. */
const MODULE = `
let running = 0;
const order = [];
export async function step(id, ms) {
  const overlapped = running > 0;
  running++;
  await new Promise((resolve) => setTimeout(resolve, ms));
  running--;
  order.push(id);
  return { value: { id, overlapped, order: [...order] } };
}
export async function fail(message) {
  throw new RangeError(message);
}
`;

describe("WorkerPool: tasks sent ahead to a busy worker", () => {
  test("run there one at a time, in the order sent, and a failed one does not stop those behind it", async () => {
    const dir = await tempDir("rivulet-pool-");
    const module = join(dir, "steps.mjs");
    await writeFile(module, MODULE);
    const url = pathToFileURL(module);
    const pool = new WorkerPool(1, false);
    pools.push(pool);
    const first = pool.run<{ id: number; overlapped: boolean; order: number[] }>(url, "step", [1, 60]);
    const failing = pool.run(url, "fail", ["no such row"]);
    const second = pool.run<{ id: number; overlapped: boolean; order: number[] }>(url, "step", [2, 1]);
    const third = pool.run<{ id: number; overlapped: boolean; order: number[] }>(url, "step", [3, 1]);
    await expect(failing).rejects.toThrow("no such row");
    const results = await Promise.all([first, second, third]);
    expect(results.map((r) => r.overlapped)).toEqual([false, false, false]);
    expect(results[2]!.order).toEqual([1, 2, 3]);
    expect(pool.tasksDone).toBe(4);
  });
});
