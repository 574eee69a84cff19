import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointPaths } from "../../src/checkpoint/paths.ts";
import { OffsetSeqLog, OffsetSeqMetadata } from "../../src/checkpoint/offset-seq-log.ts";
import type { OffsetSeq } from "../../src/checkpoint/offset-seq-log.ts";
import { InternalError, StateError } from "../../src/common/errors.ts";

let paths: CheckpointPaths;
let log: OffsetSeqLog;
beforeEach(async () => {
  paths = new CheckpointPaths(await mkdtemp(join(tmpdir(), "rivulet-offsets-")));
  log = new OffsetSeqLog(paths.offsets);
});
afterEach(async () => {
  await rm(paths.root, { recursive: true, force: true });
});

describe("OffsetSeqLog", () => {
  it("writes Spark's layout and reads it back", async () => {
    const entry: OffsetSeq = {
      offsets: [{ logOffset: 3 }, null, 17, { "topic-a": { "0": 5, "1": 8 } }],
      metadata: OffsetSeqMetadata.create({
        batchWatermarkUs: 1_700_000_000_123_456,
        batchTimestampMs: 1_700_000_100_000,
        conf: { "spark.sql.shuffle.partitions": "1" },
      }),
    };
    expect(await log.add(4, entry)).toBe(true);
    expect(await readFile(paths.offsetFile(4), "utf8")).toBe(
      "v1\n" +
        '{"batchWatermarkMs":1700000000123,"batchTimestampMs":1700000100000,"conf":{"spark.sql.shuffle.partitions":"1"},"batchWatermarkUs":1700000000123456}\n' +
        '{"logOffset":3}\n' +
        "-\n" +
        "17\n" +
        '{"topic-a":{"0":5,"1":8}}',
    );
    const back = await log.get(4);
    expect(back).toEqual(entry);
    expect(back?.metadata.batchWatermarkUs).toBe(1_700_000_000_123_456);
    expect(await log.getLatest()).toEqual({ batchId: 4, entry });
  });

  it("keeps a string offset '-' apart from a missing offset", async () => {
    const entry: OffsetSeq = { offsets: ["-", null], metadata: OffsetSeqMetadata.create({ batchWatermarkUs: 0, batchTimestampMs: 0 }) };
    await log.add(0, entry);
    expect((await log.get(0))?.offsets).toEqual(["-", null]);
  });

  it("reads a file written by Spark (ms only, trailing newline)", async () => {
    await mkdir(paths.offsets, { recursive: true });
    await writeFile(
      paths.offsetFile(0),
      'v1\n{"batchWatermarkMs":5000,"batchTimestampMs":1234,"conf":{"spark.sql.shuffle.partitions":"200"}}\n{"logOffset":0}\n',
    );
    const entry = await log.get(0);
    expect(entry?.offsets).toEqual([{ logOffset: 0 }]);
    expect(entry?.metadata).toEqual({
      batchWatermarkMs: 5000,
      batchWatermarkUs: 5_000_000,
      batchTimestampMs: 1234,
      conf: { "spark.sql.shuffle.partitions": "200" },
    });
  });

  it("names the file and line of a malformed offset", async () => {
    await log.add(0, { offsets: [1], metadata: OffsetSeqMetadata.create({ batchWatermarkUs: 0, batchTimestampMs: 0 }) });
    await writeFile(paths.offsetFile(0), 'v1\n{"batchWatermarkMs":0,"batchTimestampMs":0,"conf":{}}\n{oops');
    await expect(log.get(0)).rejects.toThrow(StateError);
    await expect(log.get(0)).rejects.toThrow(`log file ${paths.offsetFile(0)} is corrupt: line 3 is not valid JSON`);
  });

  it("refuses inconsistent ms/µs watermarks when writing", async () => {
    const metadata = { batchWatermarkMs: 1, batchWatermarkUs: 5000, batchTimestampMs: 0, conf: {} };
    await expect(log.add(0, { offsets: [], metadata })).rejects.toThrow(InternalError);
  });
});
