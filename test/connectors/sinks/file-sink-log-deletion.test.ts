import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RuntimeConfig } from "../../../src/common/config.ts";
import { resolveSinkFactory } from "../../../src/connectors/sinks/index.ts";
import { Session } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { sinkContext, table } from "./helpers.ts";

// Spark's FileStreamSinkLog deletes the entry files a compaction holds
// (spark.sql.streaming.fileSink.log.deletion, cleanupDelay; minBatchesToRetain kept).
let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), "rivulet-sink-log-deletion-")); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });
const schema = parseSchema("id INT");
const spark = Session.builder().appName("file-sink-log-deletion").getOrCreate();
const entries = async () => (await readdir(join(dir, "_spark_metadata"))).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));

async function writeBatches(n: number, conf: Record<string, string>): Promise<void> {
  const context = { ...sinkContext(schema, "append", { path: dir }), conf: new RuntimeConfig(Object.entries({ "spark.sql.streaming.fileSink.log.compactInterval": "3", ...conf })) };
  const sink = await resolveSinkFactory("json")(context);
  for (let b = 0; b < n; b++) await sink.addBatch(b, table(schema, [{ id: b }]), "append");
}

describe("file sink log deletion", () => {
  it("after a compaction, entry files before the one minBatchesToRetain keeps are deleted once older than cleanupDelay; readers see every row once", async () => {
    await writeBatches(7, { "spark.sql.streaming.fileSink.log.cleanupDelay": "0", "spark.sql.streaming.minBatchesToRetain": "1" });
    expect(await entries()).toEqual(["2.compact", "3", "4", "5.compact", "6"]);
    expect((await spark.read.json(dir).collect()).map((r) => Number(r.id)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("kept with deletion false, within cleanupDelay (default 10m), or within minBatchesToRetain (default 100)", async () => {
    await writeBatches(7, { "spark.sql.streaming.fileSink.log.deletion": "false", "spark.sql.streaming.fileSink.log.cleanupDelay": "0", "spark.sql.streaming.minBatchesToRetain": "1" });
    expect(await entries()).toEqual(["0", "1", "2.compact", "3", "4", "5.compact", "6"]);
    await rm(dir, { recursive: true });
    await writeBatches(7, { "spark.sql.streaming.minBatchesToRetain": "1" });
    expect(await entries()).toEqual(["0", "1", "2.compact", "3", "4", "5.compact", "6"]);
    await rm(dir, { recursive: true });
    await writeBatches(7, { "spark.sql.streaming.fileSink.log.cleanupDelay": "0" });
    expect(await entries()).toEqual(["0", "1", "2.compact", "3", "4", "5.compact", "6"]);
  });
});
