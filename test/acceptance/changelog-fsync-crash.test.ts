import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tempDirs } from "../temp-dirs.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";
import { ALL_IDS, FILES, writeDuplicatedIds } from "./duplicated-ids-input.ts";

/**
 * The disk state store's changelog is fsynced while the sink runs (StateStore.commitInMemory;
 * the executor waits for the provider's durable() before commits/N): a dedup job in a child
 * process is SIGKILLed while the changelog of a batch is in flight — in its fsync, in the sink,
 * once a manifest of that version may be written — then restarted: every id reaches the sink
 * exactly once. A failing fsync fails the query before the batch's commit log.
 */
const JOB = join(import.meta.dirname, "jobs", "changelog-fsync-crash-job.ts");
const tmp = tempDirs();

async function sinkIds(output: string): Promise<string[]> {
  const ids: string[] = [];
  for (const f of await readdir(output)) {
    if (!/^batch-\d+\.json$/.test(f)) continue;
    ids.push(...(await readFile(join(output, f), "utf8")).split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id));
  }
  return ids.sort();
}

async function dirs(): Promise<{ input: string; checkpoint: string; output: string }> {
  const input = await tmp("rivulet-fsync-in-");
  await writeDuplicatedIds(input);
  return { input, checkpoint: join(await tmp("rivulet-fsync-ckpt-"), "ckpt"), output: await tmp("rivulet-fsync-out-") };
}

const run = (d: { input: string; checkpoint: string; output: string }, ...points: string[]) =>
  runJobProcess(JOB, [d.input, d.checkpoint, d.output, ...points]).exited;

async function restartAndCheck(d: { input: string; checkpoint: string; output: string }): Promise<void> {
  expect(await run(d)).toBe(0);
  expect(await sinkIds(d.output)).toEqual(ALL_IDS);
  expect(await committedBatches(d.checkpoint)).toBe(FILES);
}

const stateFiles = (checkpoint: string) => readdir(join(checkpoint, "state", "0", "0"));

describe("a dedup job on the disk state store killed while a changelog is in flight, then restarted", () => {
  test("killed in the sink of batch 3, 4.changelog's fsync held back: the sink ran before it was durable; every id exactly once", async () => {
    const d = await dirs();
    expect(await run(d, "hold-sync:4:1000", "sink:3")).toBeNull();
    expect(existsSync(join(d.output, "batch-3.json"))).toBe(true);
    expect(existsSync(join(d.checkpoint, "commits", "2"))).toBe(true);
    expect(existsSync(join(d.checkpoint, "commits", "3"))).toBe(false);
    await restartAndCheck(d);
  }, 180_000);

  test.each([["4"], ["5"]])("killed in %s.changelog's fsync (a manifest every 2 versions): every id exactly once", async (version) => {
    const d = await dirs();
    const batch = Number(version) - 1;
    expect(await run(d, `hold-sync:${version}:1000`, `kill-in-sync:${version}`)).toBeNull();
    expect(existsSync(join(d.checkpoint, "commits", String(batch - 1)))).toBe(true);
    expect(existsSync(join(d.checkpoint, "commits", String(batch)))).toBe(false);
    // The batch's sink ran while the fsync was held.
    expect(existsSync(join(d.output, `batch-${batch}.json`))).toBe(true);
    const files = await stateFiles(d.checkpoint);
    expect(files).toContain(`${version}.changelog`);
    // Version 4's manifest was written while its changelog was not durable: the re-run must replace it.
    if (version === "4") expect(files).toContain("4.manifest");
    await restartAndCheck(d);
  }, 180_000);

  test("just after the sink of every batch, each changelog's fsync slow: every id exactly once after three kills", async () => {
    const d = await dirs();
    for (const batch of [1, 4, 6]) {
      expect(await run(d, `hold-sync:${batch + 1}:200`, `sink:${batch}`)).toBeNull();
      expect(existsSync(join(d.checkpoint, "commits", String(batch)))).toBe(false);
    }
    await restartAndCheck(d);
  }, 180_000);
});

describe("a changelog whose fsync fails", () => {
  test("fails the query before the batch's commit log, with the state version and file named; a restart gives every id exactly once", async () => {
    const d = await dirs();
    expect(await run(d, "fail-sync:4")).toBe(1);
    const message = await readFile(join(d.output, "error.txt"), "utf8");
    expect(message).toMatch(/cannot write state version 4 to .*4\.changelog.*EIO/);
    expect(existsSync(join(d.checkpoint, "commits", "2"))).toBe(true);
    expect(existsSync(join(d.checkpoint, "commits", "3"))).toBe(false);
    expect(existsSync(join(d.checkpoint, "offsets", "4"))).toBe(false);
    await restartAndCheck(d);
  }, 180_000);
});
