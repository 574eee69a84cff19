import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CommitLog, CommitMetadata } from "../../src/checkpoint/commit-log.ts";
import { CheckpointPaths } from "../../src/checkpoint/paths.ts";
import { StateError } from "../../src/common/errors.ts";

let paths: CheckpointPaths;
let log: CommitLog;
beforeEach(async () => {
  paths = new CheckpointPaths(await mkdtemp(join(tmpdir(), "rivulet-commits-")));
  log = new CommitLog(paths.commits);
});
afterEach(async () => {
  await rm(paths.root, { recursive: true, force: true });
});

describe("CommitLog", () => {
  it("writes the exact text and reads it back with full precision", async () => {
    await log.add(0, CommitMetadata.create(0));
    await log.add(1, CommitMetadata.create(12_345_678));
    expect(await readFile(paths.commitFile(0), "utf8")).toBe('v1\n{"nextBatchWatermarkMs":0,"nextBatchWatermarkUs":0}');
    expect(await readFile(paths.commitFile(1), "utf8")).toBe('v1\n{"nextBatchWatermarkMs":12345,"nextBatchWatermarkUs":12345678}');
    expect(await log.get(1)).toEqual({ nextBatchWatermarkMs: 12345, nextBatchWatermarkUs: 12_345_678 });
    expect(await log.getLatest()).toEqual({ batchId: 1, entry: { nextBatchWatermarkMs: 12345, nextBatchWatermarkUs: 12_345_678 } });
  });

  it("keeps each watermark operator's own watermark beside the query's (what a restart resumes from)", async () => {
    await log.add(0, { ...CommitMetadata.create(135_000_000), operatorWatermarksUs: { 0: 190_000_000, 1: 135_000_000 } });
    expect(await readFile(paths.commitFile(0), "utf8"))
      .toBe('v1\n{"nextBatchWatermarkMs":135000,"nextBatchWatermarkUs":135000000,"operatorWatermarksUs":{"0":190000000,"1":135000000}}');
    expect((await log.get(0))?.operatorWatermarksUs).toEqual({ 0: 190_000_000, 1: 135_000_000 });
    await writeFile(paths.commitFile(1), 'v1\n{"nextBatchWatermarkMs":0,"operatorWatermarksUs":{"0":"late"}}');
    await expect(log.get(1)).rejects.toThrow(StateError);
  });

  it("reads Spark's files: ms only, or only the version line", async () => {
    await mkdir(paths.commits, { recursive: true });
    await writeFile(paths.commitFile(0), 'v1\n{"nextBatchWatermarkMs":7000}');
    await writeFile(paths.commitFile(1), "v1\n");
    expect(await log.get(0)).toEqual({ nextBatchWatermarkMs: 7000, nextBatchWatermarkUs: 7_000_000 });
    expect(await log.get(1)).toEqual({ nextBatchWatermarkMs: 0, nextBatchWatermarkUs: 0 });
  });

  it("rejects a malformed entry", async () => {
    await mkdir(paths.commits, { recursive: true });
    await writeFile(paths.commitFile(0), 'v1\n{"nextBatchWatermarkMs":"soon"}');
    await expect(log.get(0)).rejects.toThrow(StateError);
    await expect(log.get(0)).rejects.toThrow(`log file ${paths.commitFile(0)} is corrupt: 'nextBatchWatermarkMs' must be an integer`);
  });
});
