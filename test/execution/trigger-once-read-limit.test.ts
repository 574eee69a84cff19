import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

// Spark's MicroBatchExecution gives every source ReadLimit.allAvailable under Trigger.Once (one
// batch of everything, maxFilesPerTrigger ignored with a log line); Trigger.AvailableNow keeps
// the source's limit per batch.
const spark = Session.builder().appName("trigger-once-read-limit").getOrCreate();
const temp = tempDirs(spark);

async function run(input: string, checkpoint: string, trigger: { once: true } | { availableNow: true }): Promise<number[][]> {
  const batches: number[][] = [];
  const q = await spark.readStream.schema("v INT").option("maxFilesPerTrigger", 1).json(input)
    .writeStream.trigger(trigger).option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => { batches.push((await df.collect()).map((r) => (r as { v: number }).v).sort()); }).start();
  await q.awaitTermination();
  return batches;
}

describe("Trigger.Once and maxFilesPerTrigger", () => {
  it("Trigger.Once reads all available files in one batch, also after a restart", async () => {
    const base = await temp("trigger-once-");
    await mkdir(join(base, "in"));
    for (let i = 1; i <= 3; i++) await writeFile(join(base, "in", `f${i}.json`), `{"v":${i}}\n`);
    expect(await run(join(base, "in"), join(base, "ck"), { once: true })).toEqual([[1, 2, 3]]);
    for (let i = 4; i <= 5; i++) await writeFile(join(base, "in", `f${i}.json`), `{"v":${i}}\n`);
    expect(await run(join(base, "in"), join(base, "ck"), { once: true })).toEqual([[4, 5]]);
  });

  it("Trigger.AvailableNow keeps the limit: a batch per file", async () => {
    const base = await temp("trigger-available-now-");
    await mkdir(join(base, "in"));
    for (let i = 1; i <= 3; i++) await writeFile(join(base, "in", `f${i}.json`), `{"v":${i}}\n`);
    expect(await run(join(base, "in"), join(base, "ck"), { availableNow: true })).toEqual([[1], [2], [3]]);
  });
});
