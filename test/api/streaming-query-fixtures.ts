import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStream, Session, type DataFrame, type StreamingQuery } from "../../src/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

/**
 * What the streaming-query API suites share: a session whose testStream checkpoints and temp
 * directories go into a directory of the calling file's own (removed after its tests), unique
 * query names, an events stream and a memory-sink query. Call at a test file's top level.
 */
export function streamingQueryFixtures(appName: string) {
  const spark = Session.builder().appName(appName).getOrCreate();
  scopedTmpdir(`rivulet-${appName}-tmp-`, spark);
  let counter = 0;
  const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${counter++}`;
  const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), `rivulet-${appName}-`));

  function events(): { input: MemoryStream<{ id: string; time: Date }>; df: DataFrame } {
    const input = new MemoryStream<{ id: string; time: Date }>(spark, "id STRING, time TIMESTAMP");
    return { input, df: input.toDF() };
  }

  function memoryQuery(df: DataFrame, mode: "append" | "update" | "complete", name: string, checkpoint?: string): StreamingQuery {
    const w = df.writeStream.format("memory").queryName(name).outputMode(mode);
    if (checkpoint !== undefined) w.option("checkpointLocation", checkpoint);
    return w.start();
  }

  return { spark, uniqueName, tempDir, events, memoryQuery };
}

export const sec = (s: number): Date => new Date(s * 1000);

/** Rows as sorted JSON lines, dates as ISO strings: an order-free comparison. */
export const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();
