import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { DataFrame, MemoryStream, StreamingQuery } from "../../src/index.ts";

/**
 * A testStream-style DSL (Spark's StreamTest): drive a streaming DataFrame batch by batch
 * through a memory sink with a checkpoint, and check what each step emits.
 */
export type StreamAction =
  | { kind: "add"; stream: MemoryStream<any>; rows: unknown[] }
  | { kind: "checkNew"; rows: Record<string, unknown>[] }
  | { kind: "checkAll"; rows: Record<string, unknown>[] }
  | { kind: "stop" }
  | { kind: "start" }
  | { kind: "assert"; check: (q: StreamingQuery) => void | Promise<void> };

export const AddData = (stream: MemoryStream<any>, ...rows: unknown[]): StreamAction => ({ kind: "add", stream, rows });
/** Rows emitted since the previous check (order-insensitive). */
export const CheckNewAnswer = (...rows: Record<string, unknown>[]): StreamAction => ({ kind: "checkNew", rows });
/** The whole result table (order-insensitive). */
export const CheckAnswer = (...rows: Record<string, unknown>[]): StreamAction => ({ kind: "checkAll", rows });
export const StopStream: StreamAction = { kind: "stop" };
export const StartStream: StreamAction = { kind: "start" };
export const AssertOnQuery = (check: (q: StreamingQuery) => void | Promise<void>): StreamAction => ({ kind: "assert", check });

let counter = 0;

const canonical = (rows: readonly Record<string, unknown>[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? `${v}n` : v))).sort();

export async function testStream(df: DataFrame, outputMode: "append" | "update" | "complete", actions: StreamAction[]): Promise<void> {
  const name = `stream_test_${process.pid}_${counter++}`;
  const checkpoint = await mkdtemp(join(tmpdir(), "rivulet-stream-test-"));
  const spark = df.sparkSession;
  const start = (): StreamingQuery =>
    df.writeStream.format("memory").queryName(name).outputMode(outputMode).option("checkpointLocation", checkpoint).start();
  let query: StreamingQuery | null = start();
  let seen = 0;
  try {
    for (const [step, action] of actions.entries()) {
      const where = `step ${step + 1} (${action.kind})`;
      switch (action.kind) {
        case "add": action.stream.addData(action.rows as Record<string, unknown>[]); break;
        case "stop": await query?.stop(); query = null; break;
        case "start": query = start(); break;
        case "assert": await query!.processAllAvailable(); await action.check(query!); break;
        case "checkNew":
        case "checkAll": {
          await query!.processAllAvailable();
          const all = await spark.table(name).collect();
          const rows = action.kind === "checkNew" ? all.slice(seen) : all;
          seen = all.length;
          expect(canonical(rows), where).toEqual(canonical(action.rows));
          break;
        }
      }
    }
  } finally {
    await query?.stop();
  }
}
