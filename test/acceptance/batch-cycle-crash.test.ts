import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";
import { ALL_IDS, FILES, writeDuplicatedIds } from "./duplicated-ids-input.ts";

/**
 * The executor writes a batch's commit while it plans the next batch (commit-in-flight.ts):
 * a dedup job in a child process is SIGKILLed at chosen points of that cycle — around the
 * file source's log entry, commits/N, offsets/N+1, the sink — then restarted: every id
 * reaches the sink exactly once, with foreachBatch and with a file sink, and no sink ever
 * gets batch N before offsets/N and commits/N-1 are on disk (the job checks).
 */
const JOB = join(import.meta.dirname, "jobs", "batch-cycle-crash-job.ts");
const tmp = tempDirs(() => Session.builder().getOrCreate());

async function idsOf(sink: string, output: string): Promise<string[]> {
  if (sink === "file") {
    const rows = await Session.builder().getOrCreate().read.schema("id STRING, n INT").json(output).collect();
    return rows.map((r) => String(r.id));
  }
  const ids: string[] = [];
  for (const f of await readdir(output)) {
    ids.push(...(await readFile(join(output, f), "utf8")).split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id));
  }
  return ids;
}

async function dirs(): Promise<{ input: string; checkpoint: string; output: string }> {
  const input = await tmp("rivulet-cycle-in-");
  await writeDuplicatedIds(input);
  return { input, checkpoint: join(await tmp("rivulet-cycle-ckpt-"), "ckpt"), output: await tmp("rivulet-cycle-out-") };
}

async function finish(sink: string, d: { input: string; checkpoint: string; output: string }): Promise<void> {
  expect(await runJobProcess(JOB, [sink, d.input, d.checkpoint, d.output]).exited).toBe(0);
  const ids = await idsOf(sink, d.output);
  expect(ids.slice().sort()).toEqual(ALL_IDS);
  // One batch a file, whatever the crash: a file logged by the source before a crash is the restart's next batch alone.
  expect(await committedBatches(d.checkpoint)).toBe(FILES);
}

const exists = (checkpoint: string, ...path: string[]) => existsSync(join(checkpoint, ...path));

/** Crash points of batch 3's commit and batch 4's planning, and what the checkpoint holds after each. */
const POINTS: Array<{ name: string; points: string[]; left: (checkpoint: string) => void }> = [
  {
    name: "the file source's entry of batch 4 on disk, commits/3 not (its link held back)",
    points: ["hold:link:commits/3:400", "after:rename:sources/0/4"],
    left: (c) => { expect(exists(c, "sources", "0", "4")).toBe(true); expect(exists(c, "commits", "3")).toBe(false); expect(exists(c, "offsets", "4")).toBe(false); },
  },
  {
    name: "just before commits/3 is linked",
    points: ["before:link:commits/3"],
    left: (c) => { expect(exists(c, "offsets", "3")).toBe(true); expect(exists(c, "commits", "3")).toBe(false); },
  },
  {
    name: "just after commits/3 is linked",
    points: ["after:link:commits/3"],
    left: (c) => { expect(exists(c, "commits", "3")).toBe(true); expect(exists(c, "offsets", "4")).toBe(false); },
  },
  {
    name: "just before offsets/4 is linked, its rows being read",
    points: ["before:link:offsets/4"],
    left: (c) => { expect(exists(c, "commits", "3")).toBe(true); expect(exists(c, "offsets", "4")).toBe(false); },
  },
  {
    name: "the file source's entry of batch 4 slow to rename (held back): killed just before offsets/4 is linked",
    points: ["hold:rename:sources/0/4:400", "before:link:offsets/4"],
    left: (c) => { expect(exists(c, "sources", "0", "4")).toBe(true); expect(exists(c, "offsets", "4")).toBe(false); },
  },
  {
    name: "just after offsets/4 is linked",
    points: ["after:link:offsets/4"],
    left: (c) => { expect(exists(c, "offsets", "4")).toBe(true); expect(exists(c, "commits", "4")).toBe(false); },
  },
];

describe.each([["foreachBatch", POINTS], ["file", [POINTS[0]!, POINTS[1]!, POINTS[5]!]]] as const)("a dedup job into %s killed in the batch cycle, then restarted", (sink, points) => {
  test.each(points)("$name: every id exactly once", async ({ points, left }) => {
    const d = await dirs();
    expect(await runJobProcess(JOB, [sink, d.input, d.checkpoint, d.output, ...points]).exited).toBeNull();
    left(d.checkpoint);
    await finish(sink, d);
  }, 180_000);
});

describe("a dedup job into foreachBatch killed in its sink, then restarted", () => {
  test("commits/3 slow to link (held back): batch 4's sink gets its rows only after it, and every id exactly once", async () => {
    const d = await dirs();
    expect(await runJobProcess(JOB, ["foreachBatch", d.input, d.checkpoint, d.output, "hold:link:commits/3:400", "sink:4"]).exited).toBeNull();
    expect(exists(d.checkpoint, "offsets", "4")).toBe(true);
    expect(exists(d.checkpoint, "commits", "4")).toBe(false);
    await finish("foreachBatch", d);
  }, 180_000);

  test("the last batch's commit slow to link (held back): the query ends only once it is on disk", async () => {
    const d = await dirs();
    expect(await runJobProcess(JOB, ["foreachBatch", d.input, d.checkpoint, d.output, `hold:link:commits/${FILES - 1}:400`]).exited).toBe(0);
    expect(exists(d.checkpoint, "commits", String(FILES - 1))).toBe(true);
  }, 180_000);

  test.each([["sink-before:3"], ["sink:3"]])("%s: every id exactly once", async (point) => {
    const d = await dirs();
    expect(await runJobProcess(JOB, ["foreachBatch", d.input, d.checkpoint, d.output, point]).exited).toBeNull();
    expect(exists(d.checkpoint, "offsets", "3")).toBe(true);
    expect(exists(d.checkpoint, "commits", "3")).toBe(false);
    await finish("foreachBatch", d);
  }, 180_000);

  test("file sink: killed after _spark_metadata/3, before commits/3", async () => {
    const d = await dirs();
    expect(await runJobProcess(JOB, ["file", d.input, d.checkpoint, d.output, "after:rename:_spark_metadata/3"]).exited).toBeNull();
    expect(exists(d.checkpoint, "commits", "3")).toBe(false);
    await finish("file", d);
  }, 180_000);
});

describe("killed from outside at varied moments of the cycle", () => {
  test.each(["foreachBatch", "file"])("%s: every id exactly once after three kills", async (sink) => {
    const d = await dirs();
    // Each kill comes a few milliseconds after the commit log reaches a count: somewhere in the next batch's planning or run.
    for (const [count, delayMs] of [[1, 0], [3, 3], [5, 8]] as const) {
      const { child, exited } = runJobProcess(JOB, [sink, d.input, d.checkpoint, d.output]);
      while ((await committedBatches(d.checkpoint)) < count && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill("SIGKILL");
      await exited;
    }
    await finish(sink, d);
  }, 300_000);
});
