import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { OffsetSeqLog, OffsetSeqMetadata } from "../../src/checkpoint/offset-seq-log.ts";
import { WorkerPartialAggregation } from "../../src/physical/parallel-aggregation.ts";
import { StructType } from "../../src/types/data-types.ts";
import { committedBatches, runJobProcess } from "../acceptance/job-process.ts";
import { tempDirs } from "../temp-dirs.ts";
import { writeRoundingFiles } from "./fixtures/rounding-files.ts";

/**
 * Two worker threads: after a batch where partial aggregation reduced, the workers read every
 * file of the next batch, the first too (this thread only merges); otherwise this thread
 * folds the first file straight into the state. The two add a DOUBLE sum's values in
 * different groupings, and the choice comes from the batch before, which a re-run batch
 * never saw: so it is recorded in the offset log with the batch, and the re-run repeats it.
 */

const job = join(import.meta.dirname, "..", "acceptance", "jobs", "parallel-aggregation-job.ts");
const tempDir = tempDirs();

interface Output {
  readonly plan: string;
  readonly rows: Array<{ url: string; start: string; n: number; bytes: number; ms: number }>;
}

const batchOutput = async (output: string, id: number): Promise<Output> => JSON.parse(await readFile(join(output, `batch-${id}.json`), "utf8")) as Output;

/** The choices offsets/<batchId> recorded. */
async function recorded(checkpoint: string, batchId: number): Promise<Readonly<Record<string, string>> | undefined> {
  const entry = await new OffsetSeqLog(join(checkpoint, "offsets")).get(batchId);
  return entry?.metadata.operatorChoices;
}

// 4 files a batch; the probe answers after 500 rows (the first file), so batch 0 already knows that it reduced.
const TUNING = ["4", "500"];

async function run(input: string, crashAt: number | null): Promise<{ checkpoint: string; output: string; code: number | null }> {
  const checkpoint = await tempDir("rivulet-firstfile-ckpt-");
  const output = await tempDir("rivulet-firstfile-out-");
  const code = await runJobProcess(job, [input, checkpoint, output, "2", crashAt === null ? "none" : String(crashAt), ...TUNING]).exited;
  return { checkpoint, output, code };
}

