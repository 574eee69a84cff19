import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ColumnBatch } from "../../src/columnar/column-batch.ts";
import type { StrVec, Vec } from "../../src/columnar/vector.ts";
import { Session, col, count, lit, sum, window } from "../../src/index.ts";
import { COMPLETE_CHUNK_SHIFT } from "../../src/physical/aggregate/complete-chunks.ts";
import { tempDirs } from "../temp-dirs.ts";

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

const DDL = "time TIMESTAMP, url STRING, bytes BIGINT";
const HOUR = 3_600_000;
/** More urls than a chunk of slots holds: an hour's groups span chunks. */
const URLS = (1 << COMPLETE_CHUNK_SHIFT) + 4_000;

interface Event { url: string; hour: number; bytes: number }

/**
 * File f: every url once in hour f (new groups, in new chunks); file 1 also urls 0…99 again
 * in hour 0 (groups in the first chunk, which batch 0 emitted).
 */
function fileEvents(f: number): Event[] {
  const out: Event[] = [];
  for (let u = 0; u < URLS; u++) out.push({ url: `/u${u}`, hour: f, bytes: u + f });
  if (f === 1) for (let u = 0; u < 100; u++) out.push({ url: `/u${u}`, hour: 0, bytes: 1000 * f });
  return out;
}

async function writeFiles(dir: string, from: number, to: number): Promise<void> {
  for (let f = from; f < to; f++) {
    const text = fileEvents(f).map((e) => JSON.stringify({ time: new Date(e.hour * HOUR + 1).toISOString(), url: e.url, bytes: e.bytes })).join("\n");
    await writeFile(join(dir, `part-${String(f).padStart(3, "0")}.json`), `${text}\n`);
  }
}

/** The complete result after files 0…files-1: "url|hour|count|bytes" per group, sorted. */
function expected(files: number): string[] {
  const groups = new Map<string, { count: number; bytes: number }>();
  for (let f = 0; f < files; f++) {
    for (const e of fileEvents(f)) {
      const key = `${e.url}|${e.hour}`;
      const g = groups.get(key) ?? { count: 0, bytes: 0 };
      g.count++;
      g.bytes += e.bytes;
      groups.set(key, g);
    }
  }
  return [...groups].map(([k, g]) => `${k}|${g.count}|${g.bytes}`).sort();
}

const lines = (rows: readonly Record<string, unknown>[]): string[] =>
  rows.map((r) => `${String(r.url)}|${(r.window as { start: Date }).start.getTime() / HOUR}|${Number(r.count)}|${Number(r.bytes)}`).sort();

/** The values of a vector, deep: what an emitted batch showed when it was emitted. */
function snapshot(v: Vec): unknown {
  switch (v.kind) {
    case "num": return [...v.values.subarray(0, v.length)];
    case "str": return [...v.codes.subarray(0, v.length)].map((c) => v.dict[c]);
    case "struct": return v.children.map(snapshot);
    default: return v;
  }
}

/** The typed array behind a vector (a struct's first child's). */
function arrayOf(v: Vec): unknown {
  return v.kind === "str" ? v.codes : v.kind === "struct" ? arrayOf(v.children[0]!) : v.values;
}

let runs = 0;
async function run(input: string, checkpoint: string, onEmit: (batchId: number, data: readonly ColumnBatch[]) => void): Promise<string> {
  const name = `complete_chunks_${process.pid}_${runs++}`;
  const query = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 1).json(input)
    .groupBy(col("url"), window(col("time"), "1 hour")).agg(count(lit(1)).as("count"), sum(col("bytes")).as("bytes"))
    .writeStream.format("memory").queryName(name).outputMode("complete").option("checkpointLocation", checkpoint)
    .trigger({ availableNow: true }).start();
  // The batches exactly as the aggregation emits them (before the sink joins them), seen through the sink.
  const sink = spark.catalog.memorySink(name)!;
  const add = sink.addColumnBatches.bind(sink);
  sink.addColumnBatches = async (batchId, data, mode) => { onEmit(batchId, data); await add(batchId, data, mode); };
  await query.awaitTermination();
  return name;
}

describe("complete mode over chunks of groups", () => {
  test("each batch emits every group; unchanged chunks are emitted again as they were; a later fold never shows in an earlier batch", async () => {
    const input = await tempDir("rivulet-chunks-in-");
    const checkpoint = await tempDir("rivulet-chunks-cp-");
    await writeFiles(input, 0, 3);
    const emitted: { batchId: number; data: readonly ColumnBatch[]; values: unknown[] }[] = [];
    const name = await run(input, checkpoint, (batchId, data) => {
      emitted.push({ batchId, data, values: data.map((b) => b.columns.map(snapshot)) });
    });
    expect(emitted.map((e) => e.batchId)).toEqual([0, 1, 2]);
    expect(lines(await spark.table(name).collect())).toEqual(expected(3));
    for (let b = 0; b < 3; b++) {
      expect(emitted[b]!.data.reduce((n, d) => n + d.numRows, 0)).toBe(URLS * (b + 1));
      // Every batch emitted so far still shows what it showed when emitted: no array of it was written since.
      emitted[b]!.data.forEach((d, i) => expect(d.columns.map(snapshot)).toEqual(emitted[b]!.values[i]));
      // The chunks' url columns code into one frozen dictionary (or prefixes of it): the sink keeps them and joins them by codes.
      const dicts = emitted[b]!.data.map((d) => (d.columns[0] as StrVec).dict);
      const longest = dicts.reduce((x, y) => (y.length > x.length ? y : x));
      for (const d of dicts) {
        expect(Object.isFrozen(d)).toBe(true);
        expect(longest.slice(0, d.length)).toEqual(d);
      }
    }
    // Batch 2 touched neither the first chunk (refreshed by batch 1, which folded hour 0 again) nor the
    // second: both are emitted again as the same arrays; batch 1 made the first chunk anew.
    const array = (b: number, i: number, c: number): unknown => arrayOf(emitted[b]!.data[i]!.columns[c]!);
    for (let c = 0; c < 4; c++) {
      expect(array(2, 0, c)).toBe(array(1, 0, c));
      expect(array(2, 1, c)).toBe(array(1, 1, c));
      expect(array(1, 0, c)).not.toBe(array(0, 0, c));
    }

    // A restart from the checkpoint (groups restored from the state store) and one more file: the full result.
    await writeFiles(input, 3, 4);
    const after: (readonly ColumnBatch[])[] = [];
    const restarted = await run(input, checkpoint, (_, data) => after.push(data));
    expect(after).toHaveLength(1);
    expect(lines(await spark.table(restarted).collect())).toEqual(expected(4));
  }, 120_000);
});
