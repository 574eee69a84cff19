import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { waitFor } from "../wait-for.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";

/**
 * A stream–stream left outer join (impressions and clicks, JSON files) in a child process,
 * SIGKILLed at random points and restarted from its checkpoint: its output must be exactly
 * the output of a run never interrupted — each joined row and each null-padded impression once.
 */
const JOB = join(import.meta.dirname, "jobs", "stream-join-job.ts");
const tmp = tempDirs();
const next = seededRandom(20);
const FILES = 12;
const minute = (m: number): string => new Date(Date.UTC(2026, 0, 1, 10, 0) + m * 60_000).toISOString();

/** File i: impressions of ads 10i…10i+4 at minute 15i+j; clicks for the even ads of file i−1, 5 minutes after, and one too late. */
async function writeInputs(impressions: string, clicks: string): Promise<void> {
  for (let i = 0; i < FILES; i++) {
    const imps = [0, 1, 2, 3, 4].map((j) => JSON.stringify({ impressionAdId: 10 * i + j, impressionTime: minute(15 * i + j) }));
    const clk = i === 0 ? [] : [0, 2, 4].map((j) => JSON.stringify({ clickAdId: 10 * (i - 1) + j, clickTime: minute(15 * (i - 1) + j + 5) }));
    if (i >= 2) clk.push(JSON.stringify({ clickAdId: 10 * (i - 2) + 1, clickTime: minute(15 * (i - 2) + 1 + 30) }));
    await writeFile(join(impressions, `part-${String(i).padStart(3, "0")}.json`), imps.join("\n") + "\n");
    await writeFile(join(clicks, `part-${String(i).padStart(3, "0")}.json`), clk.join("\n") + "\n");
  }
}

async function outputRows(dir: string): Promise<string[]> {
  const spark = Session.builder().getOrCreate();
  const rows = await spark.read.schema("impressionAdId INT, impressionTime TIMESTAMP, clickAdId INT, clickTime TIMESTAMP").json(dir).collect();
  return rows.map((r) => JSON.stringify(r)).sort();
}

test("stream–stream left outer join: SIGKILLs mid-run lose and double nothing", async () => {
  const impressions = await tmp("ssj-crash-imp");
  const clicks = await tmp("ssj-crash-clk");
  await writeInputs(impressions, clicks);

  const referenceOut = await tmp("ssj-crash-ref-out");
  const reference = runJobProcess(JOB, [impressions, clicks, join(await tmp("ssj-crash-ref-ckpt"), "ckpt"), referenceOut, "availableNow"]);
  expect(await reference.exited).toBe(0);
  const expected = await outputRows(referenceOut);
  // Some impressions were clicked, some come out with nulls (after the watermark passed them).
  expect(expected.filter((r) => r.includes('"clickAdId":null')).length).toBeGreaterThan(10);
  expect(expected.filter((r) => !r.includes('"clickAdId":null')).length).toBeGreaterThan(10);

  const out = await tmp("ssj-crash-out");
  const checkpoint = join(await tmp("ssj-crash-ckpt"), "ckpt");
  const committedAtKill: number[] = [];
  for (let round = 0; round < 2; round++) {
    const { child, exited } = runJobProcess(JOB, [impressions, clicks, checkpoint, out, "forever"]);
    const before = await committedBatches(checkpoint);
    await waitFor(() => committedBatches(checkpoint), (n) => n > before, "a committed batch of the run", 30_000, 5);
    await new Promise((r) => setTimeout(r, next() * 60));
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    committedAtKill.push(await committedBatches(checkpoint));
  }
  // The first kill landed mid-run (each batch waits for a 30 ms trigger; there are 12 files a side).
  expect(committedAtKill[0]).toBeLessThan(FILES);
  const last = runJobProcess(JOB, [impressions, clicks, checkpoint, out, "availableNow"]);
  expect(await last.exited).toBe(0);
  expect(await outputRows(out)).toEqual(expected);
}, 120_000);