describe("who reads a batch's first file with two worker threads: chosen from the batch before, recorded with the batch", () => {
  test("the offset log records the choice; a re-run after SIGKILL repeats it, to the last bit of the DOUBLE sums; without the record it would not", async () => {
    const input = await tempDir("rivulet-firstfile-in-");
    await writeRoundingFiles(input);
    const uninterrupted = await run(input, null);
    expect(uninterrupted.code).toBe(0);
    // Batch 0: nothing seen before, this thread reads the first file; it reduced, so the workers read batch 1's and 2's.
    expect(await recorded(uninterrupted.checkpoint, 0)).toEqual({ "aggregate.0.firstFile": "here" });
    expect(await recorded(uninterrupted.checkpoint, 1)).toEqual({ "aggregate.0.firstFile": "workers" });
    expect(await recorded(uninterrupted.checkpoint, 2)).toEqual({ "aggregate.0.firstFile": "workers" });
    expect((await batchOutput(uninterrupted.output, 0)).plan).toMatch(/partial=2 worker threads read each batch's files but the first, this one reads the first and merges$/m);
    const reference = await batchOutput(uninterrupted.output, 2);
    expect(reference.plan).toMatch(/partial=2 worker threads read each batch's files, this one merges \(the batch before reduced, so the first file too\)$/m);
    expect(reference.rows.reduce((n, r) => n + r.n, 0)).toBe(12 * 500);

    // Killed after batch 1's state is committed: the new process never saw batch 0, but batch 1's record says "workers".
    const crashed = await run(input, 1);
    expect(crashed.code).toBeNull();
    expect(await committedBatches(crashed.checkpoint)).toBe(1);
    expect(await runJobProcess(job, [input, crashed.checkpoint, crashed.output, "2", "none", ...TUNING]).exited).toBe(0);
    expect(await committedBatches(crashed.checkpoint)).toBe(3);
    expect((await batchOutput(crashed.output, 1)).plan).toMatch(/this one merges \(the batch before reduced, so the first file too\)$/m);
    expect((await batchOutput(crashed.output, 2)).rows).toEqual(reference.rows);

    // The same crash with batch 1's record taken out (as a log written before the record existed):
    // the re-run folds the first file here, and some DOUBLE sums come out rounded otherwise.
    const unrecorded = await run(input, 1);
    expect(unrecorded.code).toBeNull();
    const offsets1 = join(unrecorded.checkpoint, "offsets", "1");
    const [version, metadata, ...offsets] = (await readFile(offsets1, "utf8")).split("\n");
    const { operatorChoices, ...rest } = JSON.parse(metadata!) as Record<string, unknown>;
    expect(operatorChoices).toEqual({ "aggregate.0.firstFile": "workers" });
    await writeFile(offsets1, [version, JSON.stringify(rest), ...offsets].join("\n"));
    expect(await recorded(unrecorded.checkpoint, 1)).toBeUndefined();
    expect(await runJobProcess(job, [input, unrecorded.checkpoint, unrecorded.output, "2", "none", ...TUNING]).exited).toBe(0);
    expect((await batchOutput(unrecorded.output, 1)).plan).toMatch(/this one reads the first and merges$/m);
    const other = (await batchOutput(unrecorded.output, 2)).rows;
    expect(other.map(({ ms: _, ...r }) => r)).toEqual(reference.rows.map(({ ms: _, ...r }) => r));
    other.forEach((r, i) => expect(r.ms).toBeCloseTo(reference.rows[i]!.ms, 6));
    expect(other.some((r, i) => r.ms !== reference.rows[i]!.ms)).toBe(true);
  }, 180_000);

  test("the offset log keeps a batch's choices, and reads a log line without them as none", async () => {
    const dir = await tempDir("rivulet-firstfile-log-");
    const log = new OffsetSeqLog(join(dir, "offsets"));
    const offsets = [{ logOffset: 3 }];
    await log.addNew(0, { offsets, metadata: OffsetSeqMetadata.create({ batchWatermarkUs: 0, batchTimestampMs: 5, operatorChoices: { "aggregate.0.firstFile": "workers" } }) });
    await log.addNew(1, { offsets, metadata: OffsetSeqMetadata.create({ batchWatermarkUs: 0, batchTimestampMs: 6 }) });
    expect((await log.get(0))!.metadata.operatorChoices).toEqual({ "aggregate.0.firstFile": "workers" });
    // No choice, no field: the line is what it was before choices were recorded.
    expect((await readFile(join(dir, "offsets", "1"), "utf8")).split("\n")[1]).toBe('{"batchWatermarkMs":0,"batchTimestampMs":6,"conf":{},"batchWatermarkUs":0}');
    expect((await log.get(1))!.metadata.operatorChoices).toBeUndefined();
  });

  test("the split of a batch's files follows its recorded choice: none here when the workers read the first file; one worker has no choice to make", () => {
    const plan = { scanSchema: new StructType([]), stages: [], groupings: [], aggregates: [], eventTimeKey: null, numPartitions: 1 };
    const two = new WorkerPartialAggregation(0, 2, plan, [], undefined, 2);
    // Nothing seen yet: this thread reads the first file.
    expect(two.firstFileChoice()).toBe("here");
    expect([0, 1, 2, 10].map((n) => two.ownShare(n, "workers"))).toEqual([0, 1, 0, 0]);
    expect([0, 1, 2, 10].map((n) => two.ownShare(n, "here"))).toEqual([0, 1, 1, 1]);
    const one = new WorkerPartialAggregation(0, 2, plan, [], undefined, 1);
    expect(one.firstFileChoice()).toBeNull();
    expect(one.ownShare(10, "workers")).toBe(4);
    expect(new WorkerPartialAggregation(0, 1, plan, []).firstFileChoice()).toBeNull();
  });
});
