import type { Table } from "apache-arrow";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, lit, sum, window } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

const spark = Session.builder().appName("memory-complete-snapshots").getOrCreate();
scopedTmpdir("rivulet-memory-complete-", spark);

const HOUR = 3_600_000;
const URLS = 3_000;

interface Event { url: string; time: Date; bytes: number }

/** Batch b: every url once in hour b (new groups), and the first 500 urls again in hour 0 (groups that change). */
function batchEvents(b: number): Event[] {
  const out: Event[] = [];
  for (let u = 0; u < URLS; u++) out.push({ url: `/u${u}`, time: new Date(b * HOUR + u), bytes: u + b });
  for (let u = 0; u < 500; u++) out.push({ url: `/u${u}`, time: new Date(u), bytes: 1 });
  return out;
}

/** The complete result after `events`, one "url|hour|count|bytes" line per group, sorted. */
function expected(events: readonly Event[]): string[] {
  const groups = new Map<string, { count: number; bytes: number }>();
  for (const e of events) {
    const key = `${e.url}|${Math.floor(e.time.getTime() / HOUR)}`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += e.bytes;
    groups.set(key, g);
  }
  return [...groups].map(([k, g]) => `${k}|${g.count}|${g.bytes}`).sort();
}

function lines(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => `${String(r.url)}|${(r.window as { start: Date }).start.getTime() / HOUR}|${Number(r.count)}|${Number(r.bytes)}`).sort();
}

function arrowLines(table: Table): string[] {
  const rows: Record<string, unknown>[] = [];
  for (const r of table) {
    const w = r!.window as { start: number | Date };
    rows.push({ url: r!.url, window: { start: new Date(Number(w.start instanceof Date ? w.start.getTime() : w.start)) }, count: r!.count, bytes: r!.bytes });
  }
  return lines(rows);
}

describe("memory sink in complete mode, read after each batch", () => {
  test("each batch's table is that batch's complete result; what was read after an earlier batch does not change", async () => {
    const input = new MemoryStream<Event>(spark, "url STRING, time TIMESTAMP, bytes BIGINT");
    const name = `complete_snapshots_${process.pid}`;
    const query = input.toDF().groupBy(col("url"), window(col("time"), "1 hour"))
      .agg(count(lit(1)).as("count"), sum(col("bytes")).as("bytes"))
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    try {
      const seen: Event[] = [];
      const taken: { arrow: Table; expect: string[] }[] = [];
      for (let b = 0; b < 4; b++) {
        const events = batchEvents(b);
        seen.push(...events);
        input.addData(events);
        await query.processAllAvailable();
        const want = expected(seen);
        expect(want.length).toBe(URLS * (b + 1));
        expect(lines(await spark.table(name).collect())).toEqual(want);
        taken.push({ arrow: await spark.table(name).toArrow(), expect: want });
        // Every table taken so far still shows its own batch's result (no array of it reused by a later batch).
        for (const t of taken) expect(arrowLines(t.arrow)).toEqual(t.expect);
        const p = query.lastProgress;
        expect(p.sink.numOutputRows).toBe(want.length);
        expect(p.stateOperators[0]!.numRowsTotal).toBe(want.length);
        // The groups this batch touched: its hour's 3,000 new ones, plus hour 0's first 500 from batch 1 on.
        expect(p.stateOperators[0]!.numRowsUpdated).toBe(b === 0 ? URLS : URLS + 500);
      }
    } finally {
      await query.stop();
    }
  }, 60_000);
});
