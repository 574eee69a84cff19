import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tempDirs } from "../temp-dirs.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";

/**
 * The windowed aggregation with its groups in a disk-backed store (aggregate/stored/), killed
 * with SIGKILL and restarted in a new process from its checkpoint: every window is emitted
 * once, with its exact count, whatever the moment of the kill.
 */
const job = join(import.meta.dirname, "jobs", "stored-aggregation-job.ts");
const tempDir = tempDirs();

/** File i: 10 seconds of event time from i × 10 s; ids i·40 … i·40+79 (half of them in the file before), each twice. */
function fileRows(i: number): Array<{ id: string; n: number; time: string }> {
  const rows: Array<{ id: string; n: number; time: string }> = [];
  for (let k = i * 40; k < i * 40 + 80; k++) {
    for (const r of [0, 1]) rows.push({ id: `user-${k}`, n: k + r, time: new Date((i * 10 + ((k + r * 5) % 10)) * 1000).toISOString() });
  }
  return rows;
}

async function writeFiles(input: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await writeFile(join(input, `part-${String(i).padStart(3, "0")}.json`), fileRows(i).map((r) => JSON.stringify(r)).join("\n") + "\n");
  }
}

/** What the job must emit over files [0, files): each (id, 20-second window) that the final watermark closes, with its count and total. */
function expected(files: number): string[] {
  const groups = new Map<string, { count: number; total: number }>();
  let maxTime = -Infinity;
  for (let i = 0; i < files; i++) {
    for (const r of fileRows(i)) {
      const t = Date.parse(r.time);
      maxTime = Math.max(maxTime, t);
      const key = `${r.id} ${t - (t % 20_000)}`;
      const g = groups.get(key) ?? { count: 0, total: 0 };
      g.count++;
      g.total += r.n;
      groups.set(key, g);
    }
  }
  const watermark = maxTime - 5000;
  return [...groups].filter(([key]) => Number(key.split(" ")[1]) + 20_000 <= watermark).map(([key, g]) => `${key} ${g.count} ${g.total}`).sort();
}

async function emitted(output: string): Promise<string[]> {
  const rows: string[] = [];
  for (const f of await readdir(output)) {
    for (const line of (await readFile(join(output, f), "utf8")).split("\n").filter(Boolean)) {
      const r = JSON.parse(line) as { id: string; start: string; count: number; total: number };
      rows.push(`${r.id} ${Date.parse(r.start)} ${r.count} ${r.total}`);
    }
  }
  return rows.sort();
}

describe.each(["rocksdb", "lmdb"])("windowed aggregation in append mode with its groups in the %s store, across crashes", (provider) => {
  test("SIGKILL after a batch's state commit, before its commit log: each window once, exact, after the restart", async () => {
    const input = await tempDir("rivulet-aggcrash-in-");
    const checkpoint = await tempDir("rivulet-aggcrash-ckpt-");
    const output = await tempDir("rivulet-aggcrash-out-");
    await writeFiles(input, 0, 6);
    expect(await runJobProcess(job, [input, checkpoint, output, provider, "3"]).exited).toBeNull(); // killed
    expect(await committedBatches(checkpoint)).toBe(3);
    // The restart (a new process) re-runs batch 3 on state version 3, then goes on.
    expect(await runJobProcess(job, [input, checkpoint, output, provider]).exited).toBe(0);
    await writeFiles(input, 6, 8);
    expect(await runJobProcess(job, [input, checkpoint, output, provider]).exited).toBe(0);
    const rows = await emitted(output);
    expect(rows.length).toBeGreaterThan(300);
    expect(rows).toEqual(expected(8));
  }, 300_000);
});

test("disk engine with a 1 KiB memory budget killed from outside at any moment: each window once, exact", async () => {
  const input = await tempDir("rivulet-aggcrash-in-");
  const checkpoint = await tempDir("rivulet-aggcrash-ckpt-");
  const output = await tempDir("rivulet-aggcrash-out-");
  await writeFiles(input, 0, 12);
  process.env.RIVULET_TEST_STATE_MEMORY_BUDGET = "1k";
  try {
    // Kill as soon as the commit log reaches 2, then 5, then 8 batches: the next batch is being run and its state written.
    for (const killAt of [2, 5, 8]) {
      const { child, exited } = runJobProcess(job, [input, checkpoint, output, "rocksdb"]);
      while ((await committedBatches(checkpoint)) < killAt && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      child.kill("SIGKILL");
      await exited;
    }
    expect(await runJobProcess(job, [input, checkpoint, output, "rocksdb"]).exited).toBe(0);
  } finally {
    delete process.env.RIVULET_TEST_STATE_MEMORY_BUDGET;
  }
  expect(await emitted(output)).toEqual(expected(12));
  expect((await readdir(join(checkpoint, "state", "0", "0", "runs"))).length).toBeGreaterThan(0);
}, 300_000);
