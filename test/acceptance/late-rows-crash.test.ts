import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { tempDirs } from "../temp-dirs.ts";

const run = promisify(execFile);
const job = join(import.meta.dirname, "jobs", "late-rows-job.ts");
const t = (hhmm: string): string => `2026-01-01T${hhmm}:00Z`;

const tempDir = tempDirs();

/** One JSON-lines file per batch of the guide's late-data example. */
const batches = [
  [["dog", "12:07"], ["owl", "12:08"]],
  [["dog", "12:14"], ["cat", "12:09"]],
  [["cat", "12:15"], ["dog", "12:08"], ["owl", "12:13"], ["owl", "12:21"]],
  [["owl", "12:17"], ["donkey", "12:04"]],
];

describe("late rows across a crash", () => {
  test("SIGKILL between the sink's write and the commit: after the restart each late row is kept exactly once", async () => {
    const input = await tempDir("rivulet-late-crash-in-");
    const checkpoint = await tempDir("rivulet-late-crash-ckpt-");
    const late = await tempDir("rivulet-late-crash-late-");
    const output = await tempDir("rivulet-late-crash-out-");
    for (const [i, rows] of batches.entries()) {
      await writeFile(join(input, `batch-${i}.json`), rows.map(([word, time]) => JSON.stringify({ word, timestamp: t(time!) })).join("\n") + "\n");
    }
    const args = ["--import", "tsx", job, input, checkpoint, late, output];
    const crashed = await run(process.execPath, [...args, "crash-after-sink"]).then(() => null, (e: { signal?: string }) => e);
    expect(crashed?.signal).toBe("SIGKILL");
    const lateFiles = await readdir(late);
    expect(lateFiles).toHaveLength(1);
    const crashedBatch = lateFiles[0]!;
    // The batch that dropped the late row has output but no commit.
    const batchId = Number(/batch-(\d+)\.json/.exec(crashedBatch)![1]);
    expect(await readdir(join(checkpoint, "commits"))).not.toContain(String(batchId));

    await run(process.execPath, args);
    expect(await readdir(join(checkpoint, "commits"))).toContain(String(batchId));
    const files = await readdir(late);
    expect(files).toEqual([crashedBatch]);
    const rows = (await readFile(join(late, crashedBatch), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(rows).toEqual([{ word: "donkey", timestamp: "2026-01-01T12:04:00.000Z", _watermark: "2026-01-01T12:11:00.000Z", _operator: "StatefulAggregate" }]);
  }, 60_000);
});
